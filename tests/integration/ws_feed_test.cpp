// OpenAlgo's WebSocket feed protocol (websocket.md §2) against the real
// daemon with the simulator streaming: every message of the reference, the
// per-mode payloads, limits, and a stalled client beside a fast one.
#include <doctest/doctest.h>

#include <set>

#include <boost/json.hpp>

#include "support/account.hpp"
#include "support/daemon_process.hpp"
#include "support/http_client.hpp"
#include "support/ws_test_client.hpp"

namespace json = boost::json;
using namespace oa::test;
using namespace std::chrono_literals;

namespace {

struct Feed {
  Account account;
  Daemon daemon;
  explicit Feed(std::vector<std::string> settings = {})
      : daemon(account.dir.path(), with_defaults(std::move(settings))) {}

  static std::vector<std::string> with_defaults(std::vector<std::string> settings) {
    std::vector<std::string> args{"--set", "SIMULATOR_TICK_MS=50", "--set", "VALID_BROKERS=zerodha,angel"};
    for (auto& setting : settings) args.insert(args.end(), {"--set", setting});
    return args;
  }

  // A connected client that authenticated.
  std::unique_ptr<WsTestClient> client(WsTestClient::Options options = {}) {
    auto ws = std::make_unique<WsTestClient>(daemon.ws_port(), options);
    ws->send_json(json::object{{"action", "authenticate"}, {"api_key", account.api_key}});
    auto auth = ws->receive_type("auth");
    REQUIRE(auth);
    return ws;
  }
};

json::object subscribe_message(std::vector<std::string> symbols, json::value mode) {
  json::array list;
  for (const auto& symbol : symbols) list.push_back(json::object{{"symbol", symbol}, {"exchange", "NSE"}});
  return json::object{{"action", "subscribe"}, {"symbols", std::move(list)}, {"mode", mode}, {"depth", 5}};
}

std::vector<std::string> keys_of(const json::object& object) {
  std::vector<std::string> keys;
  for (const auto& [key, value] : object) keys.emplace_back(key);
  return keys;
}

std::vector<std::string> nse_symbols(std::size_t count) {
  static const std::vector<std::string> all{
      "ADANIENT", "ADANIPORTS", "APOLLOHOSP", "ASIANPAINT", "AXISBANK", "BAJAJ-AUTO", "BAJFINANCE", "BAJAJFINSV",
      "BEL",      "BHARTIARTL", "CIPLA",      "COALINDIA",  "DRREDDY",  "EICHERMOT",  "ETERNAL",    "GRASIM",
      "HCLTECH",  "HDFCBANK",   "HDFCLIFE",   "HEROMOTOCO", "HINDALCO", "HINDUNILVR", "ICICIBANK",  "INDIGO",
      "INFY",     "ITC",        "JIOFIN",     "JSWSTEEL",   "KOTAKBANK"};
  return {all.begin(), all.begin() + static_cast<std::ptrdiff_t>(std::min(count, all.size()))};
}

}  // namespace

TEST_SUITE("ws feed") {
  TEST_CASE("a valid API key authenticates with the reference's auth message") {
    Feed feed;
    WsTestClient ws(feed.daemon.ws_port());
    ws.send_json(json::object{{"action", "authenticate"}, {"api_key", feed.account.api_key}});
    auto auth = ws.receive_json();
    REQUIRE(auth);
    CHECK(keys_of(auth->as_object()) ==
          std::vector<std::string>{"type", "status", "message", "broker", "user_id", "supported_features"});
    CHECK(auth->at("status") == "success");
    CHECK(auth->at("broker") == "simulator");
    CHECK(auth->at("user_id") == "alice");
  }

  TEST_CASE("a missing or unknown API key gets AUTHENTICATION_ERROR and the connection stays open") {
    Feed feed;
    WsTestClient ws(feed.daemon.ws_port());
    ws.send(R"({"action":"authenticate"})");
    auto missing = ws.receive_json();
    REQUIRE(missing);
    CHECK(*missing == json::parse(R"({"status":"error","code":"AUTHENTICATION_ERROR","message":"API key is required"})"));
    ws.send(R"({"action":"auth","apikey":"0000"})");
    auto unknown = ws.receive_json();
    REQUIRE(unknown);
    CHECK(unknown->at("message") == "Invalid API key");
    ws.send(R"({"action":"ping"})");
    CHECK(ws.receive_type("pong"));
  }

  TEST_CASE("a client that does not authenticate within the grace window is closed with 4401 auth timeout") {
    Feed feed({"WS_AUTH_GRACE_SECONDS=1"});
    WsTestClient ws(feed.daemon.ws_port());
    REQUIRE(ws.wait_closed(10s));
    CHECK(ws.close_code() == 4401);
    CHECK(ws.close_reason() == "auth timeout");
  }

  TEST_CASE("before authentication only ping and get_supported_brokers are answered") {
    Feed feed;
    WsTestClient ws(feed.daemon.ws_port());
    ws.send_json(subscribe_message({"INFY"}, 1));
    auto refused = ws.receive_json();
    REQUIRE(refused);
    CHECK(*refused == json::parse(R"({"status":"error","code":"NOT_AUTHENTICATED","message":"You must authenticate first"})"));
    ws.send(R"({"action":"get_supported_brokers"})");
    auto brokers = ws.receive_json();
    REQUIRE(brokers);
    CHECK(*brokers == json::parse(R"({"type":"supported_brokers","status":"success","brokers":["zerodha","angel"],"count":2})"));
    ws.send(R"({"action":"ping","timestamp":1737345600000,"_pingId":7})");
    auto pong = ws.receive_json();
    REQUIRE(pong);
    CHECK(keys_of(pong->as_object()) == std::vector<std::string>{"type", "status", "server_timestamp", "client_timestamp", "_pingId"});
    CHECK(pong->at("client_timestamp") == 1737345600000);
  }

  TEST_CASE("each mode's ticks carry that mode's fields, tagged with the client's mode") {
    Feed feed;
    auto ws = feed.client();
    const std::vector<std::pair<json::value, std::vector<std::string>>> modes{
        {1, {"symbol", "exchange", "mode", "ltp", "ltt", "timestamp"}},
        {"quote", {"symbol", "exchange", "mode", "ltp", "ltt", "timestamp", "volume", "last_quantity", "average_price",
                   "total_buy_quantity", "total_sell_quantity", "open", "high", "low", "close"}},
        {"Depth", {"symbol", "exchange", "mode", "ltp", "ltt", "timestamp", "volume", "last_quantity", "average_price",
                   "total_buy_quantity", "total_sell_quantity", "open", "high", "low", "close", "oi", "upper_circuit",
                   "lower_circuit", "depth"}}};
    int expected_mode = 0;
    for (const auto& [mode, fields] : modes) {
      ++expected_mode;
      CAPTURE(expected_mode);
      auto symbol = nse_symbols(3)[static_cast<std::size_t>(expected_mode - 1)];
      ws->send_json(subscribe_message({symbol}, mode));
      auto ack = ws->receive_type("subscribe");
      REQUIRE(ack);
      CHECK(ack->at("status") == "success");
      CHECK(ack->at("subscriptions").at(0).at("mode").as_string() == std::vector<std::string>{"LTP", "Quote", "Depth"}[expected_mode - 1]);
      for (;;) {
        auto tick = ws->receive_type("market_data");
        REQUIRE(tick);
        if (tick->at("symbol").as_string() != symbol) continue;
        CHECK(keys_of(*tick) == std::vector<std::string>{"type", "symbol", "exchange", "mode", "data", "broker"});
        CHECK(tick->at("mode") == expected_mode);
        CHECK(tick->at("broker") == "simulator");
        CHECK(keys_of(tick->at("data").as_object()) == fields);
        if (expected_mode == 3) CHECK(tick->at("data").at("depth").at("buy").as_array().size() == 5);
        break;
      }
    }
  }

  TEST_CASE("a subscribe ack lists each symbol, and an unknown one fails alone and makes the ack partial") {
    Feed feed;
    auto ws = feed.client();
    auto message = subscribe_message({"INFY", "NOSUCHSYMBOL"}, 2);
    message["request_id"] = "r1";
    ws->send_json(message);
    auto ack = ws->receive_type("subscribe");
    REQUIRE(ack);
    CHECK(ack->at("status") == "partial");
    CHECK(ack->at("request_id") == "r1");
    CHECK(ack->at("subscriptions").at(0) ==
          json::parse(R"({"symbol":"INFY","exchange":"NSE","status":"success","mode":"Quote","depth":5,"broker":"simulator"})"));
    CHECK(ack->at("subscriptions").at(1) ==
          json::parse(R"({"symbol":"NOSUCHSYMBOL","exchange":"NSE","status":"error","message":"Token not found for NOSUCHSYMBOL on NSE","broker":"simulator"})"));
  }

  TEST_CASE("unsubscribe_all lists every subscription and the ticks stop") {
    Feed feed;
    auto ws = feed.client();
    ws->send_json(subscribe_message({"INFY", "ITC"}, 1));
    REQUIRE(ws->receive_type("subscribe"));
    REQUIRE(ws->receive_type("market_data"));
    ws->send(R"({"action":"unsubscribe_all","request_id":9})");
    auto ack = ws->receive_type("unsubscribe");
    REQUIRE(ack);
    CHECK(ack->at("status") == "success");
    CHECK(ack->at("successful").as_array().size() == 2);
    CHECK(ack->at("request_id") == 9);
    // Ticks already on their way may still land; after a quiet spell none come.
    while (ws->receive_type("market_data", 500ms)) {
    }
    CHECK_FALSE(ws->receive_type("market_data", 500ms));
  }

  TEST_CASE("unsubscribing one symbol keeps the others flowing") {
    Feed feed;
    auto ws = feed.client();
    ws->send_json(subscribe_message({"INFY", "ITC"}, 1));
    REQUIRE(ws->receive_type("subscribe"));
    ws->send(R"({"action":"unsubscribe","symbols":[{"symbol":"INFY","exchange":"NSE","mode":1}]})");
    auto ack = ws->receive_type("unsubscribe");
    REQUIRE(ack);
    CHECK(ack->at("successful").at(0).at("symbol") == "INFY");
    // A tick already being fanned out when the ack was sent may still land; later ones are ITC only.
    std::vector<std::string> seen;
    for (int i = 0; i < 20; ++i)
      if (auto tick = ws->receive_type("market_data")) seen.emplace_back(tick->at("symbol").as_string());
    REQUIRE(seen.size() == 20);
    CHECK(std::set<std::string>(seen.begin() + 10, seen.end()) == std::set<std::string>{"ITC"});
  }

  TEST_CASE("garbage, wrong modes and unknown actions get errors and the connection keeps working") {
    Feed feed;
    auto ws = feed.client();
    ws->send("{{{{not json");
    CHECK(ws->receive_json()->at("code") == "INVALID_JSON");
    ws->send(R"({"action":"subscribe","symbol":"INFY","exchange":"NSE","mode":"full"})");
    CHECK(ws->receive_json()->at("code") == "INVALID_MODE");
    ws->send(R"({"action":"teleport"})");
    CHECK(ws->receive_json()->at("message") == "Invalid action: teleport");
    ws->send(R"({"action":"subscribe","symbols":[]})");
    CHECK(ws->receive_json()->at("code") == "INVALID_PARAMETERS");
    ws->send(R"({"action":"get_broker_info"})");
    auto info = ws->receive_type("broker_info");
    REQUIRE(info);
    CHECK(info->at("adapter_status") == "connected");
  }

  TEST_CASE("a message larger than WS_MAX_MESSAGE_BYTES closes the connection with 1009") {
    Feed feed({"WS_MAX_MESSAGE_BYTES=1024"});
    auto ws = feed.client();
    ws->send(std::string(R"({"action":"ping","pad":")") + std::string(4000, 'x') + "\"}");
    REQUIRE(ws->wait_closed());
    CHECK(ws->close_code() == 1009);
  }

  TEST_CASE("a flood of messages is answered with RATE_LIMITED, never a crash") {
    Feed feed({"WS_MAX_MESSAGES_PER_SECOND=5"});
    auto ws = feed.client();
    for (int i = 0; i < 12; ++i) ws->send(R"({"action":"ping"})");
    bool limited = false;
    for (int i = 0; i < 12 && !limited; ++i)
      if (auto reply = ws->receive_json(2s)) limited = reply->as_object().if_contains("code") && reply->at("code") == "RATE_LIMITED";
    CHECK(limited);
  }

  TEST_CASE("the HTTP port upgrades /ws to the same feed") {
    Feed feed;
    WsTestClient ws(feed.daemon.port(), {.path = "/ws"});
    ws.send_json(json::object{{"action", "authenticate"}, {"api_key", feed.account.api_key}});
    REQUIRE(ws.receive_type("auth"));
    ws.send_json(subscribe_message({"INFY"}, 1));
    REQUIRE(ws.receive_type("subscribe"));
    CHECK(ws.receive_type("market_data"));
  }

  TEST_CASE("a stalled client is closed as too slow while a fast one keeps receiving") {
    Feed feed({"WS_MAX_LAG_SECONDS=1"});
    auto fast = feed.client();
    auto stalled = feed.client({.path = "/", .receive_buffer_bytes = 4096});
    auto symbols = nse_symbols(29);
    stalled->send_json(subscribe_message(symbols, 3));
    REQUIRE(stalled->receive_type("subscribe"));
    fast->send_json(subscribe_message({"INFY"}, 3));
    REQUIRE(fast->receive_type("subscribe"));
    // The stalled client reads nothing from here on; the fast one keeps reading.
    int received = 0;
    auto until = std::chrono::steady_clock::now() + 6s;
    while (std::chrono::steady_clock::now() < until)
      if (fast->receive_type("market_data", 1s)) ++received;
    CHECK(received > 20);
    REQUIRE(stalled->wait_closed(10s));
    CHECK(stalled->close_code() == 1008);
    CHECK(stalled->close_reason().find("too slow") != std::string::npos);
  }
}

TEST_SUITE("ws feed") {
  TEST_CASE("a client that asked for order updates receives the sandbox's order events") {
    Feed feed;
    auto ws = feed.client();
    ws->send(R"({"action":"subscribe_orders","request_id":"orders-1"})");
    auto ack = ws->receive_json();
    REQUIRE(ack);
    CHECK(*ack == json::parse(R"({"type":"subscribe_orders","status":"success","message":"Subscribed to order updates","request_id":"orders-1"})"));
    auto placed = http(feed.daemon.port(), "POST", "/api/v1/placeorder",
                       json::serialize(json::object{{"apikey", feed.account.api_key}, {"strategy", "ws"}, {"symbol", "INFY"},
                                                    {"exchange", "NSE"}, {"action", "BUY"}, {"quantity", "1"},
                                                    {"pricetype", "MARKET"}, {"product", "CNC"}}));
    // Filled or, out of hours, rejected by the sandbox's rules: either way an order row, and an event.
    auto orderid = json::parse(placed.body).at("orderid");
    auto update = ws->receive_type("order_update");
    REQUIRE(update);
    CHECK(keys_of(*update) == std::vector<std::string>{"type", "user_id", "mode", "broker", "orderid", "symbol", "exchange",
                                                       "action", "quantity", "price", "trigger_price", "pricetype", "product",
                                                       "order_status", "filled_quantity", "pending_quantity",
                                                       "average_price", "rejection_reason"});
    CHECK(update->at("user_id") == "alice");
    CHECK(update->at("mode") == "analyze");
    CHECK(update->at("symbol") == "INFY");
    CHECK(update->at("orderid") == orderid);
  }
}
