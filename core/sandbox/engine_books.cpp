// The account views whose marks were not all on the market board (see
// book_reader.hpp and marks.hpp): positions are marked with a recent price,
// fetched when the tick stream has none, without making the engine wait: the
// answer is composed when the prices are in (or when book_quote_wait_ms has
// passed).
#include <spdlog/spdlog.h>

#include "sandbox/engine_core.hpp"
#include "sandbox/engine_guards.hpp"

namespace oa::sandbox {

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

Marks Engine::Core::marks_for(const MarkNeeds& needs) {
  Marks marks;
  for (const SymbolKey& key : needs.priced) {
    if (const auto quote = cached_quote(key)) marks[key].ltp = quote->ltp;
  }
  for (const SymbolKey& key : needs.sized) marks[key].contract_value = instrument_for(key).contract_value;
  return marks;
}

void Engine::Core::answer_marked(const MarkNeeds& needs, const char* doing, Done done,
                                 std::function<Reply(const Marks&)> compose) {
  answering(done, doing, [&] {
    with_fresh_quotes(needs.priced, [this, needs, doing, done, compose = std::move(compose)] {
      answering(done, doing, [&] { done(compose(marks_for(needs))); });
    });
  });
}

}  // namespace oa::sandbox
