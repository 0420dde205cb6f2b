// Time-driven work, run by run_schedules() every second:
//  * every sweep_interval_ms: record last prices on positions and holdings,
//    settle expired F&O contracts, settle MIS positions left from an earlier
//    day (the engine was down at square-off time), and square off today's MIS
//    positions on exchanges past their square-off time with MARKET orders;
//  * the daily P&L snapshot (23:59), T+1 settlement (00:00), today's P&L
//    reset (SESSION_EXPIRY_TIME) and the optional weekly fund reset, each
//    recorded with its work in one transaction, so a job runs once per
//    boundary however long the engine was down;
//  * prices for resting orders whose ticks stopped coming.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "sandbox/books.hpp"
#include "sandbox/engine_core.hpp"
#include "sandbox/engine_guards.hpp"
#include "sandbox/funds.hpp"
#include "sandbox/ist_time.hpp"
#include "sandbox/positions.hpp"

namespace oa::sandbox {
namespace {

constexpr const char* kSnapshotJob = "daily_pnl_snapshot";
constexpr const char* kSettlementJob = "t1_settlement";
constexpr const char* kDailyResetJob = "daily_pnl_reset";
constexpr const char* kWeeklyResetJob = "weekly_fund_reset";
constexpr const char* kAutoSquareOff = "AUTO_SQUARE_OFF";

// Runs one step of the schedule; a failing step is logged and the others still run.
template <typename Step>
void step(const char* what, Step&& body) {
  try {
    body();
  } catch (const std::exception& error) {
    spdlog::error("sandbox: {} failed: {}", what, error.what());
  }
}

Paise share(Paise amount, double part, double whole) {
  if (part >= whole) return amount;
  return static_cast<Paise>(std::llround(static_cast<double>(amount) * part / whole));
}

}  // namespace

void Engine::Core::load_schedule_state(SandboxTables& tables) {
  for (const char* job : {kSnapshotJob, kSettlementJob, kDailyResetJob, kWeeklyResetJob}) {
    if (auto at = tables.last_run(job)) last_runs_[job] = *at;
  }
}

void Engine::Core::run_schedules() {
  const std::int64_t now = now_ms_();
  const ScheduleOptions& schedule = options_.schedule;
  if (!last_sweep_ || now - *last_sweep_ >= options_.sweep_interval_ms || now < *last_sweep_) {
    last_sweep_ = now;
    sweep_positions(now);
  }
  step("polling prices", [&] { poll_stale_symbols(now); });
  // In the order their boundaries fall: 23:59, 00:00, 03:00.
  run_job(kSnapshotJob, now,
          [&](std::int64_t last) { return daily_due(last, now, schedule.snapshot_time); },
          [&](SandboxTables& tables) {
            take_daily_snapshot(tables, last_daily_boundary(now, schedule.snapshot_time));
          });
  run_job(kSettlementJob, now,
          [&](std::int64_t last) { return daily_due(last, now, schedule.settlement_time); },
          [&](SandboxTables& tables) {
            settle_t_plus_one(tables, last_daily_boundary(now, schedule.settlement_time), now);
          });
  run_job(kDailyResetJob, now,
          [&](std::int64_t last) { return daily_due(last, now, schedule.session_boundary); },
          [](SandboxTables& tables) { tables.clear_today_realized(); });
  if (schedule.reset_weekday) {
    const int weekday = *schedule.reset_weekday;
    const auto last = last_runs_.find(kWeeklyResetJob);
    // Orders are cancelled first, each releasing its margin, so the reset
    // below finds no order holding margin the ledger no longer has.
    if (last != last_runs_.end() && weekly_due(last->second, now, weekday, schedule.reset_time)) {
      step("cancelling orders for the weekly reset", [&] {
        cancel_orders_where([](const Order&) { return true; }, "Cancelled by the weekly fund reset");
      });
    }
    run_job(kWeeklyResetJob, now,
            [&](std::int64_t last) { return weekly_due(last, now, weekday, schedule.reset_time); },
            [&](SandboxTables& tables) { reset_funds(tables, now); });
  }
}

void Engine::Core::run_job(const std::string& job, std::int64_t now,
                           const std::function<bool(std::int64_t last_run)>& due,
                           const std::function<void(SandboxTables&)>& work) {
  step(job.c_str(), [&] {
    const auto last = last_runs_.find(job);
    const bool first_run = last == last_runs_.end();
    if (!first_run && !due(last->second)) return;
    db_.write([&](SandboxTables& tables) {
      if (!first_run) work(tables);
      tables.set_last_run(job, now);
    });
    last_runs_[job] = now;
    if (!first_run) {
      spdlog::info("sandbox: ran {}", job);
      resync_open_positions();
      reload_gtts();
    }
  });
}

void Engine::Core::resync_open_positions() {
  std::vector<Position> open;
  db_.read([&](SandboxTables& tables) { open = tables.open_positions(); });
  std::map<SymbolKey, int> counts;
  for (const Position& position : open) ++counts[{position.key.symbol, position.key.exchange}];
  std::set<SymbolKey> touched;
  for (const auto& [key, count] : open_positions_) touched.insert(key);
  for (const auto& [key, count] : counts) touched.insert(key);
  open_positions_ = std::move(counts);
  for (const SymbolKey& key : touched) refresh_watch(key);
}

// ---------------------------------------------------------------------------
// The sweep

void Engine::Core::sweep_positions(std::int64_t now) {
  step("recording prices", [&] { persist_marks(); });
  step("settling expired contracts", [&] { settle_expired(now); });
  step("settling MIS positions of an earlier day", [&] { settle_overnight_mis(now); });
  step("squaring off MIS positions", [&] { square_off_mis(now); });
  step("expiring GTTs", [&] { expire_gtts(now); });
}

// The last price of each open position is kept in the store, for the
// settlements that run after a restart before any tick has come.
void Engine::Core::persist_marks() {
  std::vector<std::pair<SymbolKey, double>> marks;
  for (const auto& [key, count] : open_positions_) {
    if (const auto quote = cached_quote(key)) marks.emplace_back(key, quote->ltp);
  }
  if (marks.empty()) return;
  db_.write([&](SandboxTables& tables) {
    for (const auto& [key, ltp] : marks) tables.set_position_ltp(key.symbol, key.exchange, ltp);
  });
}

void Engine::Core::settle_expired(std::int64_t now) {
  auto expired_at = [&](const std::string& symbol, const std::string& exchange) {
    return expired_from(options_.schedule, instrument_for({symbol, exchange}));
  };
  cancel_orders_where(
      [&](const Order& order) {
        const auto at = expired_at(order.symbol, order.exchange);
        return at && *at <= now;
      },
      "Contract expired");

  std::vector<Position> open;
  db_.read([&](SandboxTables& tables) { open = tables.open_positions(); });
  std::erase_if(open, [&](const Position& p) {
    const auto at = expired_at(p.key.symbol, p.key.exchange);
    return !at || *at > now;
  });
  if (open.empty()) return;
  db_.write([&](SandboxTables& tables) {
    for (const Position& position : open) {
      const SymbolKey key{position.key.symbol, position.key.exchange};
      const Instrument instrument = instrument_for(key);
      const std::int64_t at = *expired_at(key.symbol, key.exchange);
      const double last = mark_price(key, position.ltp);
      double price = last > 0 ? last : position.average_price;
      if (contract_kind(instrument) == ContractKind::Option) {
        price = options_.schedule.options_expire_worthless ? 0 : std::max(last, 0.0);
      }
      const bool same_day = ist_midnight(now) <= at;
      FillEffect effect = settle(position, price, instrument.contract_value, same_day, std::min(now, at));
      Funds funds = funds_of(tables, position.key.user_id);
      must(same_day ? release(funds, effect.margin_released, effect.realized)
                    : release_for_earlier_day(funds, effect.margin_released, effect.realized));
      tables.save_position(effect.after);
      tables.save_funds(funds);
      spdlog::info("sandbox: settled expired {}:{} for user {} at {}", key.exchange, key.symbol,
                   position.key.user_id, price);
    }
  });
  for (const Position& position : open) {
    after_position_change({position.key.symbol, position.key.exchange}, true, false);
  }
}

void Engine::Core::settle_overnight_mis(std::int64_t now) {
  const std::int64_t today = ist_midnight(now);
  cancel_orders_where(
      [&](const Order& order) { return order.product == Product::Mis && order.created_ms < today; },
      "");
  std::vector<Position> stale;
  db_.read([&](SandboxTables& tables) { stale = tables.open_positions(); });
  std::erase_if(stale, [&](const Position& p) {
    return p.key.product != Product::Mis || p.opened_ms >= today;
  });
  if (stale.empty()) return;
  // Settled directly at the last price, as the square-off would have done
  // had the engine been running; the P&L belongs to the earlier day.
  db_.write([&](SandboxTables& tables) {
    for (const Position& position : stale) {
      const SymbolKey key{position.key.symbol, position.key.exchange};
      const double last = mark_price(key, position.ltp);
      const double price = last > 0 ? last : position.average_price;
      FillEffect effect =
          settle(position, price, instrument_for(key).contract_value, false, now);
      Funds funds = funds_of(tables, position.key.user_id);
      must(release_for_earlier_day(funds, effect.margin_released, effect.realized));
      tables.save_position(effect.after);
      tables.save_funds(funds);
      spdlog::info("sandbox: settled MIS {}:{} of user {} left from an earlier day at {}",
                   key.exchange, key.symbol, position.key.user_id, price);
    }
  });
  for (const Position& position : stale) {
    after_position_change({position.key.symbol, position.key.exchange}, true, false);
  }
}

void Engine::Core::square_off_mis(std::int64_t now) {
  auto due = [&](const std::string& exchange) {
    return past_square_off(options_.schedule, exchange, now);
  };
  cancel_orders_where(
      [&](const Order& order) {
        return order.product == Product::Mis && due(order.exchange) &&
               order.strategy != kAutoSquareOff;
      },
      "");
  std::vector<Position> open;
  db_.read([&](SandboxTables& tables) { open = tables.open_positions(); });
  for (const Position& position : open) {
    if (position.key.product != Product::Mis || !due(position.key.exchange)) continue;
    if (closing_.contains(position.key)) continue;
    const bool order_resting = std::any_of(resting_.begin(), resting_.end(), [&](const auto& entry) {
      const Order& order = entry.second;
      return order.strategy == kAutoSquareOff && order.user_id == position.key.user_id &&
             order.symbol == position.key.symbol && order.exchange == position.key.exchange &&
             order.product == Product::Mis;
    });
    if (order_resting) continue;
    const auto tried = square_off_attempts_.find(position.key);
    if (tried != square_off_attempts_.end() && now - tried->second < options_.sweep_interval_ms) {
      continue;
    }
    square_off_attempts_[position.key] = now;
    const PositionKey key = position.key;
    spdlog::info("sandbox: squaring off MIS {}:{} of user {}", key.exchange, key.symbol, key.user_id);
    place_closing_order(position, Origin::AutoSquareOff, kAutoSquareOff, [key](Reply reply) {
      if (reply.status == 200) return;
      const auto message = reply.body.if_contains("message");
      spdlog::warn("sandbox: square-off of {}:{} for user {} not placed, retried later: {}",
                   key.exchange, key.symbol, key.user_id,
                   message && message->is_string() ? std::string(message->as_string()) : "");
    });
  }
  std::erase_if(square_off_attempts_, [&](const auto& entry) {
    return now - entry.second >= kDayMs;
  });
}

void Engine::Core::poll_stale_symbols(std::int64_t now) {
  std::set<SymbolKey> waiting;
  for (const auto& [key, ladder] : resting_by_symbol_) waiting.insert(key);
  for (const auto& [key, gtts] : gtts_by_symbol_) waiting.insert(key);
  std::erase_if(last_poll_, [&](const auto& entry) { return !waiting.contains(entry.first); });
  for (const SymbolKey& key : waiting) {
    const auto quote = cached_quote(key);
    if (quote && now - quote->at_ms < options_.stale_feed_ms) continue;
    const auto polled = last_poll_.find(key);
    if (polled != last_poll_.end() && now - polled->second < options_.poll_interval_ms) continue;
    last_poll_[key] = now;
    try {
      market_.fetch_quote(key.symbol, key.exchange,
                          [mailbox = mailbox_, key](std::optional<Quote> fetched) {
                            if (fetched && fetched->ltp > 0) mailbox->post_quote(key, *fetched);
                          });
    } catch (const std::exception& error) {
      spdlog::error("sandbox: asking for a quote of {}:{} failed: {}", key.exchange, key.symbol,
                    error.what());
    }
  }
}

// ---------------------------------------------------------------------------
// Daily and weekly jobs

void Engine::Core::take_daily_snapshot(SandboxTables& tables, std::int64_t boundary) {
  if (is_weekend(boundary)) return;
  const std::string date = format_ist_date(boundary);
  for (const Funds& funds : tables.all_funds()) {
    double positions_unrealized = 0, holdings_unrealized = 0;
    for (const Position& p : tables.user_positions(funds.user_id)) {
      const SymbolKey key{p.key.symbol, p.key.exchange};
      positions_unrealized += unrealized_pnl(p, mark_price(key, p.ltp), instrument_for(key).contract_value);
    }
    for (const Holding& h : tables.user_holdings(funds.user_id)) {
      const double ltp = mark_price({h.symbol, h.exchange}, h.ltp);
      if (ltp > 0) holdings_unrealized += (ltp - h.average_price) * h.quantity;
    }
    DailyPnl row;
    row.user_id = funds.user_id;
    row.date = date;
    row.realized_pnl = funds.today_realized_pnl;
    row.positions_unrealized_pnl = to_paise(positions_unrealized);
    row.holdings_unrealized_pnl = to_paise(holdings_unrealized);
    row.total_mtm = row.realized_pnl + row.positions_unrealized_pnl + row.holdings_unrealized_pnl;
    row.available = funds.available;
    row.used_margin = funds.used_margin;
    row.portfolio_value = funds.available + funds.used_margin;
    tables.save_daily_pnl(row);
  }
}

void Engine::Core::settle_t_plus_one(SandboxTables& tables, std::int64_t boundary,
                                     std::int64_t now) {
  std::map<std::int64_t, Funds> ledgers;
  auto ledger = [&](std::int64_t user_id) -> Funds& {
    auto [entry, fresh] = ledgers.try_emplace(user_id);
    if (fresh) entry->second = funds_of(tables, user_id);
    return entry->second;
  };
  const bool pay_in_full = options_.leverage.equity_cnc > 1;
  for (const Position& position : tables.positions_with_product(Product::Cnc)) {
    if (position.opened_ms >= boundary) continue;
    const PositionKey& key = position.key;
    Funds& funds = ledger(key.user_id);
    auto holding = tables.find_holding(key.user_id, key.symbol, key.exchange);
    if (position.quantity > 0) {
      Holding h = holding.value_or(Holding{key.user_id, key.symbol, key.exchange, 0, 0, 0, 0,
                                           format_ist_date(now), now, now});
      // Delivery is paid in full: with CNC leverage above 1 the rest of the
      // price is taken from available cash now.
      const Paise cost = to_paise(position.quantity * position.average_price);
      const Paise extra = pay_in_full ? std::max<Paise>(0, cost - position.margin_blocked) : 0;
      must(move_to_holdings(funds, position.margin_blocked, extra));
      const double quantity = normalize_quantity(h.quantity + position.quantity);
      h.average_price = (h.quantity * h.average_price + position.quantity * position.average_price) /
                        quantity;
      h.quantity = quantity;
      h.invested += position.margin_blocked + extra;
      h.ltp = mark_price({key.symbol, key.exchange}, position.ltp);
      h.updated_ms = now;
      tables.save_holding(h);
    } else if (position.quantity < 0) {
      // Shares sold from holdings: the proceeds arrive now, at the sell
      // price, and the sale's P&L against the holding's cost is realised
      // (OpenAlgo credited the proceeds but booked no P&L).
      must(release(funds, position.margin_blocked, 0));
      const double held = holding ? holding->quantity : 0;
      const double sold = std::min(-position.quantity, held);
      if (sold < -position.quantity) {
        spdlog::error("sandbox: T+1 for user {}: {} of {}:{} sold but only {} held", key.user_id,
                      -position.quantity, key.exchange, key.symbol, held);
      }
      if (sold > 0) {
        const Paise cost = share(holding->invested, sold, held);
        must(credit_sale(funds, to_paise(sold * position.average_price), cost));
        holding->quantity = normalize_quantity(held - sold);
        holding->invested -= cost;
        holding->updated_ms = now;
        if (holding->quantity == 0) {
          tables.delete_holding(key.user_id, key.symbol, key.exchange);
        } else {
          tables.save_holding(*holding);
        }
      }
    } else {
      must(release(funds, position.margin_blocked, 0));
    }
    tables.delete_position(key);
  }
  for (const auto& [user_id, funds] : ledgers) tables.save_funds(funds);
}

void Engine::Core::reset_funds(SandboxTables& tables, std::int64_t now) {
  for (Funds funds : tables.all_funds()) {
    reset(funds, to_paise(options_.starting_capital), now);
    // GTTs are kept (as OpenAlgo keeps them) and hold their margin again.
    reblock_gtts(tables, funds, now);
    tables.save_funds(funds);
    tables.delete_positions_and_holdings(funds.user_id);
  }
}

}  // namespace oa::sandbox
