// State lives only in the store: a new engine on the same database carries on
// where the old one stopped, losing and repeating nothing.
#include <doctest/doctest.h>

#include <boost/json/serialize.hpp>
#include "sandbox_fixture.hpp"

using namespace oa::sandbox;
using namespace oa::sandbox::test;

TEST_SUITE("sandbox") {
  TEST_CASE("after a restart pending orders still rest and fill on the next tick") {
    Harness h;
    h.market().set_quote("SBIN", "NSE", {800, 0, 0, 0});
    h.place("SBIN", "NSE", "BUY", 10);
    const std::string limit = orderid_of(h.place("SBIN", "NSE", "BUY", 5, "LIMIT", "MIS", 790));
    const std::string stop = orderid_of(h.place("SBIN", "NSE", "SELL", 10, "SL-M", "MIS", 0, 780));
    const Funds before = h.stored_funds();

    h.restart();
    CHECK(h.market().watching("SBIN", "NSE"));
    CHECK(h.stored_funds().used_margin == before.used_margin);
    h.tick("SBIN", "NSE", 789);
    CHECK(h.stored_order(limit)->status == OrderStatus::Complete);
    CHECK(h.stored_order(stop)->status == OrderStatus::TriggerPending);
    h.tick("SBIN", "NSE", 779);
    CHECK(h.stored_order(stop)->status == OrderStatus::Complete);
    CHECK(h.stored_position("SBIN", "NSE", "MIS")->quantity == 5);
    CHECK(h.trade_count() == 3);
    const Funds after = h.stored_funds();
    CHECK(after.used_margin == h.margin_held_by_orders_and_positions());
    CHECK(after.available + after.used_margin == after.total_capital + after.realized_pnl);
  }

  TEST_CASE("an order accepted but not filled before a crash fills once after the restart") {
    Harness h;
    h.tick("SBIN", "NSE", 800);  // the last known price
    h.market().set_mode(FakeMarket::Mode::Manual);
    const Reply accepted = h.request([&](Engine& engine, Engine::Done done) {
      engine.place_order(h.user(), OrderRequest{"s", "SBIN", "NSE", "BUY", "MARKET", "MIS", 10, 0, 0, 0},
                         done);
      for (int attempt = 0; attempt < 3; ++attempt) {
        engine.run_queued();
        h.market().answer_next(std::nullopt);
      }
    });
    // No fresh quote: accepted on the last price, resting until a price comes.
    const std::string orderid = orderid_of(accepted);
    REQUIRE(accepted.status == 200);
    CHECK(h.stored_order(orderid)->status == OrderStatus::Open);
    CHECK(h.stored_funds().used_margin == to_paise(1600));

    h.market().set_mode(FakeMarket::Mode::Immediate);
    h.market().set_quote("SBIN", "NSE", {801, 0, 0, 0});
    h.restart();  // the first schedule run asks for the price of resting orders
    CHECK(h.stored_order(orderid)->status == OrderStatus::Complete);
    CHECK(h.stored_order(orderid)->average_price == 801);
    h.tick("SBIN", "NSE", 802);
    CHECK(h.trade_count() == 1);
    CHECK(h.stored_funds().used_margin == to_paise(1602));
  }

  TEST_CASE("the books read the same before and after a restart") {
    Harness h;
    h.market().set_quote("SBIN", "NSE", {800, 0, 0, 0});
    h.place("SBIN", "NSE", "BUY", 10);
    h.place("SBIN", "NSE", "SELL", 4, "LIMIT", "MIS", 900);
    h.place("SBIN", "NSE", "SELL", 100, "MARKET", "CNC");  // rejected
    const std::string orders = boost::json::serialize(h.order_book().body);
    const std::string trades = boost::json::serialize(h.trade_book().body);
    const std::string funds = boost::json::serialize(h.funds().body);
    h.restart();
    CHECK(boost::json::serialize(h.order_book().body) == orders);
    CHECK(boost::json::serialize(h.trade_book().body) == trades);
    CHECK(boost::json::serialize(h.funds().body) == funds);
  }

  TEST_CASE("order ids keep counting across a restart") {
    Harness h;
    h.market().set_quote("SBIN", "NSE", {800, 0, 0, 0});
    const std::string first = orderid_of(h.place("SBIN", "NSE", "BUY", 1));
    h.restart();
    const std::string second = orderid_of(h.place("SBIN", "NSE", "BUY", 1));
    CHECK(second > first);
    CHECK(second.substr(0, 6) == first.substr(0, 6));
  }

  TEST_CASE("a quote answered after its engine is gone is dropped safely") {
    Harness h;
    h.market().set_mode(FakeMarket::Mode::Manual);
    int replies = 0;
    Reply reply;
    place_without_waiting(h, replies, reply);
    h.restart();
    h.market().answer_next(Quote{800, 0, 0, 0});
    h.settle();
    CHECK(replies == 0);
    CHECK(h.trade_count() == 0);
  }

  TEST_CASE("a changed starting capital applies to every ledger at start, keeping margin and P&L") {
    Harness h;
    h.market().set_quote("SBIN", "NSE", {800, 0, 0, 0});
    h.place("SBIN", "NSE", "BUY", 10, "MARKET", "CNC");
    EngineOptions options;
    options.starting_capital = 500000;
    h.restart(options);
    const Funds funds = h.stored_funds();
    CHECK(funds.total_capital == to_paise(500000));
    CHECK(funds.used_margin == to_paise(8000));
    CHECK(funds.available == to_paise(492000));
  }
}
