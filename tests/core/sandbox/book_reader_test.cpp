// The account views read the store on the calling thread (sandbox/book_reader.hpp):
// they answer without the engine's thread, they show every order a client has
// been answered for, they write nothing, and their answers are the engine's,
// byte for byte.
#include <doctest/doctest.h>

#include <future>
#include <optional>
#include <string>

#include <boost/json.hpp>

#include "sandbox/sandbox_store.hpp"
#include "sandbox_fixture.hpp"

using namespace oa::sandbox;
using namespace oa::sandbox::test;

namespace {

std::string text(const Reply& reply) {
  return std::to_string(reply.status) + " " + boost::json::serialize(reply.body);
}

// The reply of `call` when it came before `call` returned.
std::optional<Reply> answered_at_once(const std::function<void(Engine::Done)>& call) {
  std::optional<Reply> reply;
  call([&reply](Reply answer) { reply = std::move(answer); });
  return reply;
}

std::optional<Funds> stored_funds_of(TempStore& database, std::int64_t user) {
  std::optional<Funds> funds;
  SandboxStore(database.store()).read([&](SandboxTables& tables) { funds = tables.find_funds(user); });
  return funds;
}

bool lists_order(const Reply& order_book, const std::string& orderid) {
  for (const auto& row : order_book.body.at("data").at("orders").as_array()) {
    if (row.at("orderid").as_string() == orderid) return true;
  }
  return false;
}

// Holds the engine's thread inside a group, with the group's write
// transaction open, for as long as it lives.
class HeldEngine {
 public:
  explicit HeldEngine(Engine& engine) {
    auto released = release_.get_future().share();
    auto entered = entered_.get_future();
    engine.write(
        [this, released](oa::store::StatementCache& statements) {
          statements.run("UPDATE sandbox_schedule SET job = job");  // the group's write lock is held
          entered_.set_value();
          released.wait();
        },
        [](bool) {});
    entered.wait();
  }
  ~HeldEngine() { release_.set_value(); }

 private:
  std::promise<void> entered_, release_;
};

// An engine on its own thread, as the daemon runs it, on the daemon's default pool of eight
// connections (the views keep two of them between reads).
struct ThreadedEngine {
  TempStore database{8};
  FakeMarket market;
  ManualClock clock{ist(2025, 8, 22, 10, 0)};
  std::int64_t user = database.add_user("trader");
  std::unique_ptr<Engine> engine;

  ThreadedEngine() {
    add_standard_instruments(market);
    engine = std::make_unique<Engine>(database.store(), market, EngineOptions{}, clock.function());
    engine->start();
  }
  ~ThreadedEngine() { engine.reset(); }

  Reply place(const OrderRequest& request) {
    std::promise<Reply> reply;
    engine->place_order(user, request, [&reply](Reply answer) { reply.set_value(std::move(answer)); });
    return reply.get_future().get();
  }

  // The order is in the order book and has a status, both answered before the calls returned.
  void check_views_show(const std::string& orderid) {
    const auto book = answered_at_once([&](Engine::Done done) { engine->order_book(user, done); });
    REQUIRE(book);
    CHECK(lists_order(*book, orderid));
    const auto status = answered_at_once([&](Engine::Done done) { engine->order_status(user, orderid, done); });
    REQUIRE(status);
    CHECK(status->status == 200);
  }
};

}  // namespace

TEST_SUITE("sandbox account views") {
  TEST_CASE("the order book, trade book, order status, open position and funds answer before the call returns") {
    Harness h;
    h.market().set_quote("SBIN", "NSE", {800, 0, 0, 0});
    const std::string orderid = orderid_of(h.place("SBIN", "NSE", "BUY", 10, "LIMIT", "MIS", 790));
    const std::int64_t user = h.user();
    Engine& engine = h.engine();
    CHECK(answered_at_once([&](Engine::Done done) { engine.order_book(user, done); }));
    CHECK(answered_at_once([&](Engine::Done done) { engine.trade_book(user, done); }));
    CHECK(answered_at_once([&](Engine::Done done) { engine.order_status(user, orderid, done); }));
    CHECK(answered_at_once([&](Engine::Done done) { engine.open_position(user, "SBIN", "NSE", "MIS", done); }));
    CHECK(answered_at_once([&](Engine::Done done) { engine.funds(user, done); }));
    CHECK(engine.run_queued() == 0);
  }

  TEST_CASE("funds, the position book and holdings answer before the call returns when their prices are recent") {
    Harness h;
    hold_shares(h, "ZEEL", 10, 120);
    h.market().set_quote("SBIN", "NSE", {800, 0, 0, 0});
    REQUIRE(h.place("SBIN", "NSE", "BUY", 10).status == 200);
    h.tick("SBIN", "NSE", 810);
    h.tick("ZEEL", "NSE", 125);
    const std::int64_t user = h.user();
    Engine& engine = h.engine();
    const auto funds = answered_at_once([&](Engine::Done done) { engine.funds(user, done); });
    REQUIRE(funds);
    CHECK(funds->body.at("data").at("m2munrealized").to_number<double>() == 100.0);
    const auto positions = answered_at_once([&](Engine::Done done) { engine.position_book(user, done); });
    REQUIRE(positions);
    CHECK(positions->body.at("data").at(0).at("ltp").to_number<double>() == 810.0);
    const auto holdings = answered_at_once([&](Engine::Done done) { engine.holdings(user, done); });
    REQUIRE(holdings);
    CHECK(holdings->body.at("data").at("holdings").at(0).at("ltp").to_number<double>() == 125.0);
    CHECK(engine.run_queued() == 0);
  }

  TEST_CASE("a position whose price is older than book_quote_max_age_ms is marked after the engine fetched a new one") {
    Harness h;
    h.market().set_quote("SBIN", "NSE", {800, 0, 0, 0});
    REQUIRE(h.place("SBIN", "NSE", "BUY", 10).status == 200);
    h.clock().advance(EngineOptions{}.book_quote_max_age_ms + 1);
    h.market().set_quote("SBIN", "NSE", {820, 0, 0, 0});
    const std::size_t fetches = h.market().fetch_count();
    CHECK_FALSE(answered_at_once([&](Engine::Done done) { h.engine().funds(h.user(), done); }));
    const Reply funds = h.funds();
    CHECK(h.market().fetch_count() > fetches);
    CHECK(funds.body.at("data").at("m2munrealized").to_number<double>() == 200.0);
  }

  TEST_CASE("the account views answer while the engine's thread is held inside a group commit") {
    ThreadedEngine t;
    t.market.set_quote("SBIN", "NSE", {800, 0, 0, 0});
    REQUIRE(t.place(OrderRequest{"s", "SBIN", "NSE", "BUY", "MARKET", "MIS", 10, 0, 0, 0}).status == 200);
    const std::string orderid =
        orderid_of(t.place(OrderRequest{"s", "SBIN", "NSE", "BUY", "LIMIT", "MIS", 10, 790, 0, 0}));
    HeldEngine held(*t.engine);
    t.check_views_show(orderid);
    const auto funds = answered_at_once([&](Engine::Done done) { t.engine->funds(t.user, done); });
    REQUIRE(funds);
    CHECK(funds->body.at("data").at("utiliseddebits").to_number<double>() == 1600.0 + 1580.0);
    const auto positions = answered_at_once([&](Engine::Done done) { t.engine->position_book(t.user, done); });
    REQUIRE(positions);
    CHECK(positions->body.at("data").at(0).at("quantity") == 10);
  }

  TEST_CASE("the store closes once the engine whose views kept connections is gone") {
    ThreadedEngine t;
    t.market.set_quote("SBIN", "NSE", {800, 0, 0, 0});
    t.check_views_show(orderid_of(t.place(OrderRequest{"s", "SBIN", "NSE", "BUY", "LIMIT", "MIS", 1, 790, 0, 0})));
    t.engine.reset();
    t.database.store().close();  // returns: nothing holds a connection any more
    CHECK_THROWS_WITH_AS(t.database.store().lease(), doctest::Contains("closed"), std::runtime_error);
  }

  TEST_CASE("a view asked after an order's reply shows that order") {
    ThreadedEngine t;
    t.market.set_quote("SBIN", "NSE", {800, 0, 0, 0});
    for (int i = 0; i < 20; ++i) {
      t.check_views_show(orderid_of(t.place(OrderRequest{"s", "SBIN", "NSE", "BUY", "LIMIT", "MIS", 1, 790, 0, 0})));
    }
  }

  TEST_CASE("funds of a user without a ledger are the opening funds, and asking stores nothing") {
    Harness h;
    CHECK(text(h.funds()) ==
          R"(200 {"status":"success","data":{"availablecash":1E7,"collateral":0E0,"m2munrealized":0E0,)"
          R"("m2mrealized":0E0,"total_realized_pnl":0E0,"today_realized_pnl":0E0,"utiliseddebits":0E0,)"
          R"("grossexposure":0E0,"totalpnl":0E0,"last_reset":"2025-08-22 10:00:00","reset_count":0},)"
          R"("mode":"analyze"})");
    CHECK_FALSE(stored_funds_of(h.database(), h.user()));
  }

  TEST_CASE("the first order stores the ledger that funds showed") {
    Harness h;
    h.funds();
    h.market().set_quote("SBIN", "NSE", {800, 0, 0, 0});
    REQUIRE(h.place("SBIN", "NSE", "BUY", 10, "LIMIT", "MIS", 790).status == 200);
    const auto funds = stored_funds_of(h.database(), h.user());
    REQUIRE(funds);
    CHECK(funds->total_capital == to_paise(10000000));
    CHECK(funds->used_margin == to_paise(790 * 10 / 5));  // MIS: leverage 5
  }

  TEST_CASE("the views answer exactly as the engine answered them") {
    Harness h;
    h.market().set_quote("SBIN", "NSE", {800, 0, 0, 0});
    h.market().set_quote("RELIANCE", "NSE", {1400, 0, 0, 0});
    const std::string filled = orderid_of(h.place("SBIN", "NSE", "BUY", 10));
    h.clock().advance(1000);
    REQUIRE(h.place("RELIANCE", "NSE", "BUY", 5, "LIMIT", "CNC", 1390).status == 200);
    h.clock().advance(1000);
    REQUIRE(h.place("RELIANCE", "NSE", "BUY", 100000, "MARKET", "CNC").status == 400);
    h.clock().advance(1000);
    h.tick("SBIN", "NSE", 810);

    CHECK(text(h.order_book()) ==
          R"(200 {"status":"success","data":{"orders":[{"orderid":"25082200000003","symbol":"RELIANCE",)"
          R"("exchange":"NSE","action":"BUY","quantity":100000,"price":1.4E3,"trigger_price":0E0,)"
          R"("pricetype":"MARKET","product":"CNC","order_status":"rejected","average_price":0E0,)"
          R"("filled_quantity":0,"pending_quantity":0,)"
          R"("rejection_reason":"Insufficient funds. Required: ₹140000000.00, )"
          R"(Available: ₹9991450.00, Shortage: ₹130008550.00",)"
          R"("timestamp":"2025-08-22 10:00:02","strategy":"test"},{"orderid":"25082200000002",)"
          R"("symbol":"RELIANCE","exchange":"NSE","action":"BUY","quantity":5,"price":1.39E3,"trigger_price":0E0,)"
          R"("pricetype":"LIMIT","product":"CNC","order_status":"open","average_price":0E0,"filled_quantity":0,)"
          R"("pending_quantity":5,"rejection_reason":"","timestamp":"2025-08-22 10:00:01",)"
          R"("strategy":"test"},{"orderid":"25082200000001","symbol":"SBIN","exchange":"NSE","action":"BUY",)"
          R"("quantity":10,"price":8E2,"trigger_price":0E0,"pricetype":"MARKET","product":"MIS",)"
          R"("order_status":"complete","average_price":8E2,"filled_quantity":10,"pending_quantity":0,)"
          R"("rejection_reason":"","timestamp":"2025-08-22 10:00:00","strategy":"test"}],)"
          R"("statistics":{"total_buy_orders":3,"total_sell_orders":0,"total_completed_orders":1,)"
          R"("total_open_orders":1,"total_rejected_orders":1,"total_trigger_pending_orders":0}},"mode":"analyze"})");
    CHECK(text(h.trade_book()) ==
          R"(200 {"status":"success","data":[{"tradeid":"TRADE-20250822-100000-4b15c3d7",)"
          R"("orderid":"25082200000001","symbol":"SBIN","exchange":"NSE","action":"BUY","quantity":10,)"
          R"("average_price":8E2,"price":8E2,"trade_value":8E3,"product":"MIS","strategy":"test",)"
          R"("timestamp":"2025-08-22 10:00:00"}],"mode":"analyze"})");
    CHECK(text(h.order_status(filled)) ==
          R"(200 {"status":"success","data":{"orderid":"25082200000001","symbol":"SBIN","exchange":"NSE",)"
          R"("action":"BUY","quantity":10,"price":8E2,"trigger_price":0E0,"price_type":"MARKET","product":"MIS",)"
          R"("order_status":"complete","average_price":8E2,"filled_quantity":10,"pending_quantity":0,)"
          R"("timestamp":"2025-08-22 10:00:00","strategy":"test"},"mode":"analyze"})");
    CHECK(text(h.order_status("250822999")) ==
          R"(404 {"status":"error","message":"Order 250822999 not found","mode":"analyze"})");
    const auto open_position = [&h](const char* product) {
      return text(h.request([&](Engine& engine, Engine::Done done) {
        engine.open_position(h.user(), "SBIN", "NSE", product, done);
      }));
    };
    CHECK(open_position("MIS") == R"(200 {"mode":"analyze","quantity":10,"status":"success"})");
    CHECK(open_position("NRML") == R"(200 {"mode":"analyze","quantity":0,"status":"success"})");
    CHECK(text(h.funds()) ==
          R"(200 {"status":"success","data":{"availablecash":9.99145E6,"collateral":0E0,"m2munrealized":1E2,)"
          R"("m2mrealized":0E0,"total_realized_pnl":0E0,"today_realized_pnl":0E0,"utiliseddebits":8.55E3,)"
          R"("grossexposure":8.55E3,"totalpnl":1E2,"last_reset":"2025-08-22 10:00:00","reset_count":0},)"
          R"("mode":"analyze"})");
    CHECK(text(h.position_book()) ==
          R"(200 {"status":"success","data":[{"symbol":"SBIN","exchange":"NSE","product":"MIS","quantity":10,)"
          R"("average_price":8E2,"ltp":8.1E2,"pnl":1E2,"pnlpercent":1.25E0,"unrealized_pnl":1E2,)"
          R"("today_realized_pnl":0E0,"total_pnl_today":1E2,"lot_size":1E0}],"mode":"analyze","total_pnl":1E2,)"
          R"("total_unrealized_pnl":1E2,"total_today_realized_pnl":0E0,"total_pnl_today":1E2})");
  }

  TEST_CASE("another user's order is not found") {
    Harness h;
    h.market().set_quote("SBIN", "NSE", {800, 0, 0, 0});
    const std::string orderid = orderid_of(h.place("SBIN", "NSE", "BUY", 10));
    h.set_user(h.database().add_user("other"));
    CHECK(text(h.order_status(orderid)) ==
          R"(404 {"status":"error","message":"Order 25082200000001 not found","mode":"analyze"})");
  }

  TEST_CASE("holdings answer exactly as the engine answered them") {
    Harness h;
    hold_shares(h, "ZEEL", 10, 120);
    h.tick("ZEEL", "NSE", 125);
    CHECK(text(h.holdings()) ==
          R"(200 {"status":"success","data":{"holdings":[{"symbol":"ZEEL","exchange":"NSE","product":"CNC",)"
          R"("quantity":10,"average_price":1.2E2,"ltp":1.25E2,"pnl":5E1,"pnlpercent":4.17E0,)"
          R"("current_value":1.25E3,"settlement_date":"2025-08-23"}],"statistics":{"totalholdingvalue":1.25E3,)"
          R"("totalinvvalue":1.2E3,"totalprofitandloss":5E1,"totalpnlpercentage":4.17E0}},"mode":"analyze"})");
    CHECK(text(h.funds()) ==
          R"(200 {"status":"success","data":{"availablecash":9.9988E6,"collateral":0E0,"m2munrealized":0E0,)"
          R"("m2mrealized":0E0,"total_realized_pnl":0E0,"today_realized_pnl":0E0,"utiliseddebits":0E0,)"
          R"("grossexposure":0E0,"totalpnl":0E0,"last_reset":"2025-08-22 10:00:00","reset_count":0},)"
          R"("mode":"analyze"})");
  }
}
