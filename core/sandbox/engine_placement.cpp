// New orders: validation, waiting for a price without blocking the engine,
// acceptance with its margin, and the MARKET orders that close positions.
//
// A placement waits for its first price (the symbol's fetch in flight, which
// it starts when there is none, or a tick for the symbol) and is removed from `placements_` before it is
// accepted, so a second price finds nothing to accept.
#include "sandbox/engine_core.hpp"
#include "sandbox/engine_guards.hpp"
#include "sandbox/funds.hpp"
#include "sandbox/positions.hpp"

namespace oa::sandbox {
namespace {

namespace json = boost::json;

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

}  // namespace

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
    board_.set_instrument(SymbolKey{valid.symbol, valid.exchange}, *instrument);
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
  // A fetch already in flight for the symbol serves this attempt too: many
  // placements on one symbol ride on one quote instead of one call each.
  if (auto found = fetches_.find(key); found != fetches_.end()) {
    found->second.riders.emplace_back(id, attempt);
    return;
  }
  const std::uint64_t fetch_id = next_fetch_++;
  fetches_[key] = QuoteFetch{fetch_id, {{id, attempt}}};
  loop_.post_at(now_ms_() + options_.quote_timeout_ms,
                [this, key, fetch_id] { on_fetched(key, fetch_id, std::nullopt); });
  auto answer = [mailbox = mailbox_, this, key, fetch_id](std::optional<Quote> quote) {
    mailbox->post([this, key, fetch_id, quote] { on_fetched(key, fetch_id, quote); });
  };
  try {
    market_.fetch_quote(key.symbol, key.exchange, answer);
  } catch (const std::exception& error) {
    spdlog::error("sandbox: asking for a quote of {}:{} failed: {}", key.exchange, key.symbol,
                  error.what());
    answer(std::nullopt);
  }
}

void Engine::Core::on_fetched(const SymbolKey& key, std::uint64_t fetch_id, std::optional<Quote> quote) {
  std::vector<std::pair<PlacementId, int>> riders;
  if (auto found = fetches_.find(key); found != fetches_.end() && found->second.id == fetch_id) {
    riders = std::move(found->second.riders);
    fetches_.erase(found);
  }
  // A fetched price goes where ticks go, even one that comes after its
  // deadline: it serves every placement waiting on the symbol (riders or
  // not) and the resting orders.
  if (quote && quote->ltp > 0) return on_quote(key, *quote);
  for (const auto& [id, attempt] : riders) on_placement_price_failed(id, attempt);
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

std::optional<std::string> Engine::Core::refusal_for(const Placement& placement,
                                                     const Position& position,
                                                     SandboxTables& tables, std::int64_t now) {
  const ValidRequest& request = placement.request;
  if (placement.origin == Origin::Api) {
    if (auto refused = check_lot_size(request.quantity, placement.instrument)) return refused;
  }
  if (const auto expired = expired_from(options_.schedule, placement.instrument);
      expired && *expired <= now) {
    return "Contract " + request.symbol + " has expired";
  }
  if (auto refused = check_mis_blackout(options_.schedule, request, position.quantity, now)) {
    return refused;
  }
  if (request.product != Product::Cnc || request.action != Action::Sell) return std::nullopt;
  const auto holding = tables.find_holding(placement.user_id, request.symbol, request.exchange);
  const double reserved =
      reserved_cnc_sells(placement.user_id, request.symbol, request.exchange, "");
  return check_cnc_sell(request, position.quantity, holding ? holding->quantity : 0, reserved);
}

std::variant<double, std::string> Engine::Core::margin_basis(const ValidRequest& request,
                                                             const std::optional<Quote>& quote,
                                                             const Position& position,
                                                             std::int64_t now) const {
  std::optional<Quote> pricing = quote;
  if (!pricing && request.price_type == PriceType::Market) {
    // No fresh quote: the last price seen, as OpenAlgo falls back to the
    // position's last LTP. The order then rests until a price comes.
    pricing = cached_quote({request.symbol, request.exchange});
    if (!pricing && position.ltp > 0) pricing = Quote{position.ltp, 0, 0, now};
  }
  const auto price = margin_price(request.price_type, request.action, request.price,
                                  request.trigger_price, pricing);
  if (price) return *price;
  if (request.price_type == PriceType::Market) {
    return "Cannot place MARKET order for " + request.symbol +
           " - unable to fetch current price. Please try again later or use LIMIT order with a "
           "specific price.";
  }
  return fmt::format("Invalid price for margin calculation. Please provide valid "
                     "price/trigger_price for {} order",
                     to_string(request.price_type));
}

Engine::Core::Admission Engine::Core::admit(SandboxTables& tables, const Placement& placement,
                                            const std::optional<Quote>& quote, std::int64_t now) {
  const ValidRequest& request = placement.request;
  Admission admission{order_from(placement.user_id, request, now), std::nullopt, std::nullopt};
  Order& order = admission.order;
  if (quote) {
    admission.arrival = on_arrival(order, *quote);
    if (admission.arrival->kind == FillDecision::Kind::Triggered) order.status = OrderStatus::Open;
  }
  order.orderid = next_orderid(tables);
  const PositionKey position_key = position_key_of(order);
  const Position position = tables.find_position(position_key).value_or(Position{position_key});
  Funds funds = funds_of(tables, order.user_id);
  std::optional<std::string>& refusal = admission.refusal;
  refusal = refusal_for(placement, position, tables, now);
  if (!refusal) {
    const auto basis = margin_basis(request, quote, position, now);
    if (const auto* message = std::get_if<std::string>(&basis)) {
      refusal = *message;
    } else {
      if (request.price_type == PriceType::Market) order.price = std::get<double>(basis);
      order.margin_blocked = margin_to_hold(options_.leverage, placement.instrument, request.product,
                                            request.action, position.quantity, request.quantity,
                                            std::get<double>(basis));
      if (order.margin_blocked > 0) refusal = block(funds, order.margin_blocked);
    }
  }
  if (refusal) {
    // Kept in the order book as rejected, as a broker shows it; a
    // square-off that found no price is retried instead.
    order.status = OrderStatus::Rejected;
    order.rejection_reason = *refusal;
    order.pending_quantity = 0;
    order.margin_blocked = 0;
    if (placement.origin != Origin::AutoSquareOff) tables.insert_order(order);
    return admission;
  }
  tables.insert_order(order);
  tables.save_funds(funds);
  return admission;
}

Reply Engine::Core::accept(const Placement& placement, const std::optional<Quote>& quote) {
  Admission admission;
  db_.write([&](SandboxTables& tables) { admission = admit(tables, placement, quote, now_ms_()); });
  const Order& order = admission.order;
  if (admission.refusal) {
    spdlog::info("sandbox: order {} of user {} rejected: {}", order.orderid, order.user_id, *admission.refusal);
    json::object body = error_body(*admission.refusal);
    if (placement.origin != Origin::AutoSquareOff) body["orderid"] = order.orderid;
    return {400, std::move(body)};
  }
  start_resting(admission, quote);
  return {200, json::object{{"mode", "analyze"}, {"orderid", order.orderid}, {"status", "success"}}};
}

void Engine::Core::start_resting(const Admission& admission, const std::optional<Quote>& quote) {
  const Order& order = admission.order;
  add_resting(order);
  if (!admission.arrival || admission.arrival->kind != FillDecision::Kind::Fill) return;
  try {
    execute_fill(order.orderid, admission.arrival->price, quote->ltp);
  } catch (const std::exception& error) {
    // Accepted all the same: the order rests and fills on the next price.
    spdlog::error("sandbox: executing order {} failed: {}", order.orderid, error.what());
  }
}

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

}  // namespace oa::sandbox
