// A MARKET order's own quote and ticks for its symbol race to fill it; it
// must fill exactly once whichever comes first, and under real threads.
#include <atomic>
#include <chrono>
#include <thread>

#include <doctest/doctest.h>
#include <soci/soci.h>

#include "sandbox/sandbox_store.hpp"
#include "sandbox_fixture.hpp"

using namespace oa::sandbox;
using namespace oa::sandbox::test;

namespace {

// Waits until `replies` reaches `expected`, for at most a minute.
void wait_for_replies(const std::atomic<int>& replies, int expected) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (replies < expected && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

// Waits until everything queued on the engine thread so far has run.
void wait_for_engine(Engine& engine) {
  std::atomic<bool> flushed{false};
  engine.flush([&] { flushed = true; });
  while (!flushed) std::this_thread::sleep_for(std::chrono::milliseconds(5));
}

std::int64_t count_rows(oa::store::Store& store, const std::string& sql) {
  auto lease = store.lease();
  std::int64_t n = 0;
  *lease << sql, soci::into(n);
  return n;
}

}  // namespace

TEST_SUITE("sandbox") {
  TEST_CASE("a MARKET order fills once when its quote arrives before a tick") {
    Harness h;
    h.market().set_mode(FakeMarket::Mode::Manual);
    int replies = 0;
    Reply reply;
    place_without_waiting(h, replies, reply);
    h.market().answer_next(Quote{800, 0, 0, 0});
    h.settle();
    CHECK(replies == 1);
    CHECK(h.trade_count() == 1);
    h.tick("SBIN", "NSE", 801);
    CHECK(h.trade_count() == 1);
    CHECK(h.stored_position("SBIN", "NSE", "MIS")->quantity == 10);
    CHECK(h.stored_order(orderid_of(reply))->average_price == 800);
  }

  TEST_CASE("a MARKET order fills once when a tick arrives before its quote") {
    Harness h;
    h.market().set_mode(FakeMarket::Mode::Manual);
    int replies = 0;
    Reply reply;
    place_without_waiting(h, replies, reply);
    h.tick("SBIN", "NSE", 801);
    CHECK(replies == 1);
    CHECK(h.trade_count() == 1);
    h.market().answer_next(Quote{800, 0, 0, 0});
    h.settle();
    CHECK(replies == 1);
    CHECK(h.trade_count() == 1);
    CHECK(h.stored_position("SBIN", "NSE", "MIS")->quantity == 10);
    CHECK(h.stored_order(orderid_of(reply))->average_price == 801);
  }

  TEST_CASE("a MARKET order fills once when its quote and a tick are queued together") {
    Harness h;
    h.market().set_mode(FakeMarket::Mode::Manual);
    int replies = 0;
    Reply reply;
    place_without_waiting(h, replies, reply);
    h.market().answer_next(Quote{800, 0, 0, 0});
    h.engine().on_tick("SBIN", "NSE", Quote{801, 0, 0, h.clock().now()});
    h.settle();
    CHECK(replies == 1);
    CHECK(h.trade_count() == 1);
    CHECK(h.stored_position("SBIN", "NSE", "MIS")->quantity == 10);
  }

  TEST_CASE("a failed fetch does not end a placement a tick already served") {
    Harness h;
    h.market().set_mode(FakeMarket::Mode::Manual);
    int replies = 0;
    Reply reply;
    place_without_waiting(h, replies, reply);
    h.tick("SBIN", "NSE", 801);
    h.market().answer_next(std::nullopt);
    h.settle();
    CHECK(replies == 1);
    CHECK(reply.status == 200);
    CHECK(h.trade_count() == 1);
  }

  TEST_CASE("under threads, concurrent orders and ticks fill every order exactly once") {
    TempStore database;
    const std::int64_t user = database.add_user("stress");
    FakeMarket market;
    add_standard_instruments(market);
    market.set_quote("SBIN", "NSE", {800, 0, 0, 0});
    market.set_quote("ZEEL", "NSE", {112, 0, 0, 0});
    market.set_mode(FakeMarket::Mode::Manual);
    ManualClock clock(ist(2025, 8, 22, 10, 0));
    EngineOptions options;
    options.own_thread = true;
    Engine engine(database.store(), market, options, clock.function());
    engine.start();

    constexpr int kThreads = 4, kOrdersEach = 50;
    std::atomic<int> replies{0}, accepted{0};
    std::atomic<bool> stop{false};
    std::thread ticker([&] {
      double price = 800;
      while (!stop) {
        price = price > 810 ? 790 : price + 0.05;
        engine.on_tick("SBIN", "NSE", Quote{price, 0, 0, clock.now()});
        engine.on_tick("ZEEL", "NSE", Quote{price / 7, 0, 0, clock.now()});
      }
    });
    std::thread answerer([&] {
      while (!stop) {
        market.answer_all_with_current();
        std::this_thread::yield();
      }
    });
    std::vector<std::thread> traders;
    for (int t = 0; t < kThreads; ++t) {
      traders.emplace_back([&, t] {
        for (int i = 0; i < kOrdersEach; ++i) {
          const bool buy = (i + t) % 2 == 0;
          const std::string type = i % 5 == 0 ? "LIMIT" : "MARKET";
          engine.place_order(user,
                             OrderRequest{"s", t % 2 ? "ZEEL" : "SBIN", "NSE", buy ? "BUY" : "SELL",
                                          type, "MIS", 1, type == "LIMIT" ? (t % 2 ? 114.0 : 805.0) : 0,
                                          0, 0},
                             [&](Reply reply) {
                               if (reply.status == 200) ++accepted;
                               ++replies;
                             });
        }
      });
    }
    for (auto& trader : traders) trader.join();
    wait_for_replies(replies, kThreads * kOrdersEach);
    stop = true;
    ticker.join();
    answerer.join();
    wait_for_engine(engine);

    CHECK(replies == kThreads * kOrdersEach);
    auto lease = database.store().lease();
    std::int64_t trades = 0, complete = 0, duplicated = 0;
    *lease << "SELECT COUNT(*) FROM sandbox_trades", soci::into(trades);
    *lease << "SELECT COUNT(*) FROM sandbox_orders WHERE status = 'complete'", soci::into(complete);
    *lease << "SELECT COUNT(*) FROM (SELECT orderid FROM sandbox_trades GROUP BY orderid "
              "HAVING COUNT(*) > 1) AS twice",
        soci::into(duplicated);
    CHECK(trades == complete);
    CHECK(duplicated == 0);
    double net = 0, bought = 0;
    *lease << "SELECT COALESCE(SUM(quantity), 0) FROM sandbox_positions", soci::into(net);
    *lease << "SELECT COALESCE(SUM(CASE WHEN action = 'BUY' THEN quantity ELSE -quantity END), 0) "
              "FROM sandbox_trades",
        soci::into(bought);
    CHECK(net == bought);
    std::int64_t available = 0, used_margin = 0, capital = 0, realized = 0, held = 0;
    *lease << "SELECT available_paise, used_margin_paise, total_capital_paise, realized_pnl_paise "
              "FROM sandbox_funds WHERE user_id = :user",
        soci::use(user), soci::into(available), soci::into(used_margin), soci::into(capital),
        soci::into(realized);
    *lease << "SELECT (SELECT COALESCE(SUM(margin_blocked_paise), 0) FROM sandbox_orders WHERE "
              "status IN ('open', 'trigger pending')) + (SELECT COALESCE(SUM(margin_blocked_paise), 0) "
              "FROM sandbox_positions)",
        soci::into(held);
    CHECK(available + used_margin == capital + realized);
    CHECK(used_margin == held);
  }

  TEST_CASE("under threads, GTTs placed while ticks cross their triggers each fire exactly one leg once") {
    TempStore database;
    const std::int64_t user = database.add_user("stress");
    FakeMarket market;
    add_standard_instruments(market);
    market.set_quote("ZEEL", "NSE", {100, 0, 0, 0});
    ManualClock clock(ist(2025, 8, 22, 10, 0));
    EngineOptions options;
    options.own_thread = true;
    Engine engine(database.store(), market, options, clock.function());
    engine.start();

    constexpr int kThreads = 2, kGttsEach = 25;
    std::atomic<int> replies{0}, accepted{0};
    std::atomic<bool> stop{false};
    std::thread ticker([&] {
      double price = 100;
      double step = 0.5;
      while (!stop) {
        if (price >= 110 || price <= 90) step = -step;
        price += step;
        engine.on_tick("ZEEL", "NSE", Quote{price, 0, 0, clock.now()});
      }
    });
    std::vector<std::thread> traders;
    for (int t = 0; t < kThreads; ++t) {
      traders.emplace_back([&] {
        for (int i = 0; i < kGttsEach; ++i) {
          engine.place_gtt(user, oco_gtt("ZEEL", "BUY", 1, 95, 96, 105, 106), [&](Reply reply) {
            if (reply.status == 200) ++accepted;
            ++replies;
          });
        }
      });
    }
    for (auto& trader : traders) trader.join();
    wait_for_replies(replies, kThreads * kGttsEach);
    stop = true;
    ticker.join();
    // Every GTT still active fires on these two.
    engine.on_tick("ZEEL", "NSE", Quote{94, 0, 0, clock.now()});
    wait_for_engine(engine);
    engine.on_tick("ZEEL", "NSE", Quote{106, 0, 0, clock.now()});
    wait_for_engine(engine);

    REQUIRE(replies == kThreads * kGttsEach);
    CHECK(accepted == kThreads * kGttsEach);
    oa::store::Store& db = database.store();
    CHECK(count_rows(db, "SELECT COUNT(*) FROM sandbox_gtt WHERE status = 'triggered'") == accepted);
    CHECK(count_rows(db, "SELECT COUNT(*) FROM sandbox_gtt_legs WHERE orderid <> ''") == accepted);
    CHECK(count_rows(db, "SELECT COUNT(*) FROM sandbox_orders") == accepted);
    CHECK(count_rows(db, "SELECT COUNT(*) FROM (SELECT orderid FROM sandbox_trades GROUP BY orderid "
                       "HAVING COUNT(*) > 1) AS twice") == 0);
    CHECK(count_rows(db, "SELECT COUNT(*) FROM sandbox_trades") ==
          count_rows(db, "SELECT COUNT(*) FROM sandbox_orders WHERE status = 'complete'"));
    const std::int64_t held =
        count_rows(db, "SELECT (SELECT COALESCE(SUM(margin_blocked_paise), 0) FROM sandbox_orders WHERE "
                     "status IN ('open', 'trigger pending')) + (SELECT COALESCE(SUM(margin_blocked_paise), 0) "
                     "FROM sandbox_positions) + (SELECT COALESCE(SUM(margin_blocked_paise), 0) FROM "
                     "sandbox_gtt WHERE status = 'active')");
    CHECK(count_rows(db, "SELECT used_margin_paise FROM sandbox_funds") == held);
    CHECK(count_rows(db, "SELECT available_paise + used_margin_paise - total_capital_paise - realized_pnl_paise "
                       "FROM sandbox_funds") == 0);
  }
}
