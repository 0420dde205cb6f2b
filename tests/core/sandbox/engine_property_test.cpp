// A property test: thousands of random orders, ticks, modifications,
// cancellations, closes and clock moves (square-off, T+1, resets), after each
// of which the money still adds up to the paisa.
#include <random>

#include <doctest/doctest.h>
#include <soci/soci.h>

#include "sandbox_fixture.hpp"

using namespace oa::sandbox;
using namespace oa::sandbox::test;

namespace {

struct Instrumented {
  std::string symbol, exchange;
  double base, lot;
  bool derivative;
};

const Instrumented kSymbols[] = {
    {"SBIN", "NSE", 800, 1, false},
    {"ZEEL", "NSE", 112, 1, false},
    {"NIFTY28AUG25FUT", "NFO", 24000, 75, true},
    {"NIFTY28AUG2524000CE", "NFO", 150, 75, true},
};

class RandomSession {
 public:
  explicit RandomSession(unsigned seed) : random_(seed) {
    for (const auto& s : kSymbols) prices_[s.symbol] = s.base;
  }

  void step(Harness& h) {
    const int roll = pick(0, 99);
    if (roll < 40) return place(h);
    if (roll < 70) return tick(h);
    if (roll < 80) return cancel_one(h);
    if (roll < 86) return modify_one(h);
    if (roll < 89) return void(h.close_all());
    if (roll < 91) return void(h.cancel_all());
    return move_clock(h);
  }

 private:
  int pick(int low, int high) { return std::uniform_int_distribution<int>(low, high)(random_); }
  double uniform(double low, double high) {
    return std::uniform_real_distribution<double>(low, high)(random_);
  }
  const Instrumented& any_symbol() { return kSymbols[pick(0, 3)]; }

  // Prices wander within 4% of their base: less than any position's margin
  // can lose, so only a block could drive available cash below zero.
  double wander(const Instrumented& s) {
    double& price = prices_[s.symbol];
    price = std::clamp(price * (1 + uniform(-0.004, 0.004)), s.base * 0.96, s.base * 1.04);
    price = std::round(price * 20) / 20;
    return price;
  }

  void place(Harness& h) {
    const Instrumented& s = any_symbol();
    const double price = prices_[s.symbol];
    h.market().set_quote(s.symbol, s.exchange, {price, price - 0.05, price + 0.05, 0});
    OrderRequest order;
    order.strategy = "random";
    order.symbol = s.symbol;
    order.exchange = s.exchange;
    order.action = pick(0, 1) ? "BUY" : "SELL";
    order.quantity = s.lot * pick(1, s.derivative ? 2 : 40);
    const char* types[] = {"MARKET", "MARKET", "LIMIT", "SL", "SL-M"};
    order.pricetype = types[pick(0, 4)];
    order.product = s.derivative ? (pick(0, 1) ? "MIS" : "NRML") : (pick(0, 1) ? "MIS" : "CNC");
    const double offset = price * uniform(-0.01, 0.01);
    order.price = std::round((price + offset) * 20) / 20;
    order.trigger_price = std::round((price - offset) * 20) / 20;
    if (order.pricetype == "SL") {
      const bool buy = order.action == "BUY";
      order.trigger_price = std::round(price * (buy ? 1.002 : 0.998) * 20) / 20;
      order.price = std::round(order.trigger_price * (buy ? 1.002 : 0.998) * 20) / 20;
    }
    h.place(order);
  }

  void tick(Harness& h) {
    const Instrumented& s = any_symbol();
    const double price = wander(s);
    h.market().set_quote(s.symbol, s.exchange, {price, 0, 0, 0});
    h.tick(s.symbol, s.exchange, price, price - 0.05, price + 0.05);
  }

  std::vector<std::string> resting(Harness& h) {
    std::vector<std::string> ids;
    const Reply book = h.order_book();
    for (const auto& row : book.body.at("data").at("orders").as_array()) {
      const auto& status = row.at("order_status").as_string();
      if (status == "open" || status == "trigger pending") {
        ids.emplace_back(row.at("orderid").as_string());
      }
    }
    return ids;
  }

  void cancel_one(Harness& h) {
    const auto ids = resting(h);
    if (!ids.empty()) h.cancel(ids[pick(0, static_cast<int>(ids.size()) - 1)]);
  }

  void modify_one(Harness& h) {
    const auto ids = resting(h);
    if (ids.empty()) return;
    const std::string orderid = ids[pick(0, static_cast<int>(ids.size()) - 1)];
    const auto order = h.stored_order(orderid);
    ModifyRequest change{orderid, 0, 0, 0};
    if (pick(0, 1)) change.quantity = order->quantity * 2;
    if (order->price_type == PriceType::Limit) change.price = order->price * uniform(0.99, 1.01);
    h.modify(change);
  }

  void move_clock(Harness& h) {
    const std::int64_t now = h.clock().now();
    if (pick(0, 19) == 0 || ist_minute_of_day(now) > at(15, 30)) {
      // The next trading morning: T+1, the P&L reset and MIS catch-up run.
      h.clock().set(ist_midnight(now) + kDayMs + at(9, 30) * kMinuteMs);
    } else {
      h.clock().advance(pick(1, 30) * kMinuteMs);
    }
    h.run_schedules();
  }

  std::mt19937 random_;
  std::map<std::string, double> prices_;
};

void check_ledger(Harness& h, int step) {
  INFO("after step " << step);
  const Funds funds = h.stored_funds();
  CHECK(funds.available + funds.used_margin + h.invested_in_holdings() ==
        funds.total_capital + funds.realized_pnl);
  CHECK(funds.used_margin == h.margin_held_by_orders_and_positions());
  CHECK(funds.available >= 0);
  CHECK(funds.used_margin >= 0);
}

void check_fills(Harness& h) {
  auto lease = h.database().store().lease();
  std::int64_t trades = 0, complete = 0, duplicated = 0;
  *lease << "SELECT COUNT(*) FROM sandbox_trades", soci::into(trades);
  *lease << "SELECT COUNT(*) FROM sandbox_orders WHERE status = 'complete'", soci::into(complete);
  *lease << "SELECT COUNT(*) FROM (SELECT orderid FROM sandbox_trades GROUP BY orderid "
            "HAVING COUNT(*) > 1) AS twice",
      soci::into(duplicated);
  CHECK(trades == complete);
  CHECK(duplicated == 0);
  CHECK(trades > 100);
}

}  // namespace

TEST_SUITE("sandbox") {
  TEST_CASE("over thousands of random events cash, blocked margin and realised P&L are conserved") {
    // From Thursday 2025-08-14: weekends pass and the NIFTY contracts expire
    // within the run.
    Harness h(EngineOptions{}, ist(2025, 8, 14, 9, 30));
    h.funds();  // opens the ledger
    RandomSession session(20250822);
    for (int step = 1; step <= 3000; ++step) {
      session.step(h);
      if (step % 10 == 0) check_ledger(h, step);
    }
    check_ledger(h, 3000);
    check_fills(h);
  }
}
