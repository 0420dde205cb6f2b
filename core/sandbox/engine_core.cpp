// The engine's state outside the database: resting orders by symbol, open
// positions per symbol (which decide what the market data must watch), the
// latest prices, instruments, order numbering and ledgers.
#include "sandbox/engine_core.hpp"

#include <fmt/compile.h>

#include "sandbox/engine_guards.hpp"
#include "sandbox/funds.hpp"
#include "sandbox/ist_time.hpp"

namespace oa::sandbox {
namespace {

std::string orderid_prefix(std::int64_t now) {
  const IstCalendarDay day = ist_day(now);
  return fmt::format(FMT_COMPILE("{:02d}{:02d}{:02d}"), day.year % 100, day.month, day.day);
}

}  // namespace

Engine::Core::Core(store::Store& store, MarketData& market, MarketBoard& board, EngineOptions options,
                   std::function<std::int64_t()> now_ms, std::shared_ptr<Mailbox> mailbox)
    : db_(store, options.on_order_event),
      market_(market),
      board_(board),
      options_(std::move(options)),
      now_ms_(std::move(now_ms)),
      mailbox_(std::move(mailbox)),
      loop_(now_ms_, [this](const SymbolKey& key, const Quote& quote, const PriceRange& seen) {
        on_quote(key, quote, seen);
      }) {
  // Up to this many events share one commit: enough to amortise it under
  // load, few enough that the first reply of a group waits for little.
  constexpr std::size_t kGroupEvents = 64;
  loop_.group_by({[this] { db_.begin_group(); }, [this] { finish_group(); }, kGroupEvents, [this] { db_.idle(); }});
}

Engine::Done Engine::Core::durable(Done done, Record record) {
  auto recorded = [this, record](const Reply& reply) {
    if (!record) return;
    // The record (an order's journal entry) must not be missing from what
    // it describes: when it fails, the group is undone and its replies
    // become errors.
    try {
      db_.write_or_spoil([&](SandboxTables& tables) { record(tables.statements(), reply); });
    } catch (const std::exception& error) {
      spdlog::error("sandbox: recording a reply with the engine's changes failed, the group is undone: {}",
                    error.what());
    }
  };
  return [this, done = std::move(done), recorded](Reply reply) {
    recorded(reply);
    db_.after_commit([done, recorded, reply = std::move(reply)](bool committed) mutable {
      if (committed) return done(std::move(reply));
      // Outside the lost group now: the record is written on its own.
      Reply failed = error_reply(500, "Error storing the sandbox change: the request was not applied");
      recorded(failed);
      done(std::move(failed));
    });
  };
}

void Engine::Core::write(const std::function<void(store::StatementCache&)>& work, std::function<void(bool)> then) {
  try {
    db_.write([&](SandboxTables& tables) { work(tables.statements()); });
  } catch (const std::exception& error) {
    spdlog::error("sandbox: a caller's write failed: {}", error.what());
    return then(false);
  }
  db_.after_commit(std::move(then));
}

void Engine::Core::finish_group() {
  if (db_.commit_group()) return;
  try {
    reload();
  } catch (const std::exception& error) {
    spdlog::error("sandbox: reloading the books after a failed commit failed: {}", error.what());
  }
}

void Engine::Core::reload() {
  resting_.clear();
  resting_by_symbol_.clear();
  open_positions_.clear();
  gtts_.clear();
  gtts_by_symbol_.clear();
  orderid_prefix_.clear();
  gtt_prefix_.clear();
  last_runs_.clear();
  load();
  // Symbols watched only for what the lost group added are released.
  for (const SymbolKey& key : std::set<SymbolKey>(watched_)) refresh_watch(key);
}

void Engine::Core::load() {
  std::vector<Order> pending;
  std::vector<Position> open;
  std::vector<Gtt> gtts;
  db_.read([&](SandboxTables& tables) {
    pending = tables.pending_orders();
    open = tables.open_positions();
    gtts = tables.active_gtts();
    load_schedule_state(tables);
  });
  for (const Position& position : open) {
    const SymbolKey key{position.key.symbol, position.key.exchange};
    ++open_positions_[key];
    refresh_watch(key);
  }
  for (const Order& order : pending) add_resting(order);
  for (const Gtt& gtt : gtts) add_gtt(gtt);
  db_.write([&](SandboxTables& tables) { apply_starting_capital(tables); });
  spdlog::info("sandbox: loaded {} resting orders, {} open positions and {} active GTTs", pending.size(),
               open.size(), gtts.size());
}

void Engine::Core::add_resting(const Order& order) {
  if (resting_.contains(order.orderid)) return update_resting(order);
  resting_[order.orderid] = order;
  const SymbolKey key = symbol_of(order);
  resting_by_symbol_[key].add(order);
  refresh_watch(key);
}

void Engine::Core::update_resting(const Order& changed) {
  const auto found = resting_.find(changed.orderid);
  if (found == resting_.end()) return;
  resting_by_symbol_[symbol_of(found->second)].remove(found->second);
  found->second = changed;
  resting_by_symbol_[symbol_of(changed)].add(changed);
}

void Engine::Core::remove_resting(const std::string& orderid) {
  const auto found = resting_.find(orderid);
  if (found == resting_.end()) return;
  const SymbolKey key = symbol_of(found->second);
  auto on_symbol = resting_by_symbol_.find(key);
  if (on_symbol != resting_by_symbol_.end()) {
    on_symbol->second.remove(found->second);
    if (on_symbol->second.empty()) resting_by_symbol_.erase(on_symbol);
  }
  resting_.erase(found);
  refresh_watch(key);
}

double Engine::Core::reserved_cnc_sells(std::int64_t user_id, const std::string& symbol,
                                        const std::string& exchange,
                                        const std::string& except_orderid) const {
  double reserved = 0;
  for (const auto& [orderid, order] : resting_) {
    if (order.user_id == user_id && order.symbol == symbol && order.exchange == exchange &&
        order.product == Product::Cnc && order.action == Action::Sell && orderid != except_orderid) {
      reserved += order.quantity;
    }
  }
  return reserved;
}

void Engine::Core::after_position_change(const SymbolKey& key, bool was_open, bool is_open) {
  if (was_open == is_open) return;
  int& count = open_positions_[key];
  count += is_open ? 1 : -1;
  if (count <= 0) open_positions_.erase(key);
  refresh_watch(key);
}

void Engine::Core::refresh_watch(const SymbolKey& key) {
  const bool wanted =
      resting_by_symbol_.contains(key) || open_positions_.contains(key) || gtts_by_symbol_.contains(key);
  const bool watching = watched_.contains(key);
  if (wanted == watching) return;
  if (wanted) {
    watched_.insert(key);
    market_.watch(key.symbol, key.exchange);
  } else {
    watched_.erase(key);
    market_.release(key.symbol, key.exchange);
  }
}

Instrument Engine::Core::instrument_for(const SymbolKey& key) {
  if (auto known = board_.instrument(key)) return *known;
  if (auto instrument = market_.instrument(key.symbol, key.exchange)) {
    board_.set_instrument(key, *instrument);
    return *instrument;
  }
  // The master contract is not loaded yet: classify from the symbol alone.
  return Instrument{key.symbol, key.exchange, "", "", 1, 0.05, 1};
}

void Engine::Core::apply_starting_capital(SandboxTables& tables) {
  const Paise capital = to_paise(options_.starting_capital);
  for (Funds funds : tables.all_funds()) {
    if (funds.total_capital == capital) continue;
    // The difference moves available cash; margin, holdings and P&L stay.
    funds.available += capital - funds.total_capital;
    funds.total_capital = capital;
    tables.save_funds(funds);
    spdlog::info("sandbox: starting capital of user {} is now {}", funds.user_id, options_.starting_capital);
  }
}

Funds Engine::Core::funds_of(SandboxTables& tables, std::int64_t user_id) {
  if (auto funds = tables.find_funds(user_id)) return *funds;
  return opening_funds(user_id, to_paise(options_.starting_capital), now_ms_());
}

std::string Engine::Core::next_orderid(SandboxTables& tables) {
  const std::string prefix = orderid_prefix(now_ms_());
  if (prefix != orderid_prefix_) {
    const auto last = tables.last_orderid_with_prefix(prefix);
    orderid_sequence_ = last ? std::stoll(last->substr(prefix.size())) : 0;
    orderid_prefix_ = prefix;
  }
  // A compiled format: parsing it at run time was most of an order id's cost.
  return fmt::format(FMT_COMPILE("{}{:08d}"), prefix, ++orderid_sequence_);
}

}  // namespace oa::sandbox
