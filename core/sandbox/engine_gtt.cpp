// GTT orders: placement with their margin, modification, cancellation,
// expiry, the GTT book, and firing on prices.
//
// A GTT fires exactly once: only while it is in `gtts_` and stored as
// active, and the firing (GTT triggered, its margin released, the leg's
// order stored with its own margin, the order id on the leg) is one
// transaction, so neither a second price nor a crash can fire it twice.
// The order then fills like any other, on this price or a later one.
//
// OpenAlgo re-armed a GTT whose order was refused, so a refusal that does
// not go away (no shares to sell, an expired contract) placed a new
// rejected order on every tick; here the GTT ends as rejected instead, the
// refused order showing why in the order book.
#include "sandbox/engine_core.hpp"
#include "sandbox/engine_guards.hpp"
#include "sandbox/funds.hpp"
#include "sandbox/ist_time.hpp"

namespace oa::sandbox {
namespace {

namespace json = boost::json;

Reply gtt_reply(const std::string& gtt_id) {
  return {200, json::object{{"mode", "analyze"}, {"status", "success"}, {"trigger_id", gtt_id}}};
}

Reply no_active_gtt(const std::string& gtt_id) {
  return error_reply(404, "No active GTT with trigger_id '" + gtt_id + "'");
}

OrderRequest order_request_for(const GttRequest& request, const GttLeg& leg) {
  OrderRequest order;
  order.strategy = request.strategy;
  order.symbol = request.symbol;
  order.exchange = request.exchange;
  order.action = std::string(to_string(leg.action));
  order.pricetype = std::string(to_string(leg.price_type));
  order.product = std::string(to_string(leg.product));
  order.quantity = leg.quantity;
  order.price = leg.price;
  return order;
}

// What modify may not change: the GTT is cancelled and placed anew for that.
std::optional<std::string> immutable_change(const Gtt& gtt, const GttRequest& request,
                                            const std::vector<GttLeg>& legs) {
  const char* field = nullptr;
  if (request.symbol != gtt.symbol) field = "symbol";
  else if (request.exchange != gtt.exchange) field = "exchange";
  else if (legs.front().action != gtt.legs.front().action) field = "action";
  else if (legs.size() != gtt.legs.size()) field = "trigger_type";
  if (!field) return std::nullopt;
  return fmt::format("The {} of a GTT cannot be modified; cancel it and place a new one", field);
}

}  // namespace

std::variant<std::vector<GttLeg>, Reply> Engine::Core::checked_legs(const GttRequest& request,
                                                                     Instrument& instrument) {
  auto legs = gtt_legs(request);
  if (const auto* refused = std::get_if<std::string>(&legs)) return error_reply(400, *refused);
  for (const GttLeg& leg : std::get<std::vector<GttLeg>>(legs)) {
    const auto checked = check_request(order_request_for(request, leg));
    if (const auto* refused = std::get_if<RequestError>(&checked)) {
      return error_reply(refused->status, refused->message);
    }
  }
  auto found = market_.instrument(request.symbol, request.exchange);
  if (!found) return error_reply(400, "Symbol " + request.symbol + " not found on " + request.exchange);
  instrument = *found;
  board_.set_instrument(SymbolKey{request.symbol, request.exchange}, instrument);
  if (auto refused = check_lot_size(request.quantity, instrument)) return error_reply(400, *refused);
  if (const auto expired = expired_from(options_.schedule, instrument); expired && *expired <= now_ms_()) {
    return error_reply(400, "Contract " + request.symbol + " has expired");
  }
  return std::get<std::vector<GttLeg>>(std::move(legs));
}

void Engine::Core::place_gtt(std::int64_t user_id, const GttRequest& request, Done done) {
  done = once(std::move(done));
  answering(done, "placing GTT", [&] {
    Instrument instrument;
    auto legs = checked_legs(request, instrument);
    if (auto* refused = std::get_if<Reply>(&legs)) return done(std::move(*refused));
    const std::int64_t now = now_ms_();
    Gtt gtt;
    gtt.user_id = user_id;
    gtt.strategy = request.strategy;
    gtt.symbol = request.symbol;
    gtt.exchange = request.exchange;
    gtt.type = requested_gtt_type(request.trigger_type).value_or(GttType::Single);
    gtt.legs = std::get<std::vector<GttLeg>>(std::move(legs));
    gtt.margin_blocked =
        gtt_margin(gtt.legs, instrument, options_.leverage, options_.gtt_oco_margin == OcoMargin::Sum);
    gtt.expires_ms = gtt_expiry(request.expires_at, now);
    gtt.created_ms = gtt.updated_ms = now;
    // The last price is shown with the GTT; a GTT is placed without one when
    // none comes within book_quote_wait_ms.
    const SymbolKey key{gtt.symbol, gtt.exchange};
    with_fresh_quotes({key}, [this, gtt = std::move(gtt), done]() mutable {
      answering(done, "placing GTT", [&] { create_gtt(std::move(gtt), done); });
    });
  });
}

void Engine::Core::create_gtt(Gtt gtt, const Done& done) {
  if (const auto quote = cached_quote({gtt.symbol, gtt.exchange})) gtt.last_price = quote->ltp;
  std::optional<std::string> refused;
  db_.write([&](SandboxTables& tables) {
    gtt.gtt_id = next_gtt_id(tables);
    if (gtt.margin_blocked > 0) {
      Funds funds = funds_of(tables, gtt.user_id);
      refused = block(funds, gtt.margin_blocked);
      if (refused) return;
      tables.save_funds(funds);
    }
    tables.insert_gtt(gtt);
  });
  if (refused) return done(error_reply(400, *refused));
  add_gtt(gtt);
  spdlog::info("sandbox: GTT {} of user {} placed on {}:{}", gtt.gtt_id, gtt.user_id, gtt.exchange, gtt.symbol);
  done(gtt_reply(gtt.gtt_id));
}

std::optional<Gtt> Engine::Core::owned_active_gtt(std::int64_t user_id, const std::string& gtt_id) {
  const auto found = gtts_.find(gtt_id);
  if (found == gtts_.end() || found->second.user_id != user_id) return std::nullopt;
  return found->second;
}

void Engine::Core::modify_gtt(std::int64_t user_id, const GttRequest& request, Done done) {
  done = once(std::move(done));
  answering(done, "modifying GTT", [&] {
    auto gtt = owned_active_gtt(user_id, request.trigger_id);
    if (!gtt) return done(no_active_gtt(request.trigger_id));
    Instrument instrument;
    auto legs = checked_legs(request, instrument);
    if (auto* refused = std::get_if<Reply>(&legs)) return done(std::move(*refused));
    auto& new_legs = std::get<std::vector<GttLeg>>(legs);
    if (auto refused = immutable_change(*gtt, request, new_legs)) return done(error_reply(400, *refused));
    gtt->legs = std::move(new_legs);
    gtt->strategy = request.strategy;
    gtt->updated_ms = now_ms_();
    const Paise required =
        gtt_margin(gtt->legs, instrument, options_.leverage, options_.gtt_oco_margin == OcoMargin::Sum);
    std::optional<std::string> refused;
    bool active = true;
    db_.write([&](SandboxTables& tables) {
      const auto stored = tables.find_gtt(gtt->gtt_id);
      active = stored && stored->status == GttStatus::Active;
      if (!active) return;
      Funds funds = funds_of(tables, user_id);
      const Paise delta = required - stored->margin_blocked;
      if (delta > 0) refused = block(funds, delta);
      if (refused) return;
      if (delta < 0) must(release(funds, -delta, 0));
      gtt->margin_blocked = required;
      tables.save_funds(funds);
      tables.update_gtt(*gtt);
    });
    if (!active) return done(no_active_gtt(request.trigger_id));
    if (refused) return done(error_reply(400, *refused));
    remove_gtt(gtt->gtt_id);
    add_gtt(*gtt);
    done(gtt_reply(gtt->gtt_id));
  });
}

void Engine::Core::cancel_gtt(std::int64_t user_id, const std::string& gtt_id, Done done) {
  done = once(std::move(done));
  answering(done, "cancelling GTT", [&] {
    if (!owned_active_gtt(user_id, gtt_id) || !close_gtt(gtt_id, GttStatus::Cancelled)) {
      return done(no_active_gtt(gtt_id));
    }
    done(gtt_reply(gtt_id));
  });
}

bool Engine::Core::close_gtt(const std::string& gtt_id, GttStatus status) {
  bool closed = false;
  db_.write([&](SandboxTables& tables) {
    auto stored = tables.find_gtt(gtt_id);
    if (!stored || stored->status != GttStatus::Active) return;
    Funds funds = funds_of(tables, stored->user_id);
    must(release(funds, stored->margin_blocked, 0));
    stored->margin_blocked = 0;
    stored->status = status;
    stored->updated_ms = now_ms_();
    tables.save_funds(funds);
    tables.update_gtt(*stored);
    closed = true;
  });
  remove_gtt(gtt_id);
  return closed;
}

void Engine::Core::gtt_book(std::int64_t user_id, Done done) {
  answering(done, "getting GTT orders", [&] {
    std::vector<Gtt> gtts;
    db_.read([&](SandboxTables& tables) { gtts = tables.user_gtts(user_id, true); });
    done({200, gtt_book_body(gtts)});
  });
}

void Engine::Core::expire_gtts(std::int64_t now) {
  std::vector<std::string> due;
  for (const auto& [gtt_id, gtt] : gtts_) {
    if (gtt.expires_ms <= now) due.push_back(gtt_id);
  }
  for (const std::string& gtt_id : due) {
    if (close_gtt(gtt_id, GttStatus::Expired)) spdlog::info("sandbox: GTT {} expired", gtt_id);
  }
}

// ---------------------------------------------------------------------------
// Firing

void Engine::Core::evaluate_gtts(const SymbolKey& key, const Quote& quote, const PriceRange& seen) {
  const auto on_symbol = gtts_by_symbol_.find(key);
  if (on_symbol == gtts_by_symbol_.end()) return;
  const std::set<std::string> ids = on_symbol->second;
  for (const std::string& gtt_id : ids) {
    const auto found = gtts_.find(gtt_id);
    if (found == gtts_.end()) continue;
    const auto leg = leg_to_fire(found->second, quote, seen);
    if (!leg) continue;
    try {
      fire_gtt(gtt_id, *leg, quote);
    } catch (const std::exception& error) {
      // Nothing was written: the GTT stays active and is tried on the next price.
      spdlog::error("sandbox: firing GTT {} failed: {}", gtt_id, error.what());
    }
  }
}

void Engine::Core::fire_gtt(const std::string& gtt_id, std::size_t leg_index, const Quote& quote) {
  const Gtt& gtt = gtts_.at(gtt_id);
  const GttLeg& leg = gtt.legs.at(leg_index);
  const SymbolKey key{gtt.symbol, gtt.exchange};
  const Placement placement{gtt.user_id,
                            ValidRequest{gtt.strategy, gtt.symbol, gtt.exchange, leg.action, leg.price_type,
                                         leg.product, leg.quantity, leg.price, 0},
                            instrument_for(key), Origin::Gtt, nullptr, 0};
  const std::int64_t now = now_ms_();
  std::optional<Admission> admission;
  db_.write([&](SandboxTables& tables) {
    auto stored = tables.find_gtt(gtt_id);
    if (!stored || stored->status != GttStatus::Active) return;
    // The GTT's margin comes back first; the order then blocks its own.
    Funds funds = funds_of(tables, stored->user_id);
    must(release(funds, stored->margin_blocked, 0));
    tables.save_funds(funds);
    admission = admit(tables, placement, quote, now);
    stored->status = admission->refusal ? GttStatus::Rejected : GttStatus::Triggered;
    stored->margin_blocked = 0;
    stored->legs.at(leg_index).orderid = admission->order.orderid;
    stored->updated_ms = now;
    tables.update_gtt(*stored);
  });
  remove_gtt(gtt_id);
  if (!admission) return;
  if (admission->refusal) {
    spdlog::info("sandbox: GTT {} triggered but its order {} was rejected: {}", gtt_id,
                 admission->order.orderid, *admission->refusal);
    return;
  }
  spdlog::info("sandbox: GTT {} triggered at {}: order {}", gtt_id, quote.ltp, admission->order.orderid);
  start_resting(*admission, quote);
}

// ---------------------------------------------------------------------------
// The in-memory index

void Engine::Core::add_gtt(const Gtt& gtt) {
  const SymbolKey key{gtt.symbol, gtt.exchange};
  gtts_[gtt.gtt_id] = gtt;
  gtts_by_symbol_[key].insert(gtt.gtt_id);
  refresh_watch(key);
}

void Engine::Core::remove_gtt(const std::string& gtt_id) {
  const auto found = gtts_.find(gtt_id);
  if (found == gtts_.end()) return;
  const SymbolKey key{found->second.symbol, found->second.exchange};
  gtts_.erase(found);
  auto on_symbol = gtts_by_symbol_.find(key);
  if (on_symbol != gtts_by_symbol_.end()) {
    on_symbol->second.erase(gtt_id);
    if (on_symbol->second.empty()) gtts_by_symbol_.erase(on_symbol);
  }
  refresh_watch(key);
}

void Engine::Core::reload_gtts() {
  std::vector<Gtt> active;
  db_.read([&](SandboxTables& tables) { active = tables.active_gtts(); });
  std::vector<std::string> known;
  for (const auto& [gtt_id, gtt] : gtts_) known.push_back(gtt_id);
  for (const std::string& gtt_id : known) remove_gtt(gtt_id);
  for (const Gtt& gtt : active) add_gtt(gtt);
}

std::string Engine::Core::next_gtt_id(SandboxTables& tables) {
  const std::string prefix = gtt_id_prefix(now_ms_());
  if (prefix != gtt_prefix_) {
    const auto last = tables.last_gtt_id_with_prefix(prefix);
    gtt_sequence_ = last ? std::stoll(last->substr(prefix.size()), nullptr, 16) : 0;
    gtt_prefix_ = prefix;
  }
  return fmt::format("{}{:08x}", prefix, ++gtt_sequence_);
}

void Engine::Core::reblock_gtts(SandboxTables& tables, Funds& funds, std::int64_t now) {
  for (Gtt gtt : tables.user_gtts(funds.user_id, true)) {
    if (gtt.margin_blocked <= 0) continue;
    if (!block(funds, gtt.margin_blocked)) continue;
    // The fresh capital cannot carry it (a smaller starting capital).
    spdlog::warn("sandbox: GTT {} cancelled by the fund reset: its margin no longer fits", gtt.gtt_id);
    gtt.margin_blocked = 0;
    gtt.status = GttStatus::Cancelled;
    gtt.updated_ms = now;
    tables.update_gtt(gtt);
  }
}

// ---------------------------------------------------------------------------
// The manual reset

void Engine::Core::reset_user(std::int64_t user_id, Done done) {
  done = once(std::move(done));
  answering(done, "resetting the sandbox", [&] {
    const std::int64_t now = now_ms_();
    Funds funds;
    db_.write([&](SandboxTables& tables) {
      tables.delete_user_activity(user_id);
      funds = funds_of(tables, user_id);
      reset(funds, to_paise(options_.starting_capital), now);
      tables.save_funds(funds);
    });
    std::vector<std::string> orders, gtts;
    for (const auto& [orderid, order] : resting_) {
      if (order.user_id == user_id) orders.push_back(orderid);
    }
    for (const auto& [gtt_id, gtt] : gtts_) {
      if (gtt.user_id == user_id) gtts.push_back(gtt_id);
    }
    for (const std::string& orderid : orders) remove_resting(orderid);
    for (const std::string& gtt_id : gtts) remove_gtt(gtt_id);
    resync_open_positions();
    spdlog::info("sandbox: user {} reset the sandbox (reset {})", user_id, funds.reset_count);
    done({200, json::object{{"message", "Sandbox reset: orders, trades, positions, holdings, GTTs and daily P&L "
                                        "deleted; funds back to the starting capital"},
                            {"mode", "analyze"},
                            {"reset_count", funds.reset_count},
                            {"status", "success"}}});
  });
}

}  // namespace oa::sandbox
