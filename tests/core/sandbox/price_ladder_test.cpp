// The price ladder: a price looks only at the resting orders it may move,
// and never misses one the fill rules would move.
#include <doctest/doctest.h>

#include <random>

#include "sandbox/fill_rules.hpp"
#include "sandbox/price_ladder.hpp"
#include "resting_order.hpp"

using namespace oa::sandbox;

namespace {

Order order(const std::string& id, Action action, PriceType type, double price, double trigger = 0,
            OrderStatus status = OrderStatus::Open) {
  Order made = test::resting(action, type, price, trigger, status);
  made.orderid = id;
  return made;
}

}  // namespace

TEST_SUITE("sandbox") {
  TEST_CASE("a price reaches the limits it crosses and the stops it touches, not the orders beyond") {
    PriceLadder ladder;
    ladder.add(order("b1", Action::Buy, PriceType::Limit, 99));
    ladder.add(order("b2", Action::Buy, PriceType::Limit, 95));
    ladder.add(order("s1", Action::Sell, PriceType::Limit, 101));
    ladder.add(order("s2", Action::Sell, PriceType::Limit, 105));
    ladder.add(order("bs", Action::Buy, PriceType::StopMarket, 0, 103, OrderStatus::TriggerPending));
    ladder.add(order("ss", Action::Sell, PriceType::StopLimit, 96, 97, OrderStatus::TriggerPending));
    ladder.add(order("m", Action::Buy, PriceType::Market, 0));
    CHECK(ladder.reached_by({100, 100}) == std::vector<std::string>{"m"});
    CHECK(ladder.reached_by({99, 101}) == std::vector<std::string>{"b1", "m", "s1"});
    CHECK(ladder.reached_by({94, 104}) == std::vector<std::string>{"b1", "b2", "bs", "m", "s1", "ss"});
  }

  TEST_CASE("an order leaves the ladder, and a triggered stop moves to its limit") {
    PriceLadder ladder;
    Order stop = order("ss", Action::Sell, PriceType::StopLimit, 96, 97, OrderStatus::TriggerPending);
    ladder.add(stop);
    ladder.add(order("b1", Action::Buy, PriceType::Limit, 99));
    ladder.remove(stop);
    stop.status = OrderStatus::Open;  // now a SELL LIMIT at 96
    ladder.add(stop);
    CHECK(ladder.reached_by({100, 100}) == std::vector<std::string>{"ss"});
    ladder.remove(stop);
    ladder.remove(order("b1", Action::Buy, PriceType::Limit, 99));
    CHECK(ladder.empty());
  }

  TEST_CASE("over random orders and prices the ladder returns exactly the orders the fill rules move") {
    std::mt19937 random(20261126);
    auto price = [&random] { return 90 + static_cast<double>(random() % 200) / 10; };
    for (int round = 0; round < 200; ++round) {
      PriceLadder ladder;
      std::vector<Order> orders;
      for (int i = 0; i < 20; ++i) {
        const auto action = random() % 2 == 0 ? Action::Buy : Action::Sell;
        const auto type = static_cast<PriceType>(random() % 4);
        const bool stop = type == PriceType::StopLimit || type == PriceType::StopMarket;
        const auto status = stop && random() % 2 == 0 ? OrderStatus::TriggerPending : OrderStatus::Open;
        orders.push_back(order("o" + std::to_string(100 + i), action, type, price(), price(), status));
        ladder.add(orders.back());
      }
      PriceRange seen{price(), 0};
      seen.high = seen.low + static_cast<double>(random() % 50) / 10;
      const Quote quote{seen.high, 0, 0, 0};
      std::vector<std::string> moved;
      for (const Order& resting : orders)
        if (on_quote(resting, quote, seen).kind != FillDecision::Kind::None) moved.push_back(resting.orderid);
      CHECK(ladder.reached_by(seen) == moved);
    }
  }
}
