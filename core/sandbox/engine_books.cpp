// The account views that show P&L: position book, holdings and funds with
// open positions (the others are read on the caller's thread, see
// book_reader.hpp). They mark positions with a recent price, fetching one
// when the tick stream has none, without making the engine wait: the answer
// is composed when the prices are in (or when book_quote_wait_ms has passed).
#include <cmath>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "sandbox/books.hpp"
#include "sandbox/engine_core.hpp"
#include "sandbox/engine_guards.hpp"
#include "sandbox/funds.hpp"
#include "sandbox/positions.hpp"

namespace oa::sandbox {
namespace {

namespace json = boost::json;

Reply ok(json::object body) { return {200, std::move(body)}; }

}  // namespace

void Engine::Core::with_fresh_quotes(const std::set<SymbolKey>& keys, std::function<void()> then) {
  const std::int64_t now = now_ms_();
  std::vector<SymbolKey> stale;
  for (const SymbolKey& key : keys) {
    const auto quote = cached_quote(key);
    if (!quote || now - quote->at_ms > options_.book_quote_max_age_ms) stale.push_back(key);
  }
  if (stale.empty()) return then();

  struct Gather {
    std::size_t remaining = 0;
    std::function<void()> then;
    void finish() {
      if (!then) return;
      auto call = std::move(then);
      then = nullptr;
      call();
    }
  };
  auto gather = std::make_shared<Gather>(Gather{stale.size(), std::move(then)});
  loop_.post_at(now + options_.book_quote_wait_ms, [gather] { gather->finish(); });
  for (const SymbolKey& key : stale) {
    auto answer = [mailbox = mailbox_, this, gather, key](std::optional<Quote> quote) {
      mailbox->post([this, gather, key, quote] {
        if (quote && quote->ltp > 0) on_quote(key, *quote);
        if (--gather->remaining == 0) gather->finish();
      });
    };
    try {
      market_.fetch_quote(key.symbol, key.exchange, answer);
    } catch (const std::exception& error) {
      spdlog::error("sandbox: asking for a quote of {}:{} failed: {}", key.exchange, key.symbol,
                    error.what());
      answer(std::nullopt);
    }
  }
}

double Engine::Core::mark_price(const SymbolKey& key, double stored_ltp) const {
  const auto quote = cached_quote(key);
  return quote ? quote->ltp : stored_ltp;
}

void Engine::Core::position_book(std::int64_t user_id, Done done) {
  answering(done, "getting positions", [&] {
    std::vector<Position> positions;
    db_.read([&](SandboxTables& tables) { positions = tables.user_positions(user_id); });
    const std::int64_t since = session_start(options_.schedule, now_ms_());
    std::erase_if(positions, [&](const Position& p) { return !shown_in_position_book(p, since); });
    std::set<SymbolKey> keys;
    for (const Position& p : positions) {
      if (p.quantity != 0) keys.insert({p.key.symbol, p.key.exchange});
    }
    with_fresh_quotes(keys, [this, positions = std::move(positions), done] {
      answering(done, "getting positions", [&] {
        std::vector<MarkedPosition> marked;
        for (const Position& p : positions) {
          const SymbolKey key{p.key.symbol, p.key.exchange};
          marked.push_back({p, p.quantity != 0 ? mark_price(key, p.ltp) : p.ltp,
                            instrument_for(key).contract_value});
        }
        done(ok(position_book_body(marked)));
      });
    });
  });
}

void Engine::Core::holdings(std::int64_t user_id, Done done) {
  answering(done, "getting holdings", [&] {
    std::vector<Holding> rows;
    db_.read([&](SandboxTables& tables) { rows = tables.user_holdings(user_id); });
    std::set<SymbolKey> keys;
    for (const Holding& h : rows) keys.insert({h.symbol, h.exchange});
    with_fresh_quotes(keys, [this, rows = std::move(rows), done] {
      answering(done, "getting holdings", [&] {
        std::vector<MarkedHolding> marked;
        for (const Holding& h : rows) marked.push_back({h, mark_price({h.symbol, h.exchange}, h.ltp)});
        done(ok(holdings_body(marked)));
      });
    });
  });
}

void Engine::Core::funds(const Funds& ledger, const std::vector<Position>& open_positions, Done done) {
  answering(done, "getting funds", [&] {
    std::set<SymbolKey> keys;
    for (const Position& p : open_positions) keys.insert({p.key.symbol, p.key.exchange});
    with_fresh_quotes(keys, [this, ledger, open_positions, done] {
      answering(done, "getting funds", [&] {
        double unrealized = 0;
        for (const Position& p : open_positions) {
          const SymbolKey key{p.key.symbol, p.key.exchange};
          unrealized += unrealized_pnl(p, mark_price(key, p.ltp), instrument_for(key).contract_value);
        }
        done(ok(funds_body(ledger, unrealized)));
      });
    });
  });
}

}  // namespace oa::sandbox
