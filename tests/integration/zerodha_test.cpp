// The REST API through the Zerodha plugin against the loopback Kite fake:
// each endpoint once answered and once refused by "Kite", plus the login end
// to end through /zerodha/callback.
#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include <boost/json.hpp>

#include "fakes/zerodha/kite_fake.hpp"
#include "support/account.hpp"
#include "support/broker_login.hpp"
#include "support/daemon_process.hpp"
#include "support/http_client.hpp"
#include "support/ws_test_client.hpp"

namespace json = boost::json;
using namespace oa::test;

namespace {

// Polls (never a fixed sleep) until `done` or 10 s passed; its last answer.
template <class Condition>
bool wait_until(Condition done) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!done() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  return done();
}

std::vector<std::string> zerodha_settings(const KiteFake& fake) {
  auto settings = fake.settings();
  for (const char* flag : {"--set", "VALID_BROKERS=zerodha"}) settings.emplace_back(flag);
  settings.emplace_back("--set");
  settings.emplace_back(std::string("PLUGIN_DIRS=") + OPENALGOD_PLUGIN_DIR);
  return settings;
}

// A data directory whose administrator is logged in to Zerodha (by the CLI),
// and the daemon serving it with the fake as Kite.
struct ZerodhaDaemon {
  KiteFake fake;
  Account account;
  std::unique_ptr<Daemon> daemon;

  explicit ZerodhaDaemon(std::vector<std::string> extra = {}) {
    std::vector<std::string> login{"broker", "login", "zerodha", "--field", "request_token=req-token-1", "--data-dir",
                                   account.dir.path().string()};
    for (const auto& setting : zerodha_settings(fake)) login.push_back(setting);
    auto logged_in = run_openalgod(login);
    REQUIRE_MESSAGE(logged_in.exit_code == 0, logged_in.err);
    auto settings = zerodha_settings(fake);
    settings.insert(settings.end(), extra.begin(), extra.end());
    daemon = std::make_unique<Daemon>(account.dir.path(), settings);
  }

  // A feed client that asked for order updates, once the plugin opened its
  // ticker connection of its own for Kite's postbacks.
  std::unique_ptr<WsTestClient> order_listener() {
    auto ws = order_update_client(daemon->ws_port(), account.api_key);
    REQUIRE(wait_until([this] { return fake.ticker_connections() == 1; }));
    return ws;
  }

  // POSTs `fields` with the API key. Kite's own request limits answer 429 at
  // once; like a client, this asks again until it is let through.
  HttpReply post(const std::string& path, json::object fields = {}) {
    fields["apikey"] = account.api_key;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    for (;;) {
      auto reply = http(daemon->port(), "POST", path, json::serialize(fields));
      if (reply.status != 429 || std::chrono::steady_clock::now() > deadline) return reply;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
};

json::object body_of(const HttpReply& reply) { return json::parse(reply.body).as_object(); }

json::object order(const std::string& symbol, const std::string& exchange, const std::string& product) {
  return {{"strategy", "test"}, {"symbol", symbol}, {"exchange", exchange}, {"action", "BUY"}, {"quantity", "10"},
          {"pricetype", "LIMIT"}, {"product", product}, {"price", "812.5"}};
}

}  // namespace

TEST_SUITE("zerodha through the daemon") {
  TEST_CASE("the Kite login callback logs in, Zerodha becomes the broker and its instruments load") {
    KiteFake fake;
    Account account;
    Daemon daemon(account.dir.path(), zerodha_settings(fake));
    auto login_url = [&] {
      return std::string(login_url_answer(daemon.port(), account.api_key, "zerodha").at("data").at("login_url").as_string());
    };
    CHECK(login_url().starts_with(fake.api_url() + "/connect/login?v=3&api_key=kite-key-1&redirect_params=state%3D"));
    auto refused = http(daemon.port(), "GET", kite_redirect(login_url(), "stale"));
    CHECK(refused.status == 401);
    CHECK(body_of(refused).at("message") == "Token is invalid or has expired.");
    auto reply = http(daemon.port(), "GET", kite_redirect(login_url(), "req-token-1"));
    REQUIRE_MESSAGE(reply.status == 200, reply.body);
    auto pong = body_of(http(daemon.port(), "POST", "/api/v1/ping", R"({"apikey":")" + account.api_key + R"("})"));
    CHECK(pong.at("data").at("broker") == "zerodha");
    CHECK(fake.requests_to("POST", "/session/token").size() == 2);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    int status = 0;
    while (status != 200 && std::chrono::steady_clock::now() < deadline) {
      status = http(daemon.port(), "POST", "/api/v1/symbol",
                    R"({"apikey":")" + account.api_key + R"(","symbol":"NIFTY05DEC2424000CE","exchange":"NFO"})")
                   .status;
      if (status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    CHECK(status == 200);
  }

  TEST_CASE("placeorder reaches Kite with Kite's values - Kite's refusal comes back with its text") {
    ZerodhaDaemon zerodha;
    auto placed = zerodha.post("/api/v1/placeorder", order("SBIN", "NSE", "MIS"));
    REQUIRE_MESSAGE(placed.status == 200, placed.body);
    CHECK(body_of(placed).at("orderid") == "241125000010001");
    auto refused = zerodha.post("/api/v1/placeorder", order("NIFTY26DEC24FUT", "NFO", "CNC"));
    CHECK(refused.status != 200);
    CHECK(body_of(refused).at("message") == "CNC is not allowed for F&O; use NRML or MIS.");
  }

  TEST_CASE("an order whose answer Kite loses is found in Kite's order book, and never sent twice") {
    ZerodhaDaemon zerodha({"--set", "PLUGIN_CALL_TIMEOUT_MS=400"});
    zerodha.fake.set_fault(KiteFault::LateOrders, 1500);
    auto placed = zerodha.post("/api/v1/placeorder", order("SBIN", "NSE", "MIS"));
    CHECK_MESSAGE(placed.status == 200, placed.body);
    CHECK(body_of(placed).at("orderid") == "241125000010001");
    CHECK(zerodha.fake.requests_to("POST", "/orders/regular").size() == 1);
  }

  TEST_CASE("modifyorder and cancelorder reach Kite - an unknown order id is Kite's error") {
    ZerodhaDaemon zerodha;
    auto id = std::string(body_of(zerodha.post("/api/v1/placeorder", order("SBIN", "NSE", "MIS"))).at("orderid").as_string());
    auto modify = order("SBIN", "NSE", "MIS");
    modify["orderid"] = id;
    modify["quantity"] = "20";
    modify["disclosed_quantity"] = "0";
    modify["trigger_price"] = "0";
    auto modified = zerodha.post("/api/v1/modifyorder", modify);
    CHECK_MESSAGE(modified.status == 200, modified.body);
    CHECK(zerodha.post("/api/v1/cancelorder", {{"strategy", "test"}, {"orderid", id}}).status == 200);
    auto unknown = zerodha.post("/api/v1/cancelorder", {{"strategy", "test"}, {"orderid", "1"}});
    CHECK(unknown.status != 200);
    CHECK(body_of(unknown).at("message") == "Couldn't find that `order_id`.");
  }

  TEST_CASE("the books and funds come from Kite in OpenAlgo's shapes") {
    ZerodhaDaemon zerodha;
    auto book = zerodha.post("/api/v1/orderbook");
    REQUIRE_MESSAGE(book.status == 200, book.body);
    CHECK(body_of(book).at("data").at("statistics").at("total_open_orders") == 2);
    CHECK(zerodha.post("/api/v1/tradebook").status == 200);
    auto positions = zerodha.post("/api/v1/positionbook");
    REQUIRE_MESSAGE(positions.status == 200, positions.body);
    CHECK(body_of(positions).at("data").as_array().size() == 3);
    auto holdings = zerodha.post("/api/v1/holdings");
    REQUIRE_MESSAGE(holdings.status == 200, holdings.body);
    CHECK(body_of(holdings).at("data").at("holdings").at(0).at("symbol") == "RELIANCE");
    auto funds = zerodha.post("/api/v1/funds");
    REQUIRE_MESSAGE(funds.status == 200, funds.body);
    CHECK(body_of(funds).at("data").at("availablecash") == "117500.00");
  }

  TEST_CASE("an expired Kite token fails the account endpoints with Kite's message") {
    ZerodhaDaemon zerodha;
    zerodha.fake.set_fault(KiteFault::TokenExpired);
    for (const char* path : {"/api/v1/orderbook", "/api/v1/tradebook", "/api/v1/positionbook", "/api/v1/holdings",
                             "/api/v1/funds"}) {
      auto reply = zerodha.post(path);
      CHECK_MESSAGE(reply.status != 200, path);
      CHECK_MESSAGE(body_of(reply).at("message") == "Token is invalid or has expired.", path);
    }
  }

  TEST_CASE("quotes, multiquotes, depth and history come from Kite - an unknown symbol is refused") {
    ZerodhaDaemon zerodha;
    auto quote = zerodha.post("/api/v1/quotes", {{"symbol", "INFY"}, {"exchange", "NSE"}});
    REQUIRE_MESSAGE(quote.status == 200, quote.body);
    CHECK(body_of(quote).at("data").at("ltp").to_number<double>() > 1890);
    json::array symbols{json::object{{"symbol", "SBIN"}, {"exchange", "NSE"}},
                        json::object{{"symbol", "NIFTY"}, {"exchange", "NSE_INDEX"}}};
    auto multi = zerodha.post("/api/v1/multiquotes", {{"symbols", symbols}});
    CHECK_MESSAGE(multi.status == 200, multi.body);
    auto depth = zerodha.post("/api/v1/depth", {{"symbol", "SBIN"}, {"exchange", "NSE"}});
    REQUIRE_MESSAGE(depth.status == 200, depth.body);
    CHECK(body_of(depth).at("data").at("bids").as_array().size() == 5);
    auto history = zerodha.post("/api/v1/history", {{"symbol", "SBIN"}, {"exchange", "NSE"}, {"interval", "D"},
                                                    {"start_date", "2024-11-18"}, {"end_date", "2024-11-22"}});
    REQUIRE_MESSAGE(history.status == 200, history.body);
    CHECK(body_of(history).at("data").as_array().size() == 5);
    auto unknown = zerodha.post("/api/v1/quotes", {{"symbol", "NOSUCH"}, {"exchange", "NSE"}});
    CHECK(unknown.status != 200);
  }

  TEST_CASE("margin is Kite's calculator's answer, and a symbol Kite does not list is refused") {
    ZerodhaDaemon zerodha;
    json::object position{{"symbol", "NIFTY05DEC2424000CE"}, {"exchange", "NFO"}, {"action", "BUY"}, {"quantity", "25"},
                          {"product", "NRML"}, {"pricetype", "LIMIT"}, {"price", "100"}};
    auto margin = zerodha.post("/api/v1/margin", {{"positions", json::array{position}}});
    REQUIRE_MESSAGE(margin.status == 200, margin.body);
    CHECK(body_of(margin).at("data").at("total_margin_required").to_number<double>() == doctest::Approx(300.0));
    position["symbol"] = "NOSUCH";
    CHECK(zerodha.post("/api/v1/margin", {{"positions", json::array{position}}}).status != 200);
  }

  TEST_CASE("in analyzer mode the sandbox fills at Kite's price, asked with the Zerodha session") {
    ZerodhaDaemon zerodha;
    auto toggled = zerodha.post("/api/v1/analyzer/toggle", {{"mode", true}});
    REQUIRE_MESSAGE(toggled.status == 200, toggled.body);
    auto market = order("SBIN", "NSE", "CNC");  // MIS is refused outside the session
    market["pricetype"] = "MARKET";
    market["price"] = "0";
    auto placed = zerodha.post("/api/v1/placeorder", market);
    CHECK_MESSAGE(placed.status == 200, placed.body);
    CHECK(zerodha.fake.requests_to("POST", "/orders/regular").empty());
    CHECK_FALSE(zerodha.fake.requests_to("GET", "/quote").empty());
  }

  TEST_CASE("Kite failing behind a 503 is a gateway error for market data") {
    ZerodhaDaemon zerodha;
    zerodha.fake.set_fault(KiteFault::ServerError);
    auto quote = zerodha.post("/api/v1/quotes", {{"symbol", "INFY"}, {"exchange", "NSE"}});
    CHECK(quote.status == 504);
    CHECK(body_of(quote).at("message") == "Kite answered HTTP 503");
  }

  TEST_CASE("Kite's order postbacks reach a WebSocket client that asked for order updates, statuses mapped") {
    ZerodhaDaemon zerodha;
    auto id = std::string(body_of(zerodha.post("/api/v1/placeorder", order("SBIN", "NSE", "MIS"))).at("orderid").as_string());
    auto ws = zerodha.order_listener();
    REQUIRE(zerodha.fake.send_order_update(id, "OPEN PENDING", 0) == 1);
    auto pending = ws->receive_type("order_update");
    REQUIRE(pending);
    CHECK(pending->at("order_status") == "open");  // an in-flight state OpenAlgo leaves unmapped
    zerodha.fake.send_order_update(id, "COMPLETE", 10);
    auto complete = ws->receive_type("order_update");
    REQUIRE(complete);
    std::vector<std::string> keys;
    for (const auto& [key, value] : *complete) keys.emplace_back(key);
    CHECK(keys == std::vector<std::string>{"type", "user_id", "mode", "broker", "orderid", "symbol", "exchange", "action",
                                           "quantity", "price", "trigger_price", "pricetype", "product", "order_status",
                                           "filled_quantity", "pending_quantity", "average_price", "rejection_reason"});
    CHECK(json::value(*complete) == json::parse(R"({"type":"order_update","user_id":"alice","orderid":")" + id + R"(",
        "symbol":"SBIN","exchange":"NSE","action":"BUY","quantity":10,"price":812.5,"trigger_price":0.0,
        "pricetype":"LIMIT","product":"MIS","order_status":"complete","filled_quantity":10,"pending_quantity":0,
        "average_price":0.0,"rejection_reason":"","mode":"live","broker":"zerodha"})"));
  }

  TEST_CASE("a rejected order's update carries Kite's reason - the order connection closes with the last listener") {
    ZerodhaDaemon zerodha;
    auto id = std::string(body_of(zerodha.post("/api/v1/placeorder", order("SBIN", "NSE", "MIS"))).at("orderid").as_string());
    auto ws = zerodha.order_listener();
    zerodha.fake.send_order_update(id, "REJECTED", 0, "RMS:Margin Exceeds");
    auto rejected = ws->receive_type("order_update");
    REQUIRE(rejected);
    CHECK(rejected->at("order_status") == "rejected");
    CHECK(rejected->at("rejection_reason") == "RMS:Margin Exceeds");
    CHECK(rejected->at("pending_quantity") == 10);
    ws->send(R"({"action":"unsubscribe_orders"})");
    REQUIRE(ws->receive_type("unsubscribe_orders"));
    CHECK(wait_until([&] { return zerodha.fake.ticker_connections() == 0; }));
  }

  TEST_CASE("a dropped order-update connection is opened again - the last listener leaving closes it") {
    ZerodhaDaemon zerodha;
    auto id = std::string(body_of(zerodha.post("/api/v1/placeorder", order("SBIN", "NSE", "MIS"))).at("orderid").as_string());
    auto ws = zerodha.order_listener();
    zerodha.fake.drop_feed();
    REQUIRE(wait_until([&] { return zerodha.fake.ticker_connections() == 0; }));
    REQUIRE(wait_until([&] { return zerodha.fake.ticker_connections() == 1; }));  // after the first backoff
    zerodha.fake.send_order_update(id, "CANCELLED", 0);
    auto cancelled = ws->receive_type("order_update");
    REQUIRE(cancelled);
    CHECK(cancelled->at("order_status") == "cancelled");
    ws->close();
    CHECK(wait_until([&] { return zerodha.fake.ticker_connections() == 0; }));
  }

  TEST_CASE("GTT orders become Kite triggers - single and two-leg, modified, listed while active, deleted") {
    ZerodhaDaemon zerodha;
    json::object single{{"strategy", "g"}, {"trigger_type", "SINGLE"}, {"exchange", "NSE"}, {"symbol", "SBIN"},
                        {"action", "BUY"}, {"product", "CNC"}, {"quantity", "5"}, {"price", "800"},
                        {"triggerprice_sl", "790"}};
    auto placed = zerodha.post("/api/v1/placegttorder", single);
    REQUIRE_MESSAGE(placed.status == 200, placed.body);
    CHECK(body_of(placed) == json::parse(R"({"status":"success","trigger_id":"100001"})"));
    auto sent = zerodha.fake.requests_to("POST", "/gtt/triggers").at(0).fields;
    CHECK(sent.find("type")->second == "single");
    auto condition = json::parse(sent.find("condition")->second).as_object();
    CHECK(condition.at("tradingsymbol") == "SBIN");
    CHECK(condition.at("trigger_values") == json::parse("[790.0]"));
    CHECK(condition.at("last_price").to_number<double>() > 0);
    auto legs = json::parse(sent.find("orders")->second).as_array();
    REQUIRE(legs.size() == 1);
    CHECK(legs[0] == json::parse(R"({"exchange":"NSE","tradingsymbol":"SBIN","transaction_type":"BUY","quantity":5,
        "order_type":"LIMIT","product":"CNC","price":800.0})"));

    json::object oco{{"strategy", "g"}, {"trigger_type", "OCO"}, {"exchange", "NSE"}, {"symbol", "SBIN"},
                     {"action", "SELL"}, {"product", "CNC"}, {"quantity", "5"}, {"price", "0"},
                     {"triggerprice_sl", "700"}, {"stoploss", "699"}, {"triggerprice_tg", "900"}, {"target", "901"}};
    auto two_leg = zerodha.post("/api/v1/placegttorder", oco);
    REQUIRE_MESSAGE(two_leg.status == 200, two_leg.body);
    CHECK(body_of(two_leg).at("trigger_id") == "100002");
    sent = zerodha.fake.requests_to("POST", "/gtt/triggers").at(1).fields;
    CHECK(sent.find("type")->second == "two-leg");
    CHECK(json::parse(sent.find("condition")->second).at("trigger_values") == json::parse("[700.0,900.0]"));
    legs = json::parse(sent.find("orders")->second).as_array();
    REQUIRE(legs.size() == 2);
    CHECK(legs[0].at("price") == 699.0);
    CHECK(legs[1].at("price") == 901.0);

    single["trigger_id"] = "100001";
    single["price"] = "805";
    auto modified = zerodha.post("/api/v1/modifygttorder", single);
    REQUIRE_MESSAGE(modified.status == 200, modified.body);
    CHECK(body_of(modified).at("trigger_id") == "100001");
    CHECK(json::parse(zerodha.fake.requests_to("PUT", "/gtt/triggers/100001").at(0).fields.find("orders")->second)
              .at(0).at("price") == 805.0);

    auto book = zerodha.post("/api/v1/gttorderbook");
    REQUIRE_MESSAGE(book.status == 200, book.body);
    auto rows = body_of(book).at("data").as_array();
    REQUIRE(rows.size() == 2);  // the fake's already-triggered one is not listed
    CHECK(rows[0] == json::parse(R"({"created_at":"2024-11-25 10:20:00","exchange":"NSE","expires_at":"2025-11-25 10:20:00",
        "last_price":)" + json::serialize(rows[0].at("last_price")) + R"(,"legs":[{"action":"BUY","price":805.0,
        "pricetype":"LIMIT","product":"CNC","quantity":5}],"status":"active","symbol":"SBIN","trigger_id":"100001",
        "trigger_prices":[790.0],"trigger_type":"single","updated_at":"2024-11-25 10:25:00"})"));
    CHECK(rows[1].at("trigger_type") == "two-leg");
    CHECK(rows[1].at("trigger_prices") == json::parse("[700.0,900.0]"));

    auto cancelled = zerodha.post("/api/v1/cancelgttorder", {{"strategy", "g"}, {"trigger_id", "100002"}});
    REQUIRE_MESSAGE(cancelled.status == 200, cancelled.body);
    CHECK(body_of(cancelled).at("trigger_id") == "100002");
    CHECK(body_of(zerodha.post("/api/v1/gttorderbook")).at("data").as_array().size() == 1);
  }

  TEST_CASE("a GTT Kite refuses comes back with Kite's text") {
    ZerodhaDaemon zerodha;
    auto unknown = zerodha.post("/api/v1/cancelgttorder", {{"strategy", "g"}, {"trigger_id", "5"}});
    CHECK(unknown.status != 200);
    CHECK(body_of(unknown).at("message") == "Trigger not found.");
    json::object fno{{"strategy", "g"}, {"trigger_type", "SINGLE"}, {"exchange", "NFO"}, {"symbol", "NOSUCH24DECFUT"},
                     {"action", "BUY"}, {"product", "NRML"}, {"quantity", "5"}, {"price", "800"}, {"triggerprice_tg", "810"}};
    auto missing = zerodha.post("/api/v1/placegttorder", fno);
    CHECK(missing.status != 200);
    CHECK(body_of(missing).at("message") == "Symbol NOSUCH24DECFUT not found on NFO");
    CHECK(zerodha.fake.requests_to("POST", "/gtt/triggers").empty());
  }
}
