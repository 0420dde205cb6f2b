// Fill rules: when an order fills and at what price.
#include <doctest/doctest.h>

#include "sandbox/fill_rules.hpp"
#include "resting_order.hpp"

using namespace oa::sandbox;

using oa::sandbox::test::resting;

TEST_SUITE("sandbox") {
  TEST_CASE("a MARKET order takes the ask or bid, or the LTP when there is no depth") {
    const Order buy = resting(Action::Buy, PriceType::Market, 0);
    CHECK(on_arrival(buy, {100, 99.95, 100.05, 0}).price == 100.05);
    CHECK(on_arrival(resting(Action::Sell, PriceType::Market, 0), {100, 99.95, 100.05, 0}).price == 99.95);
    CHECK(on_arrival(buy, {100, 0, 0, 0}).price == 100);
    CHECK(on_quote(buy, {100, 99.95, 100.05, 0}).price == 100.05);
  }

  TEST_CASE("a marketable LIMIT fills at the taker price and a resting one at its limit") {
    const Order buy = resting(Action::Buy, PriceType::Limit, 101);
    const FillDecision arriving = on_arrival(buy, {100, 99.9, 100.1, 0});
    CHECK(arriving.kind == FillDecision::Kind::Fill);
    CHECK(arriving.price == 100.1);
    CHECK(on_arrival(buy, {102, 101.9, 102.1, 0}).kind == FillDecision::Kind::None);
    CHECK(on_quote(buy, {102, 0, 0, 0}).kind == FillDecision::Kind::None);
    const FillDecision crossed = on_quote(buy, {100.5, 0, 0, 0});
    CHECK(crossed.kind == FillDecision::Kind::Fill);
    CHECK(crossed.price == 101);
    CHECK(on_quote(resting(Action::Sell, PriceType::Limit, 105), {105, 0, 0, 0}).price == 105);
  }

  TEST_CASE("an SL-M waits for its trigger and then fills at market") {
    const Order stop = resting(Action::Sell, PriceType::StopMarket, 0, 95, OrderStatus::TriggerPending);
    CHECK(on_quote(stop, {96, 0, 0, 0}).kind == FillDecision::Kind::None);
    const FillDecision hit = on_quote(stop, {94.5, 94.4, 94.6, 0});
    CHECK(hit.kind == FillDecision::Kind::Fill);
    CHECK(hit.price == 94.4);
  }

  TEST_CASE("an SL fills when trigger and limit allow, else rests as a LIMIT") {
    const Order stop = resting(Action::Buy, PriceType::StopLimit, 101, 100, OrderStatus::TriggerPending);
    CHECK(on_quote(stop, {99, 0, 0, 0}).kind == FillDecision::Kind::None);
    CHECK(on_quote(stop, {100.5, 0, 0, 0}).price == 100.5);
    CHECK(on_quote(stop, {102, 0, 0, 0}).kind == FillDecision::Kind::Triggered);
    Order triggered = stop;
    triggered.status = OrderStatus::Open;
    // Once triggered it is a resting LIMIT, whatever the trigger says now.
    CHECK(on_quote(triggered, {99, 0, 0, 0}).price == 101);
  }

  TEST_CASE("a quote without an LTP fills nothing") {
    CHECK(on_quote(resting(Action::Buy, PriceType::Market, 0), {0, 0, 0, 0}).kind ==
          FillDecision::Kind::None);
  }

  TEST_CASE("a resting LIMIT fills when merged ticks crossed its limit though the latest did not") {
    const Order buy = resting(Action::Buy, PriceType::Limit, 100);
    const FillDecision decision = on_quote(buy, {101, 0, 0, 0}, PriceRange{99.5, 101});
    CHECK(decision.kind == FillDecision::Kind::Fill);
    CHECK(decision.price == 100);
  }

  TEST_CASE("a stop fired by merged ticks fills no better than its trigger") {
    const Order stop = resting(Action::Buy, PriceType::StopMarket, 0, 105, OrderStatus::TriggerPending);
    const FillDecision decision = on_quote(stop, {101, 0, 0, 0}, PriceRange{100, 106});
    CHECK(decision.kind == FillDecision::Kind::Fill);
    CHECK(decision.price == 105);
  }
}
