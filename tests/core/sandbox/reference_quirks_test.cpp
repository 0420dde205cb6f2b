// The quirks and bugs of OpenAlgo's sandbox that reference sandbox.md §12
// lists, each with the behaviour we chose instead (docs/sandbox.md,
// "Conformance"). Quirks already pinned by a test elsewhere are mapped
// there, not repeated here.
#include <doctest/doctest.h>

#include "sandbox_fixture.hpp"

using namespace oa::sandbox;
using namespace oa::sandbox::test;

namespace {

constexpr Paise kCapital = 1'000'000'000;  // ₹1 crore in paise

}  // namespace

TEST_SUITE("sandbox") {
  TEST_CASE("a resting order keeps its margin when another order fills") {
    Harness h;
    h.market().set_quote("SBIN", "NSE", {800, 0, 0, 0});
    const std::string resting = orderid_of(h.place("SBIN", "NSE", "BUY", 10, "LIMIT", "CNC", 700));
    h.place("SBIN", "NSE", "BUY", 5, "MARKET", "CNC");
    CHECK(h.stored_order(resting)->margin_blocked == to_paise(7000));
    CHECK(h.stored_funds().used_margin == to_paise(7000 + 4000));
    CHECK(h.stored_funds().used_margin == h.margin_held_by_orders_and_positions());
  }

  TEST_CASE("cancelling a resting order after another order filled releases exactly its margin") {
    Harness h;
    h.market().set_quote("SBIN", "NSE", {800, 0, 0, 0});
    const std::string resting = orderid_of(h.place("SBIN", "NSE", "BUY", 10, "LIMIT", "CNC", 700));
    h.place("SBIN", "NSE", "BUY", 5, "MARKET", "CNC");
    CHECK(h.cancel(resting).status == 200);
    const Funds funds = h.stored_funds();
    CHECK(funds.used_margin == to_paise(4000));
    CHECK(funds.available == kCapital - to_paise(4000));
  }

  TEST_CASE("buying back shares sold from holdings credits the realised P&L though the short held no margin") {
    Harness h;
    hold_shares(h, "RELIANCE", 100, 2500);
    const Funds before = h.stored_funds();
    h.market().set_quote("RELIANCE", "NSE", {2600, 0, 0, 0});
    h.place("RELIANCE", "NSE", "SELL", 100, "MARKET", "CNC");
    CHECK(h.stored_position("RELIANCE", "NSE", "CNC")->margin_blocked == 0);
    h.market().set_quote("RELIANCE", "NSE", {2500, 0, 0, 0});
    h.place("RELIANCE", "NSE", "BUY", 100, "MARKET", "CNC");
    const Funds after = h.stored_funds();
    CHECK(h.stored_position("RELIANCE", "NSE", "CNC")->quantity == 0);
    CHECK(after.realized_pnl - before.realized_pnl == to_paise(10000));
    CHECK(after.available - before.available == to_paise(10000));
    CHECK(after.used_margin == 0);
  }

  TEST_CASE("a MARKET order filled by a tick takes the tick's ask, as one filled by its quote does") {
    Harness h;
    h.market().set_mode(FakeMarket::Mode::Manual);
    int replies = 0;
    Reply reply;
    place_without_waiting(h, replies, reply);
    h.tick("SBIN", "NSE", 800, 799.9, 800.2);
    h.market().answer_all_with_current();
    h.settle();
    CHECK(replies == 1);
    CHECK(h.stored_position("SBIN", "NSE", "MIS")->average_price == 800.2);
    CHECK(h.trade_count() == 1);
  }

  TEST_CASE("MIS positions on CRYPTO are squared off at the end of the IST day") {
    Harness h;
    h.market().set_quote("BTCUSDFUT", "CRYPTO", {60000, 0, 0, 0});
    REQUIRE(h.place("BTCUSDFUT", "CRYPTO", "BUY", 0.01, "MARKET", "MIS").status == 200);
    h.clock().set(ist(2025, 8, 22, 23, 58));
    h.run_schedules();
    CHECK(h.stored_position("BTCUSDFUT", "CRYPTO", "MIS")->quantity == 0.01);
    h.clock().set(ist(2025, 8, 22, 23, 59));
    h.run_schedules();
    CHECK(h.stored_position("BTCUSDFUT", "CRYPTO", "MIS")->quantity == 0);
    CHECK(h.stored_funds().used_margin == 0);
  }

  TEST_CASE("MIS positions on NCO are squared off with MCX at 23:30 IST") {
    Harness h;
    h.market().add_instrument({"GOLDM29AUG25FUT", "NCO", "FUT", "29-AUG-25", 1, 1, 1});
    h.market().set_quote("GOLDM29AUG25FUT", "NCO", {98000, 0, 0, 0});
    REQUIRE(h.place("GOLDM29AUG25FUT", "NCO", "SELL", 2, "MARKET", "MIS").status == 200);
    h.clock().set(ist(2025, 8, 22, 23, 30));
    h.run_schedules();
    CHECK(h.stored_position("GOLDM29AUG25FUT", "NCO", "MIS")->quantity == 0);
    CHECK(h.stored_funds().used_margin == 0);
  }

  TEST_CASE("the weekly fund reset is off unless a reset day is configured") {
    Harness h;
    h.market().set_quote("SBIN", "NSE", {800, 0, 0, 0});
    h.place("SBIN", "NSE", "BUY", 10, "MARKET", "CNC");
    for (int day : {24, 25, 31}) {  // Sunday, Monday and the next Sunday
      h.clock().set(ist(2025, 8, day, 12, 0));
      h.run_schedules();
    }
    CHECK(h.stored_funds().reset_count == 0);
    CHECK(h.stored_holding("SBIN", "NSE")->quantity == 10);
  }

  TEST_CASE("the weekly fund reset keeps the order and trade history") {
    EngineOptions options;
    options.schedule.reset_weekday = 6;  // Sunday
    Harness h(options);
    h.market().set_quote("SBIN", "NSE", {800, 0, 0, 0});
    const std::string orderid = orderid_of(h.place("SBIN", "NSE", "BUY", 10, "MARKET", "CNC"));
    h.clock().set(ist(2025, 8, 24, 0, 30));
    h.run_schedules();
    REQUIRE(h.stored_funds().reset_count == 1);
    CHECK(h.stored_order(orderid)->status == OrderStatus::Complete);
    CHECK(h.trade_count() == 1);
  }
}
