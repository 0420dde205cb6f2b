// Orders: placement, execution, modification and cancellation.
//
// Exactly-once rules:
//  * A placement waits for its first price (its own fetch, another fetch or a
//    tick for the symbol) and is removed from `placements_` before it is
//    accepted, so a second price finds nothing to accept.
//  * An order fills only while it is in `resting_` and its stored status is
//    still open or trigger pending; the fill, the trade row (unique per
//    order), the position and the funds are written in one transaction.
//  * Margin is released from the order that holds it when the order fills,
//    is cancelled or is rejected, in the same transaction that changes the
//    order's status and zeroes its margin_blocked.
#include "sandbox/engine_core.hpp"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "sandbox/books.hpp"
#include "sandbox/funds.hpp"
#include "sandbox/ist_time.hpp"
#include "sandbox/positions.hpp"

namespace oa::sandbox {
namespace {

namespace json = boost::json;

Reply error_reply(int status, const std::string& message) { return {status, error_body(message)}; }

Engine::Done once(Engine::Done done) {
  auto slot = std::make_shared<Engine::Done>(std::move(done));
  return [slot](Reply reply) {
    if (!*slot) return;
    Engine::Done call = std::move(*slot);
    *slot = nullptr;
    call(std::move(reply));
  };
}

// Runs `body`; an exception becomes a 500 reply (if none went out yet) and one log line.
template <typename Body>
void answering(const Engine::Done& done, const char* doing, Body&& body) {
  try {
    body();
  } catch (const std::exception& error) {
    spdlog::error("sandbox: error {}: {}", doing, error.what());
    done(error_reply(500, fmt::format("Error {}: {}", doing, error.what())));
  }
}

// A ledger step that cannot fail unless the books are already inconsistent.
void must(const std::optional<std::string>& refused) {
  if (refused) throw std::logic_error("sandbox ledger inconsistent: " + *refused);
}

SymbolKey symbol_of(const Order& order) { return {order.symbol, order.exchange}; }
PositionKey position_key_of(const Order& order) {
  return {order.user_id, order.symbol, order.exchange, order.product};
}

std::string orderid_prefix(std::int64_t now) {
  const IstCalendarDay day = ist_day(now);
  return fmt::format("{:02d}{:02d}{:02d}", day.year % 100, day.month, day.day);
}

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

Order order_from(std::int64_t user_id, const ValidRequest& request, std::int64_t now) {
  Order order;
  order.user_id = user_id;
  order.strategy = request.strategy;
  order.symbol = request.symbol;
  order.exchange = request.exchange;
  order.action = request.action;
  order.quantity = request.quantity;
  order.price = request.price;
  order.trigger_price = request.trigger_price;
  order.price_type = request.price_type;
  order.product = request.product;
  const bool stop = request.price_type == PriceType::StopLimit ||
                    request.price_type == PriceType::StopMarket;
  order.status = stop ? OrderStatus::TriggerPending : OrderStatus::Open;
  order.pending_quantity = request.quantity;
  order.created_ms = order.updated_ms = now;
  return order;
}

ValidRequest request_from(const Order& order) {
  return {order.strategy,   order.symbol,   order.exchange,      order.action, order.price_type,
          order.product,    order.quantity, order.price,         order.trigger_price};
}

bool is_whole(double value) { return std::floor(value) == value; }

}  // namespace

Engine::Core::Core(store::Store& store, MarketData& market, EngineOptions options,
                   std::function<std::int64_t()> now_ms, std::shared_ptr<Mailbox> mailbox)
    : db_(store),
      market_(market),
      options_(std::move(options)),
      now_ms_(std::move(now_ms)),
      mailbox_(std::move(mailbox)),
      loop_(now_ms_, [this](const SymbolKey& key, const Quote& quote) { on_quote(key, quote); }) {}

void Engine::Core::load() {
  std::vector<Order> pending;
  std::vector<Position> open;
  db_.read([&](SandboxTables& tables) {
    pending = tables.pending_orders();
    open = tables.open_positions();
    load_schedule_state(tables);
  });
  for (const Position& position : open) {
    const SymbolKey key{position.key.symbol, position.key.exchange};
    ++open_positions_[key];
    refresh_watch(key);
  }
  for (const Order& order : pending) add_resting(order);
  spdlog::info("sandbox: loaded {} resting orders and {} open positions", pending.size(),
               open.size());
}

// ---------------------------------------------------------------------------
// Placement

void Engine::Core::place(std::int64_t user_id, const OrderRequest& request, Done done) {
  done = once(std::move(done));
  answering(done, "placing order", [&] {
    auto checked = check_request(request);
    if (const auto* refused = std::get_if<RequestError>(&checked)) {
      done(error_reply(refused->status, refused->message));
      return;
    }
    ValidRequest valid = std::get<ValidRequest>(std::move(checked));
    auto instrument = market_.instrument(valid.symbol, valid.exchange);
    if (!instrument) {
      done(error_reply(400, "Symbol " + valid.symbol + " not found on " + valid.exchange));
      return;
    }
    instruments_[SymbolKey{valid.symbol, valid.exchange}] = *instrument;
    start_placement(user_id, std::move(valid), std::move(*instrument), Origin::Api, done);
  });
}

void Engine::Core::start_placement(std::int64_t user_id, ValidRequest request,
                                   Instrument instrument, Origin origin, Done done) {
  const PlacementId id = next_placement_++;
  const SymbolKey key{request.symbol, request.exchange};
  placements_.emplace(id, Placement{user_id, std::move(request), std::move(instrument), origin,
                                    once(std::move(done)), 0});
  awaiting_price_[key].insert(id);
  fetch_for_placement(id);
}

void Engine::Core::fetch_for_placement(PlacementId id) {
  Placement& placement = placements_.at(id);
  const int attempt = ++placement.attempts;
  const SymbolKey key{placement.request.symbol, placement.request.exchange};
  loop_.post_at(now_ms_() + options_.quote_timeout_ms,
                [this, id, attempt] { on_placement_price_failed(id, attempt); });
  // A fetched price goes where ticks go: it serves every placement waiting
  // on the symbol and the resting orders, whichever arrives first.
  auto answer = [mailbox = mailbox_, this, id, attempt, key](std::optional<Quote> quote) {
    if (quote && quote->ltp > 0) return mailbox->post_quote(key, *quote);
    mailbox->post([this, id, attempt] { on_placement_price_failed(id, attempt); });
  };
  try {
    market_.fetch_quote(key.symbol, key.exchange, answer);
  } catch (const std::exception& error) {
    spdlog::error("sandbox: asking for a quote of {}:{} failed: {}", key.exchange, key.symbol,
                  error.what());
    answer(std::nullopt);
  }
}

void Engine::Core::on_placement_price_failed(PlacementId id, int attempt) {
  const auto found = placements_.find(id);
  if (found == placements_.end() || found->second.attempts != attempt) return;
  if (attempt < options_.quote_attempts) {
    const auto& delays = options_.quote_retry_delays_ms;
    const std::int64_t delay =
        delays.empty() ? 0 : delays[std::min<std::size_t>(attempt - 1, delays.size() - 1)];
    loop_.post_at(now_ms_() + delay, [this, id, attempt] {
      const auto still = placements_.find(id);
      if (still != placements_.end() && still->second.attempts == attempt) fetch_for_placement(id);
    });
    return;
  }
  finish_placement(id, std::nullopt);
}

void Engine::Core::finish_placement(PlacementId id, std::optional<Quote> quote) {
  auto node = placements_.extract(id);
  if (node.empty()) return;
  Placement placement = std::move(node.mapped());
  const SymbolKey key{placement.request.symbol, placement.request.exchange};
  auto waiting = awaiting_price_.find(key);
  if (waiting != awaiting_price_.end()) {
    waiting->second.erase(id);
    if (waiting->second.empty()) awaiting_price_.erase(waiting);
  }
  answering(placement.done, "placing order",
            [&] { placement.done(accept(placement, quote)); });
}

Reply Engine::Core::accept(const Placement& placement, const std::optional<Quote>& quote) {
  const std::int64_t now = now_ms_();
  const ValidRequest& request = placement.request;
  const SymbolKey key{request.symbol, request.exchange};
  Order order = order_from(placement.user_id, request, now);
  std::optional<FillDecision> arrival;
  if (quote) {
    arrival = on_arrival(order, *quote);
    if (arrival->kind == FillDecision::Kind::Triggered) order.status = OrderStatus::Open;
  }

  std::optional<std::string> rejection;
  db_.write([&](SandboxTables& tables) {
    order.orderid = next_orderid(tables);
    const PositionKey position_key = position_key_of(order);
    const Position position = tables.find_position(position_key).value_or(Position{position_key});
    auto refuse = [&](std::string message) {
      rejection = std::move(message);
      order.status = OrderStatus::Rejected;
      order.rejection_reason = *rejection;
      order.pending_quantity = 0;
      if (placement.origin != Origin::AutoSquareOff) tables.insert_order(order);
    };
    if (placement.origin == Origin::Api) {
      if (auto refused = check_lot_size(request.quantity, placement.instrument)) return refuse(*refused);
    }
    if (const auto expired = expired_from(options_.schedule, placement.instrument);
        expired && *expired <= now) {
      return refuse("Contract " + request.symbol + " has expired");
    }
    if (auto refused = check_mis_blackout(options_.schedule, request, position.quantity, now)) {
      return refuse(*refused);
    }
    if (request.product == Product::Cnc && request.action == Action::Sell) {
      const auto holding = tables.find_holding(order.user_id, order.symbol, order.exchange);
      const double reserved = reserved_cnc_sells(order.user_id, order.symbol, order.exchange, "");
      if (auto refused = check_cnc_sell(request, position.quantity,
                                        holding ? holding->quantity : 0, reserved)) {
        return refuse(*refused);
      }
    }
    std::optional<Quote> pricing = quote;
    if (!pricing && request.price_type == PriceType::Market) {
      pricing = cached_quote(key);
      if (!pricing && position.ltp > 0) pricing = Quote{position.ltp, 0, 0, now};
    }
    const auto price = margin_price(request.price_type, request.action, request.price,
                                    request.trigger_price, pricing);
    if (!price) {
      if (request.price_type == PriceType::Market) {
        return refuse("Cannot place MARKET order for " + request.symbol +
                      " - unable to fetch current price. Please try again later or use LIMIT "
                      "order with a specific price.");
      }
      return refuse(fmt::format("Invalid price for margin calculation. Please provide valid "
                                "price/trigger_price for {} order",
                                to_string(request.price_type)));
    }
    const ContractKind kind = contract_kind(placement.instrument);
    const Netting netting = net_against(position.quantity, request.action, request.quantity);
    const Paise margin =
        requires_margin(kind, request.product, request.action)
            ? margin_for(netting.opening, *price,
                         leverage_for(options_.leverage, kind, request.product, request.action))
            : 0;
    Funds funds = funds_of(tables, order.user_id);
    if (margin > 0) {
      if (auto refused = block(funds, margin)) return refuse(*refused);
    }
    order.margin_blocked = margin;
    if (request.price_type == PriceType::Market) order.price = *price;
    tables.insert_order(order);
    tables.save_funds(funds);
  });

  if (rejection) {
    spdlog::info("sandbox: order {} of user {} rejected: {}", order.orderid, order.user_id,
                 *rejection);
    json::object body = error_body(*rejection);
    if (placement.origin != Origin::AutoSquareOff) body["orderid"] = order.orderid;
    return {400, std::move(body)};
  }
  add_resting(order);
  if (arrival && arrival->kind == FillDecision::Kind::Fill) {
    try {
      execute_fill(order.orderid, arrival->price, quote->ltp);
    } catch (const std::exception& error) {
      // Accepted all the same: the order rests and fills on the next price.
      spdlog::error("sandbox: executing order {} failed: {}", order.orderid, error.what());
    }
  }
  return {200, json::object{{"mode", "analyze"}, {"orderid", order.orderid}, {"status", "success"}}};
}

// ---------------------------------------------------------------------------
// Prices and execution

void Engine::Core::on_quote(const SymbolKey& key, const Quote& incoming) {
  if (!(incoming.ltp > 0)) return;
  Quote quote = incoming;
  const bool newer = remember_quote(key, quote);
  // Resting orders first: an order accepted on this very price below must
  // wait for the next one, not fill again as if it had been resting.
  if (newer) evaluate_resting(key, quote);
  const auto waiting = awaiting_price_.find(key);
  if (waiting == awaiting_price_.end()) return;
  const std::set<PlacementId> ids = waiting->second;
  const Quote latest = quotes_.at(key);
  for (PlacementId id : ids) finish_placement(id, latest);
}

bool Engine::Core::remember_quote(const SymbolKey& key, Quote& quote) {
  if (quote.at_ms == 0) quote.at_ms = now_ms_();
  auto [slot, inserted] = quotes_.try_emplace(key, quote);
  if (inserted) return true;
  if (quote.at_ms < slot->second.at_ms) return false;
  slot->second = quote;
  return true;
}

std::optional<Quote> Engine::Core::cached_quote(const SymbolKey& key) const {
  const auto found = quotes_.find(key);
  if (found == quotes_.end()) return std::nullopt;
  return found->second;
}

void Engine::Core::evaluate_resting(const SymbolKey& key, const Quote& quote) {
  const auto on_symbol = resting_by_symbol_.find(key);
  if (on_symbol == resting_by_symbol_.end()) return;
  const std::set<std::string> ids = on_symbol->second;
  for (const std::string& orderid : ids) {
    const auto found = resting_.find(orderid);
    if (found == resting_.end()) continue;
    const FillDecision decision = sandbox::on_quote(found->second, quote);
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

    const ContractKind kind = contract_kind(instrument);
    const Netting netting = net_against(position.quantity, order.action, order.quantity);
    const Paise required =
        requires_margin(kind, order.product, order.action)
            ? margin_for(netting.opening, price,
                         leverage_for(options_.leverage, kind, order.product, order.action))
            : 0;
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
  if (found != resting_.end()) found->second.status = OrderStatus::Open;
}

// ---------------------------------------------------------------------------
// Modify and cancel

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
      const Instrument instrument = instrument_for(symbol_of(changed));
      const ContractKind kind = contract_kind(instrument);
      const Netting netting = net_against(position.quantity, changed.action, changed.quantity);
      const Paise required =
          requires_margin(kind, changed.product, changed.action)
              ? margin_for(netting.opening, price,
                           leverage_for(options_.leverage, kind, changed.product, changed.action))
              : 0;
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
    resting_[changed.orderid] = changed;
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

// ---------------------------------------------------------------------------
// Closing positions

void Engine::Core::close_all(std::int64_t user_id, Done done) {
  done = once(std::move(done));
  answering(done, "closing positions", [&] {
    std::vector<Position> positions;
    db_.read([&](SandboxTables& tables) { positions = tables.user_positions(user_id); });
    std::erase_if(positions, [&](const Position& position) {
      return position.quantity == 0 || closing_.contains(position.key);
    });
    if (positions.empty()) {
      return done({200, json::object{{"message", "No open positions to close"},
                                     {"mode", "analyze"},
                                     {"status", "success"}}});
    }
    struct Tally {
      std::size_t remaining = 0;
      int closed = 0, failed = 0;
      Done done;
    };
    auto tally = std::make_shared<Tally>(Tally{positions.size(), 0, 0, done});
    for (const Position& position : positions) {
      place_closing_order(position, Origin::Close, "Squareoff", [tally](Reply reply) {
        (reply.status == 200 ? tally->closed : tally->failed) += 1;
        if (--tally->remaining > 0) return;
        std::string message = fmt::format("Closed {} positions", tally->closed);
        if (tally->failed > 0) message += fmt::format(" (Failed to close {} positions)", tally->failed);
        tally->done({200, json::object{{"closed_positions", tally->closed},
                                       {"failed_closures", tally->failed},
                                       {"message", message},
                                       {"mode", "analyze"},
                                       {"status", "success"}}});
      });
    }
  });
}

void Engine::Core::place_closing_order(const Position& position, Origin origin,
                                       const std::string& strategy, Done done) {
  const ValidRequest request{strategy,
                             position.key.symbol,
                             position.key.exchange,
                             position.quantity > 0 ? Action::Sell : Action::Buy,
                             PriceType::Market,
                             position.key.product,
                             std::fabs(position.quantity),
                             0,
                             0};
  const PositionKey key = position.key;
  closing_.insert(key);
  start_placement(key.user_id, request, instrument_for({key.symbol, key.exchange}), origin,
                  [this, key, done = std::move(done)](Reply reply) {
                    closing_.erase(key);
                    done(std::move(reply));
                  });
}

// ---------------------------------------------------------------------------
// Bookkeeping

void Engine::Core::add_resting(const Order& order) {
  resting_[order.orderid] = order;
  const SymbolKey key = symbol_of(order);
  resting_by_symbol_[key].insert(order.orderid);
  refresh_watch(key);
}

void Engine::Core::remove_resting(const std::string& orderid) {
  const auto found = resting_.find(orderid);
  if (found == resting_.end()) return;
  const SymbolKey key = symbol_of(found->second);
  resting_.erase(found);
  auto on_symbol = resting_by_symbol_.find(key);
  if (on_symbol != resting_by_symbol_.end()) {
    on_symbol->second.erase(orderid);
    if (on_symbol->second.empty()) resting_by_symbol_.erase(on_symbol);
  }
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
  const bool wanted = resting_by_symbol_.contains(key) || open_positions_.contains(key);
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
  const auto found = instruments_.find(key);
  if (found != instruments_.end()) return found->second;
  if (auto instrument = market_.instrument(key.symbol, key.exchange)) {
    return instruments_.emplace(key, *instrument).first->second;
  }
  // The master contract is not loaded yet: classify from the symbol alone.
  return Instrument{key.symbol, key.exchange, "", "", 1, 0.05, 1};
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
  return fmt::format("{}{:08d}", prefix, ++orderid_sequence_);
}

}  // namespace oa::sandbox
