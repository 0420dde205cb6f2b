// Modifying and cancelling resting orders. Margin follows a modification
// (OpenAlgo kept the old amount) and comes back exactly once on a cancel,
// in the transaction that changes the order.
#include <cmath>

#include "sandbox/engine_core.hpp"
#include "sandbox/engine_guards.hpp"
#include "sandbox/funds.hpp"
#include "sandbox/positions.hpp"

namespace oa::sandbox {
namespace {

namespace json = boost::json;

ValidRequest request_from(const Order& order) {
  return {order.strategy,   order.symbol,   order.exchange,      order.action, order.price_type,
          order.product,    order.quantity, order.price,         order.trigger_price};
}

bool is_whole(double value) { return std::floor(value) == value; }

}  // namespace

std::optional<Order> Engine::Core::owned_order(std::int64_t user_id, const std::string& orderid,
                                               std::optional<Reply>& refusal, const char* verb) {
  const auto found = resting_.find(orderid);
  if (found != resting_.end() && found->second.user_id == user_id) return found->second;
  std::optional<Order> stored;
  db_.read([&](SandboxTables& tables) { stored = tables.find_order(orderid); });
  if (!stored || stored->user_id != user_id) {
    refusal = error_reply(404, "Order " + orderid + " not found");
    return std::nullopt;
  }
  refusal = error_reply(400, fmt::format("Cannot {} order in {} status", verb,
                                         to_string(stored->status)));
  return std::nullopt;
}

void Engine::Core::modify(std::int64_t user_id, const ModifyRequest& request, Done done) {
  done = once(std::move(done));
  answering(done, "modifying order", [&] {
    std::optional<Reply> refusal;
    const auto order = owned_order(user_id, request.orderid, refusal, "modify");
    if (!order) return done(std::move(*refusal));
    Order changed = *order;
    const std::string type(to_string(order->price_type));
    const bool takes_price = order->price_type == PriceType::Limit ||
                             order->price_type == PriceType::StopLimit;
    const bool takes_trigger = order->price_type == PriceType::StopLimit ||
                               order->price_type == PriceType::StopMarket;
    if (request.quantity != 0) {
      if (!(request.quantity > 0)) return done(error_reply(400, "Quantity must be positive"));
      if (order->exchange != "CRYPTO" && !is_whole(request.quantity)) {
        return done(error_reply(400, fmt::format("Fractional quantity ({}) is not allowed for "
                                                 "non-crypto exchanges.", request.quantity)));
      }
      if (auto refused = check_lot_size(request.quantity, instrument_for(symbol_of(*order)))) {
        return done(error_reply(400, *refused));
      }
      changed.quantity = changed.pending_quantity = request.quantity;
    }
    if (request.price != 0) {
      if (!takes_price) return done(error_reply(400, type + " orders do not accept a price"));
      if (!(request.price > 0)) return done(error_reply(400, "Price must be positive"));
      changed.price = request.price;
    }
    if (request.trigger_price != 0) {
      if (!takes_trigger) return done(error_reply(400, type + " orders do not accept a trigger_price"));
      if (!(request.trigger_price > 0)) return done(error_reply(400, "Trigger price must be positive"));
      changed.trigger_price = request.trigger_price;
    }

    // Margin follows the new quantity and price (OpenAlgo kept the old amount).
    std::optional<std::string> refused;
    db_.write([&](SandboxTables& tables) {
      const PositionKey position_key = position_key_of(changed);
      const Position position = tables.find_position(position_key).value_or(Position{position_key});
      if (changed.product == Product::Cnc && changed.action == Action::Sell) {
        const auto holding = tables.find_holding(user_id, changed.symbol, changed.exchange);
        const double reserved =
            reserved_cnc_sells(user_id, changed.symbol, changed.exchange, changed.orderid);
        refused = check_cnc_sell(request_from(changed), position.quantity,
                                 holding ? holding->quantity : 0, reserved);
        if (refused) return;
      }
      const std::optional<Quote> reference =
          changed.price_type == PriceType::Market ? std::optional<Quote>(Quote{changed.price, 0, 0, 0})
                                                  : std::nullopt;
      const double price = margin_price(changed.price_type, changed.action, changed.price,
                                        changed.trigger_price, reference)
                               .value_or(0);
      const Paise required =
          margin_to_hold(options_.leverage, instrument_for(symbol_of(changed)), changed.product,
                         changed.action, position.quantity, changed.quantity, price);
      Funds funds = funds_of(tables, user_id);
      const Paise delta = required - changed.margin_blocked;
      if (delta > 0) {
        refused = block(funds, delta);
        if (refused) return;
      }
      if (delta < 0) must(release(funds, -delta, 0));
      changed.margin_blocked = required;
      changed.updated_ms = now_ms_();
      tables.update_order(changed);
      tables.save_funds(funds);
    });
    if (refused) return done(error_reply(400, *refused));
    update_resting(changed);
    done({200, json::object{{"message", "Order modified successfully"},
                            {"mode", "analyze"},
                            {"orderid", changed.orderid},
                            {"status", "success"}}});
  });
}

void Engine::Core::cancel(std::int64_t user_id, const std::string& orderid, Done done) {
  done = once(std::move(done));
  answering(done, "cancelling order", [&] {
    std::optional<Reply> refusal;
    if (!owned_order(user_id, orderid, refusal, "cancel")) return done(std::move(*refusal));
    cancel_orders_where([&](const Order& order) { return order.orderid == orderid; }, "");
    done({200, json::object{{"message", "Order cancelled successfully"},
                            {"mode", "analyze"},
                            {"orderid", orderid},
                            {"status", "success"}}});
  });
}

void Engine::Core::cancel_all(std::int64_t user_id, Done done) {
  done = once(std::move(done));
  answering(done, "cancelling orders", [&] {
    json::array cancelled;
    for (const auto& [orderid, order] : resting_) {
      if (order.user_id == user_id) cancelled.push_back(json::value(orderid));
    }
    const std::size_t count = cancelled.size();
    // Both open and trigger pending orders (OpenAlgo's filter missed the latter).
    cancel_orders_where([&](const Order& order) { return order.user_id == user_id; }, "");
    const std::string message =
        count == 0 ? "No open orders to cancel"
                   : fmt::format("Canceled {} orders. Failed to cancel 0 orders.", count);
    done({200, json::object{{"canceled_orders", std::move(cancelled)},
                            {"failed_cancellations", json::array{}},
                            {"message", message},
                            {"mode", "analyze"},
                            {"status", "success"}}});
  });
}

void Engine::Core::cancel_orders_where(const std::function<bool(const Order&)>& matches,
                                       const std::string& reason) {
  std::vector<std::string> ids;
  for (const auto& [orderid, order] : resting_) {
    if (matches(order)) ids.push_back(orderid);
  }
  if (ids.empty()) return;
  const std::int64_t now = now_ms_();
  db_.write([&](SandboxTables& tables) {
    std::map<std::int64_t, Funds> funds;
    for (const std::string& orderid : ids) {
      auto stored = tables.find_order(orderid);
      if (!stored || !is_pending(stored->status)) continue;
      auto [entry, fresh] = funds.try_emplace(stored->user_id);
      if (fresh) entry->second = funds_of(tables, stored->user_id);
      must(release(entry->second, stored->margin_blocked, 0));
      stored->margin_blocked = 0;
      stored->status = OrderStatus::Cancelled;
      if (!reason.empty()) stored->rejection_reason = reason;
      stored->updated_ms = now;
      tables.update_order(*stored);
    }
    for (const auto& [user, ledger] : funds) tables.save_funds(ledger);
  });
  for (const std::string& orderid : ids) remove_resting(orderid);
}

}  // namespace oa::sandbox
