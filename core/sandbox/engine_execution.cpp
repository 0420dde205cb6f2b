// Prices and fills. Prices are taken in the order they arrive; each one is
// checked against the resting orders on its symbol, then serves the
// placements waiting for it.
//
// An order fills only while it is in `resting_` and its stored status is
// still open or trigger pending; the fill, the trade row (unique per order),
// the position and the funds are written in one transaction, and the margin
// the order held is released in it.
#include "sandbox/engine_core.hpp"
#include "sandbox/engine_guards.hpp"
#include "sandbox/funds.hpp"
#include "sandbox/ist_time.hpp"
#include "sandbox/positions.hpp"

namespace oa::sandbox {
namespace {

// TRADE-YYYYMMDD-HHMMSS-<8 hex>, the hex fixed by the order id (one trade per order).
std::string trade_id(const std::string& orderid, std::int64_t now) {
  std::uint32_t hash = 2166136261u;
  for (unsigned char c : orderid) hash = (hash ^ c) * 16777619u;
  std::string stamp = format_ist_timestamp(now);  // YYYY-MM-DD HH:MM:SS
  std::string compact;
  for (char c : stamp) {
    if (c == ' ') compact += '-';
    else if (c != '-' && c != ':') compact += c;
  }
  return fmt::format("TRADE-{}-{:08x}", compact, hash);
}

}  // namespace

void Engine::Core::on_quote(const SymbolKey& key, const Quote& incoming, const PriceRange& seen) {
  if (!(incoming.ltp > 0)) return;
  // Prices are taken in the order they arrive; their own timestamps only
  // say how fresh they are, since exchange and local clocks differ.
  Quote quote = incoming;
  remember_quote(key, quote);
  // Resting orders first: an order accepted on this very price below must
  // wait for the next one, not fill again as if it had been resting.
  evaluate_resting(key, quote, seen);
  evaluate_gtts(key, quote, seen);
  const auto waiting = awaiting_price_.find(key);
  if (waiting == awaiting_price_.end()) return;
  const std::set<PlacementId> ids = waiting->second;
  for (PlacementId id : ids) finish_placement(id, quote);
}

void Engine::Core::remember_quote(const SymbolKey& key, Quote& quote) {
  if (quote.at_ms == 0) quote.at_ms = now_ms_();
  board_.set_quote(key, quote);
}

std::optional<Quote> Engine::Core::cached_quote(const SymbolKey& key) const {
  return board_.quote(key);
}

void Engine::Core::evaluate_resting(const SymbolKey& key, const Quote& quote,
                                    const PriceRange& seen) {
  const auto on_symbol = resting_by_symbol_.find(key);
  if (on_symbol == resting_by_symbol_.end()) return;
  // Decided first, acted on after, since a fill changes the ladder. Only the
  // orders the price reached are looked at. One order's decision does not
  // depend on another's fill.
  std::vector<std::pair<std::string, FillDecision>> due;
  for (const std::string& orderid : on_symbol->second.reached_by(seen)) {
    const auto found = resting_.find(orderid);
    if (found == resting_.end()) continue;
    const FillDecision decision = sandbox::on_quote(found->second, quote, seen);
    if (decision.kind != FillDecision::Kind::None) due.emplace_back(orderid, decision);
  }
  for (const auto& [orderid, decision] : due) {
    try {
      if (decision.kind == FillDecision::Kind::Fill) execute_fill(orderid, decision.price, quote.ltp);
      if (decision.kind == FillDecision::Kind::Triggered) mark_triggered(orderid);
    } catch (const std::exception& error) {
      // The order stays resting and is tried again on the next price.
      spdlog::error("sandbox: executing order {} failed: {}", orderid, error.what());
    }
  }
}

void Engine::Core::execute_fill(const std::string& orderid, double price, double ltp) {
  if (!resting_.contains(orderid)) return;
  const std::int64_t now = now_ms_();
  bool was_open = false, is_open = false;
  db_.write([&](SandboxTables& tables) {
    auto stored = tables.find_order(orderid);
    if (!stored || !is_pending(stored->status)) return;
    Order order = *stored;
    const Instrument instrument = instrument_for(symbol_of(order));
    const PositionKey position_key = position_key_of(order);
    const Position position = tables.find_position(position_key).value_or(Position{position_key});
    was_open = is_open = position.quantity != 0;
    Funds funds = funds_of(tables, order.user_id);
    must(release(funds, order.margin_blocked, 0));
    order.margin_blocked = 0;
    order.pending_quantity = 0;
    order.updated_ms = now;

    // The margin is trued up to the fill price and the position as it is now.
    const Paise required = margin_to_hold(options_.leverage, instrument, order.product, order.action,
                                          position.quantity, order.quantity, price);
    FillEffect effect = apply_fill(position, order.action, order.quantity, price,
                                   instrument.contract_value, required, now);
    effect.after.ltp = ltp;
    Funds filled = funds;
    must(release(filled, effect.margin_released, effect.realized));
    const auto short_of_funds = required > 0 ? block(filled, required) : std::nullopt;
    if (short_of_funds) {
      order.status = OrderStatus::Rejected;
      order.rejection_reason = "Rejected at execution: " + *short_of_funds;
      tables.update_order(order);
      tables.save_funds(funds);
      return;
    }
    order.status = OrderStatus::Complete;
    order.average_price = price;
    order.filled_quantity = order.quantity;
    tables.update_order(order);
    tables.insert_trade(Trade{trade_id(orderid, now), orderid, order.user_id, order.symbol,
                              order.exchange, order.action, order.quantity, price, order.product,
                              order.strategy, now});
    tables.save_position(effect.after);
    tables.save_funds(filled);
    is_open = effect.after.quantity != 0;
  });
  const SymbolKey key = symbol_of(resting_.at(orderid));
  remove_resting(orderid);
  after_position_change(key, was_open, is_open);
}

void Engine::Core::mark_triggered(const std::string& orderid) {
  const std::int64_t now = now_ms_();
  db_.write([&](SandboxTables& tables) {
    auto stored = tables.find_order(orderid);
    if (!stored || stored->status != OrderStatus::TriggerPending) return;
    stored->status = OrderStatus::Open;
    stored->updated_ms = now;
    tables.update_order(*stored);
  });
  auto found = resting_.find(orderid);
  if (found == resting_.end()) return;
  Order triggered = found->second;
  triggered.status = OrderStatus::Open;
  update_resting(triggered);
}

}  // namespace oa::sandbox
