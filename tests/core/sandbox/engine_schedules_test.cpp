// Time-driven jobs through the engine, with the clock moved by the test:
// MIS square-off and its catch-up, F&O expiry, T+1 settlement, the daily
// reset and snapshot, and the weekly fund reset.
#include <doctest/doctest.h>

#include "sandbox/sandbox_store.hpp"
#include "sandbox_fixture.hpp"

using namespace oa::sandbox;
using namespace oa::sandbox::test;

namespace {

std::size_t book_size(const Reply& book) { return book.body.at("data").at("orders").as_array().size(); }

}  // namespace

TEST_SUITE("sandbox") {
  TEST_CASE("when the clock jumps past 15:15 IST open MIS positions are squared off once") {
    Harness h;
    h.market().set_quote("SBIN", "NSE", {800, 0, 0, 0});
    h.place("SBIN", "NSE", "BUY", 10);
    h.place("SBIN", "NSE", "SELL", 5, "MARKET", "CNC");  // rejected: MIS and CNC are apart
    h.market().set_quote("SBIN", "NSE", {805, 0, 0, 0});
    h.clock().set(ist(2025, 8, 22, 15, 20));
    h.run_schedules();
    CHECK(h.stored_position("SBIN", "NSE", "MIS")->quantity == 0);
    CHECK(h.trade_count() == 2);
    CHECK(h.stored_funds().realized_pnl == to_paise(50));
    CHECK(h.stored_funds().used_margin == 0);
    for (int minute : {21, 25, 40}) {
      h.clock().set(ist(2025, 8, 22, 15, minute));
      h.run_schedules();
    }
    CHECK(h.trade_count() == 2);
    const Reply book = h.order_book();
    CHECK(book.body.at("data").at("orders").as_array().at(0).at("strategy") == "AUTO_SQUARE_OFF");
  }

  TEST_CASE("square-off cancels resting MIS orders and releases their margin") {
    Harness h;
    const std::string orderid = orderid_of(h.place("SBIN", "NSE", "BUY", 10, "LIMIT", "MIS", 700));
    const std::string delivery = orderid_of(h.place("SBIN", "NSE", "BUY", 10, "LIMIT", "CNC", 700));
    h.clock().set(ist(2025, 8, 22, 15, 16));
    h.run_schedules();
    CHECK(h.stored_order(orderid)->status == OrderStatus::Cancelled);
    CHECK(h.stored_order(delivery)->status == OrderStatus::Open);
    CHECK(h.stored_funds().used_margin == to_paise(7000));
  }

  TEST_CASE("a square-off without a fresh price rests and fills on the next one") {
    Harness h;
    h.market().set_quote("SBIN", "NSE", {800, 0, 0, 0});
    h.place("SBIN", "NSE", "BUY", 10);
    h.market().clear_quote("SBIN", "NSE");
    h.clock().set(ist(2025, 8, 22, 15, 15));
    h.run_schedules();
    CHECK(h.stored_position("SBIN", "NSE", "MIS")->quantity == 10);
    CHECK(book_size(h.order_book()) == 2);
    h.tick("SBIN", "NSE", 798);
    CHECK(h.stored_position("SBIN", "NSE", "MIS")->quantity == 0);
    h.clock().set(ist(2025, 8, 22, 15, 30));
    h.run_schedules();
    CHECK(book_size(h.order_book()) == 2);
  }

  TEST_CASE("MIS positions left from an earlier day are settled at the last price without orders") {
    Harness h;
    h.market().set_quote("SBIN", "NSE", {800, 0, 0, 0});
    h.place("SBIN", "NSE", "SELL", 10);
    h.tick("SBIN", "NSE", 790);
    h.clock().advance(kMinuteMs);
    h.run_schedules();  // prices are recorded on positions every minute
    h.restart();        // down from before 15:15 ...
    h.clock().set(ist(2025, 8, 25, 9, 30));  // ... until Monday morning
    h.run_schedules();
    const auto position = h.stored_position("SBIN", "NSE", "MIS");
    CHECK(position->quantity == 0);
    CHECK(h.trade_count() == 1);
    const Funds funds = h.stored_funds();
    CHECK(funds.realized_pnl == to_paise(100));
    CHECK(funds.today_realized_pnl == 0);
    CHECK(funds.used_margin == 0);
    CHECK(funds.available == to_paise(10000100));
  }

  TEST_CASE("T+1 at midnight IST turns CNC buys into holdings and credits sales from them") {
    Harness h;
    h.market().set_quote("SBIN", "NSE", {100, 0, 0, 0});
    h.place("SBIN", "NSE", "BUY", 100, "MARKET", "CNC");
    h.clock().set(ist(2025, 8, 22, 23, 59));
    h.run_schedules();
    CHECK_FALSE(h.stored_holding("SBIN", "NSE").has_value());
    h.clock().set(ist(2025, 8, 23, 0, 0));
    h.run_schedules();
    auto holding = h.stored_holding("SBIN", "NSE");
    REQUIRE(holding.has_value());
    CHECK(holding->quantity == 100);
    CHECK(holding->average_price == 100);
    CHECK(holding->settlement_date == "2025-08-23");
    CHECK_FALSE(h.stored_position("SBIN", "NSE", "CNC").has_value());
    CHECK(h.stored_funds().used_margin == 0);
    CHECK(h.stored_funds().available == to_paise(9990000));

    h.clock().set(ist(2025, 8, 25, 10, 0));
    h.market().set_quote("SBIN", "NSE", {120, 0, 0, 0});
    h.place("SBIN", "NSE", "SELL", 40, "MARKET", "CNC");
    CHECK(h.stored_funds().available == to_paise(9990000));
    h.clock().set(ist(2025, 8, 26, 0, 5));
    h.run_schedules();
    holding = h.stored_holding("SBIN", "NSE");
    CHECK(holding->quantity == 60);
    CHECK(holding->invested == to_paise(6000));
    const Funds funds = h.stored_funds();
    CHECK(funds.available == to_paise(9990000 + 4800));
    CHECK(funds.realized_pnl == to_paise(800));
    CHECK(funds.available + funds.used_margin + holding->invested == funds.total_capital + funds.realized_pnl);

    const Reply view = h.holdings();
    const auto& row = view.body.at("data").at("holdings").as_array().at(0);
    CHECK(row.at("product") == "CNC");
    CHECK(row.at("quantity") == 60);
  }

  TEST_CASE("a T+1 missed over days of downtime runs once") {
    Harness h;
    h.market().set_quote("SBIN", "NSE", {100, 0, 0, 0});
    h.place("SBIN", "NSE", "BUY", 100, "MARKET", "CNC");
    h.restart();
    h.clock().set(ist(2025, 8, 27, 11, 0));
    h.run_schedules();
    h.run_schedules();
    CHECK(h.stored_holding("SBIN", "NSE")->quantity == 100);
    CHECK(h.stored_funds().available == to_paise(9990000));
  }

  TEST_CASE("futures are settled at their last price when they expire") {
    Harness h;
    h.market().set_quote("NIFTY28AUG25FUT", "NFO", {24000, 0, 0, 0});
    h.place("NIFTY28AUG25FUT", "NFO", "BUY", 75, "MARKET", "NRML");
    CHECK(h.stored_funds().used_margin == to_paise(75 * 24000 / 10.0));
    h.tick("NIFTY28AUG25FUT", "NFO", 24100);
    h.clock().set(ist(2025, 8, 28, 15, 39));
    h.run_schedules();
    CHECK(h.stored_position("NIFTY28AUG25FUT", "NFO", "NRML")->quantity == 75);
    h.clock().set(ist(2025, 8, 28, 15, 40));
    h.run_schedules();
    CHECK(h.stored_position("NIFTY28AUG25FUT", "NFO", "NRML")->quantity == 0);
    const Funds funds = h.stored_funds();
    CHECK(funds.realized_pnl == to_paise(7500));
    CHECK(funds.used_margin == 0);
    const Reply refused = h.place("NIFTY28AUG25FUT", "NFO", "BUY", 75, "MARKET", "NRML");
    CHECK(message_of(refused) == "Contract NIFTY28AUG25FUT has expired");
  }

  TEST_CASE("options can be set to expire worthless") {
    EngineOptions options;
    options.schedule.options_expire_worthless = true;
    Harness h(options);
    h.market().set_quote("NIFTY28AUG2524000CE", "NFO", {150, 0, 0, 0});
    h.place("NIFTY28AUG2524000CE", "NFO", "BUY", 75, "MARKET", "NRML");
    h.clock().set(ist(2025, 8, 29, 10, 0));
    h.run_schedules();
    CHECK(h.stored_position("NIFTY28AUG2524000CE", "NFO", "NRML")->quantity == 0);
    CHECK(h.stored_funds().realized_pnl == to_paise(-11250));
    CHECK(h.stored_funds().available == to_paise(10000000 - 11250));
  }

  TEST_CASE("today's realised P&L resets at the session boundary and the order book starts afresh") {
    Harness h;
    h.market().set_quote("SBIN", "NSE", {800, 0, 0, 0});
    h.place("SBIN", "NSE", "BUY", 10, "MARKET", "CNC");
    h.market().set_quote("SBIN", "NSE", {810, 0, 0, 0});
    h.place("SBIN", "NSE", "SELL", 10, "MARKET", "CNC");
    CHECK(h.stored_funds().today_realized_pnl == to_paise(100));
    h.clock().set(ist(2025, 8, 23, 2, 59));
    h.run_schedules();
    CHECK(h.stored_funds().today_realized_pnl == to_paise(100));
    h.clock().set(ist(2025, 8, 23, 3, 0));
    h.run_schedules();
    CHECK(h.stored_funds().today_realized_pnl == 0);
    CHECK(h.stored_funds().realized_pnl == to_paise(100));
    CHECK(book_size(h.order_book()) == 0);
  }

  TEST_CASE("the daily P&L snapshot is taken at 23:59 on weekdays only") {
    Harness h;
    h.market().set_quote("SBIN", "NSE", {800, 0, 0, 0});
    h.place("SBIN", "NSE", "BUY", 10, "MARKET", "CNC");
    h.place("SBIN", "NSE", "SELL", 5, "LIMIT", "CNC", 900);
    h.clock().set(ist(2025, 8, 22, 23, 59));
    h.run_schedules();
    h.clock().set(ist(2025, 8, 24, 1, 0));  // past Saturday 23:59
    h.run_schedules();
    SandboxStore store(h.database().store());
    store.read([&](SandboxTables& tables) {
      const auto friday = tables.find_daily_pnl(h.user(), "2025-08-22");
      REQUIRE(friday.has_value());
      CHECK(friday->used_margin == to_paise(8000));
      CHECK_FALSE(tables.find_daily_pnl(h.user(), "2025-08-23").has_value());
    });
  }

  TEST_CASE("a daily P&L snapshot missed while the daemon was down is taken when it starts") {
    Harness h;
    h.market().set_quote("SBIN", "NSE", {800, 0, 0, 0});
    h.place("SBIN", "NSE", "BUY", 10, "MARKET", "CNC");
    h.clock().set(ist(2025, 8, 23, 10, 0));  // down from Friday 10:00 to Saturday 10:00
    h.restart();
    h.run_schedules();
    SandboxStore store(h.database().store());
    store.read([&](SandboxTables& tables) {
      const auto friday = tables.find_daily_pnl(h.user(), "2025-08-22");
      REQUIRE(friday.has_value());
      CHECK(friday->used_margin == to_paise(8000));
      CHECK(friday->portfolio_value == to_paise(10000000));
    });
  }

  TEST_CASE("the weekly reset restores capital, cancels orders and clears positions and holdings") {
    EngineOptions options;
    options.schedule.reset_weekday = 6;  // Sunday
    Harness h(options);
    h.market().set_quote("SBIN", "NSE", {800, 0, 0, 0});
    h.place("SBIN", "NSE", "BUY", 10, "MARKET", "CNC");
    h.place("SBIN", "NSE", "BUY", 10, "MARKET", "MIS");
    const std::string resting = orderid_of(h.place("SBIN", "NSE", "BUY", 10, "LIMIT", "NRML", 1));
    CHECK(resting.empty());  // NRML is refused on NSE
    const std::string limit = orderid_of(h.place("SBIN", "NSE", "BUY", 10, "LIMIT", "CNC", 700));
    h.clock().set(ist(2025, 8, 24, 0, 30));
    h.run_schedules();
    const Funds funds = h.stored_funds();
    CHECK(funds.available == to_paise(10000000));
    CHECK(funds.used_margin == 0);
    CHECK(funds.reset_count == 1);
    CHECK(h.stored_order(limit)->status == OrderStatus::Cancelled);
    CHECK_FALSE(h.stored_holding("SBIN", "NSE").has_value());
    CHECK_FALSE(h.stored_position("SBIN", "NSE", "MIS").has_value());
    CHECK_FALSE(h.market().watching("SBIN", "NSE"));
    h.clock().set(ist(2025, 8, 24, 12, 0));
    h.run_schedules();
    CHECK(h.stored_funds().reset_count == 1);
  }
}
