#include <doctest/doctest.h>

#include "orders/order_plans.hpp"

using namespace oa::orders;

namespace {

struct SmartCase {
  const char* action;
  double quantity, target, current;
  bool place;
  const char* placed_action;
  double placed_quantity;
};

}  // namespace

TEST_SUITE("orders") {
  TEST_CASE("a smart order trades the difference between the target and the current position (D.1's table)") {
    const SmartCase cases[] = {
        {"BUY", 100, 0, 0, true, "BUY", 100},       // row 1: flat and flat: the request as sent
        {"SELL", 100, 0, 0, true, "SELL", 100},     // row 1
        {"sell", 5, 0, 0, true, "SELL", 5},         // lower-case action
        {"BUY", 100, 100, -100, true, "BUY", 200},  // row 6: short to long in one order
        {"BUY", 100, 200, 100, true, "BUY", 100},   // row 6
        {"SELL", 100, -100, 100, true, "SELL", 200},
        {"SELL", 100, -200, -100, true, "SELL", 100},
        {"BUY", 1, 0, 50, true, "SELL", 50},   // row 3: exit a long whatever the action
        {"SELL", 1, 0, -30, true, "BUY", 30},  // row 4: exit a short
        {"SELL", 7, 40, 0, true, "BUY", 40},   // row 5: from flat to the target, action ignored
        {"BUY", 7, -40, 0, true, "SELL", 40},  // row 5
        {"BUY", 100, 100, 100, false, "", 0},  // row 2: matched
        {"SELL", 100, -100, -100, false, "", 0},
    };
    for (const auto& c : cases) {
      CAPTURE(c.action);
      CAPTURE(c.target);
      CAPTURE(c.current);
      auto plan = plan_smart_order(c.action, c.quantity, c.target, c.current);
      CHECK(plan.place == c.place);
      if (!c.place) continue;
      CHECK(plan.action == c.placed_action);
      CHECK(plan.quantity == c.placed_quantity);
    }
  }

  TEST_CASE("a matched smart order says why nothing was placed, by its quantity") {
    CHECK(plan_smart_order("BUY", 100, 100, 100).message == kPositionsMatched);
    CHECK(plan_smart_order("SELL", 0, 0, 0).message == kNoOpenPosition);
    CHECK(plan_smart_order("BUY", 0, 25, 25).message == kNoOpenPosition);
  }

  TEST_CASE("a split is full orders of the split size, then the remainder") {
    CHECK(split_quantities(105, 20) == std::vector<std::int64_t>{20, 20, 20, 20, 20, 5});
    CHECK(split_quantities(100, 25) == std::vector<std::int64_t>{25, 25, 25, 25});
    CHECK(split_quantities(7, 50) == std::vector<std::int64_t>{7});
  }

  TEST_CASE("a split of more than 100 orders is refused, and exactly 100 is allowed") {
    CHECK(split_quantities(1000, 10)->size() == 100);
    CHECK_FALSE(split_quantities(1001, 10).has_value());
    CHECK_FALSE(split_quantities(1000, 1).has_value());
  }

  TEST_CASE("basket and leg orders go BUY first, then SELL, each in request order") {
    CHECK(buys_then_sells({"SELL", "BUY", "sell", "buy", "BUY"}) == std::vector<std::size_t>{1, 3, 4, 0, 2});
    CHECK(buys_then_sells({}).empty());
  }

  TEST_CASE("the orders of a composite request carry ids derived from the request's own") {
    CHECK(child_client_order_id("run-7", "order2") == "run-7#order2");
    CHECK(child_client_order_id("", "order2").empty());
  }
}
