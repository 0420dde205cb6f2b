// The scenarios of OpenAlgo's own sandbox tests (reference sandbox.md §11)
// that still stand once its bugs are fixed, each named after the test it
// comes from. The GTT scenarios (test_gtt_manager.py) are in gtt_test.cpp and
// engine_gtt_test.cpp.
#include <doctest/doctest.h>

#include "sandbox_fixture.hpp"

using namespace oa::sandbox;
using namespace oa::sandbox::test;

namespace {

constexpr double kZeelLtp = 112.37;

Paise used(Harness& h) { return h.stored_funds().used_margin; }

double number(const boost::json::value& value) { return value.to_number<double>(); }

}  // namespace

TEST_SUITE("sandbox") {
  TEST_CASE("test_margin_scenarios 1: margin follows a CNC position down to zero as it is sold") {
    Harness h;
    h.market().set_quote("ZEEL", "NSE", {kZeelLtp, 0, 0, 0});
    h.place("ZEEL", "NSE", "BUY", 100, "MARKET", "CNC");
    CHECK(used(h) == to_paise(100 * kZeelLtp));
    h.place("ZEEL", "NSE", "SELL", 50, "MARKET", "CNC");
    CHECK(used(h) == to_paise(50 * kZeelLtp));
    h.place("ZEEL", "NSE", "SELL", 50, "MARKET", "CNC");
    CHECK(used(h) == 0);
  }

  TEST_CASE("test_margin_scenarios 2: re-opening a closed position blocks margin once") {
    Harness h;
    h.market().set_quote("ZEEL", "NSE", {kZeelLtp, 0, 0, 0});
    h.place("ZEEL", "NSE", "BUY", 100, "MARKET", "CNC");
    h.place("ZEEL", "NSE", "SELL", 100, "MARKET", "CNC");
    CHECK(used(h) == 0);
    h.place("ZEEL", "NSE", "BUY", 100, "MARKET", "CNC");
    CHECK(used(h) == to_paise(100 * kZeelLtp));
    h.place("ZEEL", "NSE", "SELL", 100, "MARKET", "CNC");
    CHECK(used(h) == 0);
    CHECK(h.stored_funds().available == to_paise(10000000));
  }

  TEST_CASE("test_margin_scenarios 3: a reversal blocks margin only for the new short (MIS, as CNC cannot short)") {
    Harness h;
    h.market().set_quote("ZEEL", "NSE", {kZeelLtp, 0, 0, 0});
    h.place("ZEEL", "NSE", "BUY", 100, "MARKET", "CNC");
    const Reply refused = h.place("ZEEL", "NSE", "SELL", 200, "MARKET", "CNC");
    CHECK(message_of(refused).find("Only 100 shares available") != std::string::npos);

    h.place("ZEEL", "NSE", "BUY", 100, "MARKET", "MIS");
    h.place("ZEEL", "NSE", "SELL", 200, "MARKET", "MIS");
    CHECK(h.stored_position("ZEEL", "NSE", "MIS")->margin_blocked == to_paise(100 * kZeelLtp / 5));
  }

  TEST_CASE("test_margin_scenarios 4: adding to a position adds its margin") {
    Harness h;
    h.market().set_quote("ZEEL", "NSE", {kZeelLtp, 0, 0, 0});
    h.place("ZEEL", "NSE", "BUY", 100, "MARKET", "CNC");
    h.place("ZEEL", "NSE", "BUY", 100, "MARKET", "CNC");
    CHECK(used(h) == to_paise(200 * kZeelLtp));
  }

  TEST_CASE("test_cnc_sell_validation 1: a CNC sell with no position or holdings is rejected") {
    Harness h;
    h.market().set_quote("RELIANCE", "NSE", {3000, 0, 0, 0});
    const Reply reply = h.place("RELIANCE", "NSE", "SELL", 100, "MARKET", "CNC");
    CHECK(reply.status == 400);
    CHECK(message_of(reply).find("No positions or holdings available") != std::string::npos);
  }

  TEST_CASE("test_cnc_sell_validation 2: a CNC sell within the day position succeeds") {
    Harness h;
    h.market().set_quote("RELIANCE", "NSE", {3000, 0, 0, 0});
    h.place("RELIANCE", "NSE", "BUY", 100, "MARKET", "CNC");
    CHECK(h.place("RELIANCE", "NSE", "SELL", 50, "MARKET", "CNC").status == 200);
  }

  TEST_CASE("test_cnc_sell_validation 3: a CNC sell beyond the day position is rejected") {
    Harness h;
    h.market().set_quote("RELIANCE", "NSE", {3000, 0, 0, 0});
    h.place("RELIANCE", "NSE", "BUY", 50, "MARKET", "CNC");
    const Reply reply = h.place("RELIANCE", "NSE", "SELL", 100, "MARKET", "CNC");
    CHECK(reply.status == 400);
    CHECK(message_of(reply).find("Only 50 shares available") != std::string::npos);
  }

  TEST_CASE("test_cnc_sell_validation 4: a CNC sell from holdings succeeds") {
    Harness h;
    hold_shares(h, "RELIANCE", 200, 3000);
    CHECK(h.place("RELIANCE", "NSE", "SELL", 150, "MARKET", "CNC").status == 200);
  }

  TEST_CASE("test_cnc_sell_validation 5: an MIS sell with nothing held is an intraday short") {
    Harness h;
    h.market().set_quote("RELIANCE", "NSE", {3000, 0, 0, 0});
    CHECK(h.place("RELIANCE", "NSE", "SELL", 100, "MARKET", "MIS").status == 200);
    CHECK(h.stored_position("RELIANCE", "NSE", "MIS")->quantity == -100);
  }

  TEST_CASE("test_cnc_sell_validation 6: day position and holdings count together") {
    Harness h;
    hold_shares(h, "RELIANCE", 100, 3000);
    h.place("RELIANCE", "NSE", "BUY", 50, "MARKET", "CNC");
    CHECK(h.place("RELIANCE", "NSE", "SELL", 120, "MARKET", "CNC").status == 200);
  }

  TEST_CASE("test_holdings_sell: selling from holdings leaves them until T+1 and shows a negative day position") {
    Harness h;
    hold_shares(h, "RELIANCE", 200, 3000);
    const Paise available = h.stored_funds().available;
    h.place("RELIANCE", "NSE", "SELL", 150, "MARKET", "CNC");
    CHECK(h.stored_holding("RELIANCE", "NSE")->quantity == 200);
    CHECK(h.stored_position("RELIANCE", "NSE", "CNC")->quantity == -150);
    CHECK(h.stored_funds().available == available);
  }

  TEST_CASE("test_holdings_sell: selling all holdings leaves a day position of minus all") {
    Harness h;
    hold_shares(h, "RELIANCE", 200, 3000);
    h.place("RELIANCE", "NSE", "SELL", 200, "MARKET", "CNC");
    CHECK(h.stored_holding("RELIANCE", "NSE")->quantity == 200);
    CHECK(h.stored_position("RELIANCE", "NSE", "CNC")->quantity == -200);
    // And the same shares cannot be sold again before T+1.
    CHECK(h.place("RELIANCE", "NSE", "SELL", 1, "MARKET", "CNC").status == 400);
  }

  TEST_CASE("test_holdings_sell: a long of 50 plus 100 held, selling 120 at 2600, nets to minus 70") {
    Harness h;
    hold_shares(h, "RELIANCE", 100, 2500);
    h.market().set_quote("RELIANCE", "NSE", {2500, 0, 0, 0});
    h.place("RELIANCE", "NSE", "BUY", 50, "MARKET", "CNC");
    CHECK(h.stored_position("RELIANCE", "NSE", "CNC")->margin_blocked == to_paise(125000));
    const Funds before = h.stored_funds();
    h.market().set_quote("RELIANCE", "NSE", {2600, 0, 0, 0});
    h.place("RELIANCE", "NSE", "SELL", 120, "MARKET", "CNC");
    CHECK(h.stored_holding("RELIANCE", "NSE")->quantity == 100);
    CHECK(h.stored_position("RELIANCE", "NSE", "CNC")->quantity == -70);
    const Funds after = h.stored_funds();
    CHECK(after.available - before.available == to_paise(125000 + 5000));
    CHECK(after.used_margin == 0);
  }

  TEST_CASE("test_rejected_order: a refused CNC sell leaves a rejected row with its reason and no margin") {
    Harness h;
    h.market().set_quote("ZEEL", "NSE", {kZeelLtp, 0, 0, 0});
    const Reply reply = h.place("ZEEL", "NSE", "SELL", 100, "MARKET", "CNC");
    const auto order = h.stored_order(orderid_of(reply));
    REQUIRE(order.has_value());
    CHECK(order->status == OrderStatus::Rejected);
    CHECK(order->rejection_reason == message_of(reply));
    CHECK(order->margin_blocked == 0);
    CHECK(order->pending_quantity == 0);
  }

  TEST_CASE("test_orderbook_api: the order book has orders and statistics, rejected orders included") {
    Harness h;
    h.market().set_quote("ZEEL", "NSE", {kZeelLtp, 0, 0, 0});
    h.place("ZEEL", "NSE", "SELL", 100, "MARKET", "CNC");
    const Reply book = h.order_book();
    const auto& data = book.body.at("data").as_object();
    REQUIRE(data.at("orders").as_array().size() == 1);
    const auto& row = data.at("orders").as_array().at(0).as_object();
    CHECK(row.at("order_status") == "rejected");
    CHECK_FALSE(row.at("rejection_reason").as_string().empty());
    CHECK(data.at("statistics").at("total_rejected_orders") == 1);
  }

  TEST_CASE("test_fund_manager 1: a new user gets one crore, and asking again changes nothing") {
    Harness h;
    CHECK(number(h.funds().body.at("data").at("availablecash")) == 10000000.0);
    const Reply again = h.funds();
    CHECK(number(again.body.at("data").at("availablecash")) == 10000000.0);
    CHECK(again.body.at("data").at("reset_count") == 0);
  }

  TEST_CASE("test_fund_manager 2: blocked margin shows in utiliseddebits, and a profit in m2mrealized and the cash") {
    Harness h;
    h.market().set_quote("SBIN", "NSE", {1000, 0, 0, 0});
    h.place("SBIN", "NSE", "BUY", 500, "MARKET", "MIS");  // 500 x 1000 / 5 = 100000 blocked
    const Reply blocked = h.funds();
    CHECK(number(blocked.body.at("data").at("utiliseddebits")) == 100000);
    CHECK(number(blocked.body.at("data").at("availablecash")) == 10000000 - 100000);
    h.market().set_quote("SBIN", "NSE", {1010, 0, 0, 0});
    h.place("SBIN", "NSE", "SELL", 500, "MARKET", "MIS");
    const Reply released = h.funds();
    CHECK(number(released.body.at("data").at("utiliseddebits")) == 0);
    CHECK(number(released.body.at("data").at("m2mrealized")) == 5000);
    CHECK(number(released.body.at("data").at("availablecash")) == 10000000 + 5000);
  }

  TEST_CASE("test_fund_manager 5: open positions' unrealised P&L shows in m2munrealized and totalpnl") {
    Harness h;
    h.market().set_quote("RELIANCE", "NSE", {1000, 0, 0, 0});
    h.place("RELIANCE", "NSE", "BUY", 100, "MARKET", "CNC");
    h.tick("RELIANCE", "NSE", 1250);
    const Reply funds = h.funds();
    CHECK(number(funds.body.at("data").at("m2munrealized")) == 25000);
    CHECK(number(funds.body.at("data").at("totalpnl")) == 25000);
  }

  // Issue #1768 was an engine that slept per order and asked a quote per
  // order. The speed itself is measured by tools/bench-sandbox
  // (docs/performance.md); what a test can hold is the work per cycle.
  TEST_CASE("test_execution_backlog: a cycle over 150 unfillable resting orders asks one quote per symbol, as one over 10 does") {
    auto fetches_in_cycle = [](int orders) {
      Harness h;
      for (int i = 0; i < orders; ++i) {
        const std::string symbol = i % 2 == 0 ? "SBIN" : "ZEEL";
        REQUIRE(h.place(symbol, "NSE", "BUY", 1, "LIMIT", "CNC", 1).status == 200);
      }
      h.market().set_mode(FakeMarket::Mode::Manual);  // quotes never come
      h.clock().advance(kMinuteMs);
      const std::size_t before = h.market().fetch_count();
      h.run_schedules();
      h.tick("SBIN", "NSE", 500);
      h.run_schedules();
      CHECK(h.stored_funds().used_margin == to_paise(orders));  // all still resting
      return h.market().fetch_count() - before;
    };
    CHECK(fetches_in_cycle(150) == 2);
    CHECK(fetches_in_cycle(10) == 2);
  }
}
