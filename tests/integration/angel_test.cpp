// Angel One end to end: openalgod with the angel plugin pointed at the
// SmartAPI fake (ANGEL_*_URL), logged in through /angel/callback, serving
// OpenAlgo's REST API. The fake checks what the plugin sends, so each
// success here also proves the mapping; each broker error proves Angel's own
// message reaches the client.
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include <chrono>
#include <memory>
#include <thread>

#include "smartapi_fake.hpp"
#include "support/account.hpp"
#include "support/broker_login.hpp"
#include "support/daemon_process.hpp"
#include "support/http_client.hpp"
#include "support/ws_test_client.hpp"

namespace json = boost::json;
using namespace oa::test;

namespace {

constexpr const char* kLoginForm = "userid=A123456&pin=1234&totp=123456";

json::object body_of(const HttpReply& reply) { return json::parse(reply.body).as_object(); }
json::object sent(const SmartApiRequest& request) { return json::parse(request.body).as_object(); }

class AngelDaemon {
 public:
  explicit AngelDaemon(std::vector<std::string> extra = {}) {
    auto args = fake.settings();
    args.insert(args.end(), extra.begin(), extra.end());
    daemon = std::make_unique<Daemon>(account.dir.path(), args);
  }

  HttpReply login_form(const std::string& form) {
    auto state = login_state(daemon->port(), account.api_key, "angel");
    return http(daemon->port(), "POST", "/angel/callback", form + "&state=" + state, "application/x-www-form-urlencoded");
  }
  // Logs in and waits for Angel's instrument file to be loaded.
  void login() {
    auto reply = login_form(kLoginForm);
    REQUIRE_MESSAGE(reply.status == 200, reply.body);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (post("symbol", {{"symbol", "SBIN"}, {"exchange", "NSE"}}).status != 200 &&
           std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    REQUIRE(post("symbol", {{"symbol", "SBIN28NOV24FUT"}, {"exchange", "NFO"}}).status == 200);
  }
  HttpReply post(const std::string& path, json::object body = {}) {
    body["apikey"] = account.api_key;
    return http(daemon->port(), "POST", "/api/v1/" + path, json::serialize(body));
  }
  std::string broker() {
    return std::string(body_of(post("ping")).at("data").at("broker").as_string());
  }

  SmartApiFake fake;
  Account account;
  std::unique_ptr<Daemon> daemon;
};

json::object sbin_limit_buy() {
  return {{"strategy", "t"}, {"symbol", "SBIN"},   {"exchange", "NSE"},     {"action", "BUY"},
          {"quantity", "10"}, {"pricetype", "LIMIT"}, {"product", "CNC"}, {"price", "801.5"}};
}

void check_error(const HttpReply& reply, int status, const std::string& text) {
  CHECK_MESSAGE(reply.status == status, reply.body);
  auto body = body_of(reply);
  CHECK(body.at("status") == "error");
  CHECK_MESSAGE(std::string(body.at("message").as_string()).find(text) != std::string::npos, reply.body);
}

}  // namespace

TEST_SUITE("angel") {
  TEST_CASE("logging in with client code, PIN and TOTP makes Angel the active broker") {
    AngelDaemon angel;
    CHECK(angel.broker() == "simulator");
    angel.login();
    CHECK(angel.broker() == "angel");
    auto logins = angel.fake.requests_to("loginByPassword");
    REQUIRE(logins.size() == 1);
    CHECK(sent(logins[0]) == json::parse(R"({"clientcode":"A123456","password":"1234","totp":"123456"})"));
    CHECK(logins[0].headers.at("x-privatekey") == SmartApiFake::kApiKey);
  }

  TEST_CASE("a TOTP that is not six digits is refused before it reaches Angel") {
    AngelDaemon angel;
    check_error(angel.login_form("userid=A123456&pin=1234&totp=12345"), 400, "6 digits");
    CHECK(angel.fake.requests_to("loginByPassword").empty());
  }

  TEST_CASE("Angel's refusal of a login comes back with Angel's message and changes nothing") {
    AngelDaemon angel;
    check_error(angel.login_form("userid=A123456&pin=9999&totp=123456"), 401, "Invalid clientcode or password");
    CHECK(angel.broker() == "simulator");
  }

  TEST_CASE("openalgod broker login angel logs in from the command line") {
    SmartApiFake fake;
    Account account;
    auto args = std::vector<std::string>{"broker", "login", "angel", "--fields-stdin", "--data-dir",
                                         account.dir.path().string()};
    for (const auto& setting : fake.settings()) args.push_back(setting);
    args.push_back("--set");
    args.push_back(plugin_dirs_flag());
    auto login = run_openalgod(args, "userid=A123456\npin=1234\ntotp=123456\n");
    CHECK_MESSAGE(login.exit_code == 0, login.err);
    CHECK(login.out == "logged in to angel\n");
  }

  TEST_CASE("a limit order goes to placeOrder with Angel's names for every value") {
    AngelDaemon angel;
    angel.login();
    auto placed = angel.post("placeorder", sbin_limit_buy());
    REQUIRE_MESSAGE(placed.status == 200, placed.body);
    CHECK(body_of(placed).at("orderid").as_string().starts_with("2411251"));
    auto orders = angel.fake.requests_to("placeOrder");
    REQUIRE(orders.size() == 1);
    CHECK(sent(orders[0]) == json::parse(R"({"variety":"NORMAL","tradingsymbol":"SBIN-EQ","symboltoken":"3045",
      "exchange":"NSE","ordertype":"LIMIT","producttype":"DELIVERY","duration":"DAY","price":"801.5",
      "triggerprice":"0","quantity":"10","transactiontype":"BUY","disclosedquantity":"0","squareoff":"0",
      "stoploss":"0"})"));
    CHECK(orders[0].headers.at("authorization") == std::string("Bearer ") + SmartApiFake::kJwt);
  }

  TEST_CASE("a stop-loss market order travels as the STOPLOSS variety with its trigger price") {
    AngelDaemon angel;
    angel.login();
    auto order = sbin_limit_buy();
    order["pricetype"] = "SL-M";
    order["product"] = "MIS";
    order["price"] = "0";
    order["trigger_price"] = "790";
    REQUIRE(angel.post("placeorder", order).status == 200);
    auto body = sent(angel.fake.requests_to("placeOrder").at(0));
    CHECK(body.at("variety") == "STOPLOSS");
    CHECK(body.at("ordertype") == "STOPLOSS_MARKET");
    CHECK(body.at("producttype") == "INTRADAY");
    CHECK(body.at("triggerprice") == "790");
  }

  TEST_CASE("Angel's HTTP 200 with status false is an error with Angel's message, not an order") {
    AngelDaemon angel;
    angel.login();
    angel.fake.reject_next("placeOrder", "Insufficient funds", "AB4036");
    check_error(angel.post("placeorder", sbin_limit_buy()), 500, "Insufficient funds");
  }

  TEST_CASE("modifyorder sends the new trigger price as triggerprice") {
    AngelDaemon angel;
    angel.login();
    auto order = sbin_limit_buy();
    order["pricetype"] = "SL";
    order["trigger_price"] = "800";
    auto placed = angel.post("placeorder", order);
    REQUIRE(placed.status == 200);
    auto orderid = body_of(placed).at("orderid");
    order["orderid"] = orderid;
    order["trigger_price"] = "799";
    order["disclosed_quantity"] = "0";
    auto modified = angel.post("modifyorder", order);
    CHECK_MESSAGE(modified.status == 200, modified.body);
    auto body = sent(angel.fake.requests_to("modifyOrder").at(0));
    CHECK(body.at("orderid") == orderid);
    CHECK(body.at("triggerprice") == "799");
    CHECK(body.at("variety") == "STOPLOSS");
  }

  TEST_CASE("cancelorder cancels at Angel and the order book shows it cancelled") {
    AngelDaemon angel;
    angel.login();
    auto placed = angel.post("placeorder", sbin_limit_buy());
    auto orderid = body_of(placed).at("orderid");
    auto cancelled = angel.post("cancelorder", {{"strategy", "t"}, {"orderid", orderid}});
    CHECK_MESSAGE(cancelled.status == 200, cancelled.body);
    CHECK(sent(angel.fake.requests_to("cancelOrder").at(0)) ==
          json::object{{"variety", "NORMAL"}, {"orderid", orderid}});
  }

  TEST_CASE("the order book maps Angel's rows, its in-flight states as open") {
    AngelDaemon angel;
    angel.login();
    auto book = angel.post("orderbook");
    REQUIRE_MESSAGE(book.status == 200, book.body);
    auto book_body = body_of(book);
    const auto& orders = book_body.at("data").at("orders").as_array();
    REQUIRE(orders.size() == 1);
    const auto& amo = orders[0].as_object();
    CHECK(amo.at("symbol") == "INFY");
    CHECK(amo.at("order_status") == "open");
    CHECK(amo.at("product") == "CNC");
    CHECK(amo.at("pricetype") == "LIMIT");
    CHECK(amo.at("quantity") == 5);
    CHECK(body_of(book).at("data").at("statistics").at("total_open_orders") == 1);
  }

  TEST_CASE("the trade book reads the filled size from fillsize") {
    AngelDaemon angel;
    angel.login();
    auto order = sbin_limit_buy();
    order["pricetype"] = "MARKET";
    order["price"] = "0";
    REQUIRE(angel.post("placeorder", order).status == 200);
    auto book = angel.post("tradebook");
    REQUIRE_MESSAGE(book.status == 200, book.body);
    auto book_body = body_of(book);
    const auto& trade = book_body.at("data").as_array().at(0).as_object();
    CHECK(trade.at("symbol") == "SBIN");
    CHECK(trade.at("quantity") == 10);
    CHECK(trade.at("product") == "CNC");
    CHECK(trade.at("action") == "BUY");
  }

  TEST_CASE("positions map Angel's string numbers and products, and a row without pnl gets it computed") {
    AngelDaemon angel;
    angel.login();
    auto book = angel.post("positionbook");
    REQUIRE_MESSAGE(book.status == 200, book.body);
    auto book_body = body_of(book);
    const auto& rows = book_body.at("data").as_array();
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].at("symbol") == "SBIN");
    CHECK(rows[0].at("product") == "MIS");
    CHECK(rows[0].at("quantity") == 10);
    CHECK(rows[1].at("symbol") == "NIFTY28NOV2424000CE");
    CHECK(rows[1].at("product") == "NRML");
    CHECK(rows[1].at("quantity") == -25);
    CHECK(rows[1].at("pnl").to_number<double>() == doctest::Approx(250.0));
  }

  TEST_CASE("holdings map Angel's rows and the host adds the statistics") {
    AngelDaemon angel;
    angel.login();
    auto reply = angel.post("holdings");
    REQUIRE_MESSAGE(reply.status == 200, reply.body);
    auto reply_body = body_of(reply);
    const auto& holding = reply_body.at("data").at("holdings").as_array().at(0).as_object();
    CHECK(holding.at("symbol") == "RELIANCE");
    CHECK(holding.at("product") == "CNC");
    CHECK(holding.at("pnl").to_number<double>() == doctest::Approx(3995));
    CHECK(body_of(reply).at("data").at("statistics").at("totalprofitandloss").to_number<double>() ==
          doctest::Approx(3995));
  }

  TEST_CASE("funds are Angel's RMS figures as two-decimal strings") {
    AngelDaemon angel;
    angel.login();
    auto reply = angel.post("funds");
    REQUIRE_MESSAGE(reply.status == 200, reply.body);
    CHECK(body_of(reply).at("data") == json::parse(R"({"availablecash":"100000.50","collateral":"2500.00",
      "m2munrealized":"120.25","m2mrealized":"-40.00","utiliseddebits":"1500.75"})"));
  }

  TEST_CASE("a quote asks Angel for FULL mode by exchange and token") {
    AngelDaemon angel;
    angel.login();
    auto reply = angel.post("quotes", {{"symbol", "SBIN"}, {"exchange", "NSE"}});
    REQUIRE_MESSAGE(reply.status == 200, reply.body);
    auto reply_body = body_of(reply);
    const auto& data = reply_body.at("data");
    CHECK(data.at("ltp").to_number<double>() == doctest::Approx(800.0));
    CHECK(data.at("bid").to_number<double>() == doctest::Approx(799.95));
    CHECK(data.at("ask").to_number<double>() == doctest::Approx(800.05));
    CHECK(sent(angel.fake.requests_to("quote").at(0)) ==
          json::parse(R"({"mode":"FULL","exchangeTokens":{"NSE":["3045"]}})"));
  }

  TEST_CASE("multiquotes go to Angel in requests of at most 50 tokens") {
    AngelDaemon angel;
    angel.login();
    json::array symbols;
    for (const char* symbol : {"SBIN", "RELIANCE", "INFY", "GTLINFRA"})
      for (int i = 0; i < 15; ++i) symbols.push_back(json::object{{"symbol", symbol}, {"exchange", "NSE"}});
    auto reply = angel.post("multiquotes", {{"symbols", symbols}});
    REQUIRE_MESSAGE(reply.status == 200, reply.body);
    auto requests = angel.fake.requests_to("quote");
    REQUIRE(requests.size() >= 1);
    for (const auto& request : requests) {
      std::size_t tokens = 0;
      auto body = sent(request);
      for (const auto& [exchange, list] : body.at("exchangeTokens").as_object()) tokens += list.as_array().size();
      CHECK(tokens <= 50);
    }
    CHECK(body_of(reply).at("results").as_array().size() == 60);
  }

  TEST_CASE("depth has five levels a side, an index's empty book padded with zeros") {
    AngelDaemon angel;
    angel.login();
    auto stock = angel.post("depth", {{"symbol", "SBIN"}, {"exchange", "NSE"}});
    REQUIRE_MESSAGE(stock.status == 200, stock.body);
    CHECK(body_of(stock).at("data").at("bids").as_array().size() == 5);
    CHECK(body_of(stock).at("data").at("asks").at(4).at("quantity") == 450);
    auto index = angel.post("depth", {{"symbol", "NIFTY"}, {"exchange", "NSE_INDEX"}});
    REQUIRE_MESSAGE(index.status == 200, index.body);
    CHECK(body_of(index).at("data").at("bids").as_array().size() == 5);
    CHECK(body_of(index).at("data").at("bids").at(0).at("price").to_number<double>() == 0);
  }

  TEST_CASE("history longer than Angel's range for an interval is fetched in chunks that meet without a gap") {
    AngelDaemon angel;
    angel.login();
    auto reply = angel.post("history", {{"symbol", "SBIN"}, {"exchange", "NSE"}, {"interval", "1m"},
                                        {"start_date", "2024-10-01"}, {"end_date", "2024-11-14"}});
    REQUIRE_MESSAGE(reply.status == 200, reply.body);
    auto requests = angel.fake.requests_to("getCandleData");
    REQUIRE(requests.size() == 2);
    CHECK(sent(requests[0]).at("fromdate") == "2024-10-01 00:00");
    CHECK(sent(requests[0]).at("todate") == "2024-10-30 23:59");
    CHECK(sent(requests[1]).at("fromdate") == "2024-10-31 00:00");
    CHECK(sent(requests[1]).at("todate") == "2024-11-14 23:59");
    CHECK(sent(requests[0]).at("interval") == "ONE_MINUTE");
    auto reply_body = body_of(reply);
    const auto& candles = reply_body.at("data").as_array();
    CHECK(candles.size() == 33 * 375);  // 33 weekdays of 09:15..15:29
    CHECK(candles.at(0).at("timestamp") == 1727754300);  // 2024-10-01 09:15 IST
  }

  TEST_CASE("daily history is stamped at midnight UTC of the trading date") {
    AngelDaemon angel;
    angel.login();
    auto reply = angel.post("history", {{"symbol", "SBIN"}, {"exchange", "NSE"}, {"interval", "D"},
                                        {"start_date", "2024-11-11"}, {"end_date", "2024-11-15"}});
    REQUIRE_MESSAGE(reply.status == 200, reply.body);
    auto reply_body = body_of(reply);
    const auto& candles = reply_body.at("data").as_array();
    REQUIRE(candles.size() == 5);
    CHECK(candles.at(0).at("timestamp") == 1731283200);  // 2024-11-11 00:00 UTC
  }

  TEST_CASE("derivative history carries Angel's open interest") {
    AngelDaemon angel;
    angel.login();
    auto reply = angel.post("history", {{"symbol", "NIFTY28NOV24FUT"}, {"exchange", "NFO"}, {"interval", "D"},
                                        {"start_date", "2024-11-11"}, {"end_date", "2024-11-11"}});
    REQUIRE_MESSAGE(reply.status == 200, reply.body);
    CHECK(body_of(reply).at("data").at(0).at("oi").to_number<std::int64_t>() > 0);
    CHECK(angel.fake.requests_to("getOIData").size() == 1);
  }

  TEST_CASE("a history range Angel's limits cannot serve in one call is refused, not cut short") {
    AngelDaemon angel;
    angel.login();
    auto reply = angel.post("history", {{"symbol", "SBIN"}, {"exchange", "NSE"}, {"interval", "1m"},
                                        {"start_date", "2024-01-01"}, {"end_date", "2024-11-14"}});
    check_error(reply, 400, "at most 90 days");
    CHECK(angel.fake.requests_to("getCandleData").empty());
  }

  TEST_CASE("every Angel endpoint's status:false reaches the client with Angel's message") {
    AngelDaemon angel;
    angel.login();
    auto placed = angel.post("placeorder", sbin_limit_buy());
    auto orderid = body_of(placed).at("orderid");
    struct Case {
      const char* endpoint;
      const char* path;
      json::object body;
    };
    auto modify = sbin_limit_buy();
    modify["orderid"] = orderid;
    modify["trigger_price"] = "0";
    modify["disclosed_quantity"] = "0";
    std::vector<Case> cases{
        {"modifyOrder", "modifyorder", modify},
        {"cancelOrder", "cancelorder", {{"strategy", "t"}, {"orderid", orderid}}},
        {"getOrderBook", "orderbook", {}},
        {"getTradeBook", "tradebook", {}},
        {"getPosition", "positionbook", {}},
        {"getAllHolding", "holdings", {}},
        {"getRMS", "funds", {}},
        {"quote/", "quotes", {{"symbol", "SBIN"}, {"exchange", "NSE"}}},
        {"margin/v1/batch", "margin",
         {{"positions", json::array{json::object{{"symbol", "SBIN"}, {"exchange", "NSE"}, {"action", "BUY"},
                                                 {"quantity", "1"}, {"product", "MIS"}, {"pricetype", "MARKET"}}}}}},
        {"getCandleData", "history",
         {{"symbol", "SBIN"}, {"exchange", "NSE"}, {"interval", "5m"}, {"start_date", "2024-11-11"},
          {"end_date", "2024-11-11"}}},
    };
    for (const auto& c : cases) {
      CAPTURE(c.path);
      angel.fake.reject_next(c.endpoint, std::string("Angel says no to ") + c.endpoint, "AB1004");
      check_error(angel.post(c.path, c.body), 500, std::string("Angel says no to ") + c.endpoint);
    }
  }

  TEST_CASE("an expired session is an authorisation error with Angel's message") {
    AngelDaemon angel;
    angel.login();
    angel.fake.set_fault(SmartApiFault::TokenExpired);
    check_error(angel.post("funds"), 403, "Token Expired");
  }

  TEST_CASE("Angel's gateway failing with an HTML 503 is an upstream error") {
    AngelDaemon angel;
    angel.login();
    angel.fake.set_fault(SmartApiFault::ServerError);
    check_error(angel.post("orderbook"), 504, "HTTP 503");
  }

  TEST_CASE("a truncated answer is an upstream error, not a crash or an empty success") {
    AngelDaemon angel;
    angel.login();
    angel.fake.set_fault(SmartApiFault::Malformed);
    check_error(angel.post("funds"), 504, "not JSON");
  }

  TEST_CASE("an Angel that does not answer in time is a timeout") {
    AngelDaemon angel({"--set", "PLUGIN_CALL_TIMEOUT_MS=500"});
    angel.login();
    angel.fake.set_fault(SmartApiFault::Slow, 3000);
    auto reply = angel.post("funds");
    CHECK(reply.status >= 500);
    CHECK(body_of(reply).at("status") == "error");
  }

  TEST_CASE("a placement Angel answers too late is settled from its order book without a second order") {
    AngelDaemon angel({"--set", "PLUGIN_CALL_TIMEOUT_MS=1000"});
    angel.login();
    angel.fake.delay_next("placeOrder", 3000);
    auto placed = angel.post("placeorder", sbin_limit_buy());
    CHECK_MESSAGE(placed.status == 200, placed.body);
    CHECK(body_of(placed).at("orderid").as_string().starts_with("2411251"));
    CHECK(angel.fake.requests_to("placeOrder").size() == 1);
    CHECK(angel.fake.requests_to("getOrderBook").size() == 1);
  }

  TEST_CASE("margin asks Angel's batch calculator with each position's token and Angel's names") {
    AngelDaemon angel;
    angel.login();
    json::array positions{json::object{{"symbol", "SBIN"}, {"exchange", "NSE"}, {"action", "BUY"}, {"quantity", "10"},
                                       {"product", "MIS"}, {"pricetype", "MARKET"}, {"price", "0"}}};
    auto reply = angel.post("margin", {{"positions", positions}});
    REQUIRE_MESSAGE(reply.status == 200, reply.body);
    auto reply_body = body_of(reply);
    CHECK(reply_body.at("data").at("total_margin_required").to_number<double>() == doctest::Approx(1600));
    CHECK(reply_body.at("data").at("span_margin").to_number<double>() == doctest::Approx(1120));
    CHECK(sent(angel.fake.requests_to("margin/v1/batch").at(0)) ==
          json::parse(R"({"positions":[{"exchange":"NSE","qty":10,"price":0.0,"productType":"INTRADAY",
            "token":"3045","tradeType":"BUY","orderType":"MARKET"}]})"));
  }

  TEST_CASE("Angel's order-status socket reaches a WebSocket client that asked for order updates, codes mapped") {
    AngelDaemon angel;
    angel.login();
    auto placed = angel.post("placeorder", sbin_limit_buy());
    REQUIRE_MESSAGE(placed.status == 200, placed.body);
    auto id = std::string(body_of(placed).at("orderid").as_string());
    auto ws = order_update_client(angel.daemon->ws_port(), angel.account.api_key);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (angel.fake.order_update_connections() == 0 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    REQUIRE(angel.fake.send_order_update(id, "AB10", "trigger pending", 0) == 1);
    auto pending = ws->receive_type("order_update");
    REQUIRE(pending);
    CHECK(pending->at("order_status") == "trigger pending");
    angel.fake.send_order_update(id, "AB05", "complete", 10);
    auto complete = ws->receive_type("order_update");
    REQUIRE(complete);
    CHECK(json::value(*complete) == json::parse(R"({"type":"order_update","user_id":"alice","mode":"live","broker":"angel",
        "orderid":")" + id + R"(","symbol":"SBIN","exchange":"NSE","action":"BUY","quantity":10,"price":801.5,
        "trigger_price":0.0,"pricetype":"LIMIT","product":"CNC","order_status":"complete","filled_quantity":10,
        "pending_quantity":0,"average_price":801.5,"rejection_reason":""})"));
    angel.fake.send_order_update(id, "AB03", "rejected", 0, "Insufficient funds");
    auto rejected = ws->receive_type("order_update");
    REQUIRE(rejected);
    CHECK(rejected->at("order_status") == "rejected");
    CHECK(rejected->at("rejection_reason") == "Insufficient funds");
  }

  TEST_CASE("GTT orders become Angel GTT rules - placed, modified, listed while active, cancelled") {
    AngelDaemon angel;
    angel.login();
    json::object single{{"strategy", "g"}, {"trigger_type", "SINGLE"}, {"exchange", "NSE"}, {"symbol", "SBIN"},
                        {"action", "BUY"}, {"product", "CNC"}, {"quantity", "5"}, {"price", "790"},
                        {"triggerprice_tg", "795"}};
    auto placed = angel.post("placegttorder", single);
    REQUIRE_MESSAGE(placed.status == 200, placed.body);
    CHECK(body_of(placed) == json::parse(R"({"status":"success","trigger_id":"5000001"})"));
    CHECK(sent(angel.fake.requests_to("gtt/v1/createRule").at(0)) ==
          json::parse(R"({"tradingsymbol":"SBIN-EQ","symboltoken":"3045","exchange":"NSE","producttype":"DELIVERY",
            "transactiontype":"BUY","price":"790","qty":"5","triggerprice":"795","disclosedqty":"0"})"));
    single["trigger_id"] = "5000001";
    single["quantity"] = "7";
    auto modified = angel.post("modifygttorder", single);
    REQUIRE_MESSAGE(modified.status == 200, modified.body);
    CHECK(sent(angel.fake.requests_to("gtt/v1/modifyRule").at(0)) ==
          json::parse(R"({"id":"5000001","symboltoken":"3045","exchange":"NSE","price":"790","qty":"7",
            "triggerprice":"795","disclosedqty":"0"})"));
    auto book = angel.post("gttorderbook");
    REQUIRE_MESSAGE(book.status == 200, book.body);
    CHECK(body_of(book).at("data") == json::parse(R"([{"created_at":"2024-11-25T10:20:00","exchange":"NSE",
        "expires_at":"2025-11-25T00:00:00","last_price":0.0,"legs":[{"action":"BUY","price":790.0,"pricetype":"LIMIT",
        "product":"CNC","quantity":7}],"status":"active","symbol":"SBIN","trigger_id":"5000001",
        "trigger_prices":[795.0],"trigger_type":"single","updated_at":"2024-11-25T10:25:00"}])"));
    auto cancelled = angel.post("cancelgttorder", {{"strategy", "g"}, {"trigger_id", "5000001"}});
    REQUIRE_MESSAGE(cancelled.status == 200, cancelled.body);
    CHECK(sent(angel.fake.requests_to("gtt/v1/cancelRule").at(0)) ==
          json::parse(R"({"id":"5000001","symboltoken":"3045","exchange":"NSE"})"));
    CHECK(body_of(angel.post("gttorderbook")).at("data").as_array().empty());
  }

  TEST_CASE("an OCO GTT is refused for Angel by name - an unknown rule is Angel's own error") {
    AngelDaemon angel;
    angel.login();
    json::object oco{{"strategy", "g"}, {"trigger_type", "OCO"}, {"exchange", "NSE"}, {"symbol", "SBIN"},
                     {"action", "SELL"}, {"product", "CNC"}, {"quantity", "5"}, {"price", "0"},
                     {"triggerprice_sl", "700"}, {"stoploss", "699"}, {"triggerprice_tg", "900"}, {"target", "901"}};
    check_error(angel.post("placegttorder", oco), 501, "OCO GTT orders are not supported");
    CHECK(angel.fake.requests_to("gtt/v1/createRule").empty());
    auto unknown = angel.post("cancelgttorder", {{"strategy", "g"}, {"trigger_id", "42"}});
    CHECK(unknown.status != 200);
    CHECK(body_of(unknown).at("message") == "GTT rule not found (AB9002)");
  }
}
