// Order endpoints in live mode, through the order journal, against a test
// broker plugin that keeps an order book and can lose its answers.
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include "support/account.hpp"
#include "support/daemon_process.hpp"
#include "support/http_client.hpp"

namespace json = boost::json;
using namespace oa::test;

namespace {

std::vector<std::string> orders_broker_flags() {
  return {"--set", std::string("PLUGIN_DIRS=") + OPENALGOD_PLUGIN_DIR + ":" + TEST_PLUGIN_DIR,
          "--set", "VALID_BROKERS=zerodha,ordersbroker", "--set", "ACTIVE_BROKER=ordersbroker",
          "--set", "PLUGIN_CALL_TIMEOUT_MS=400"};
}

std::string order(const std::string& key, const std::string& strategy, const std::string& extra = "") {
  return R"({"apikey":")" + key + R"(","strategy":")" + strategy +
         R"(","exchange":"NSE","symbol":"SBIN","action":"buy","quantity":"10","product":"MIS")" + extra + "}";
}

json::object body_of(const HttpReply& reply) { return json::parse(reply.body).as_object(); }

std::size_t broker_orders(std::uint16_t port, const std::string& key) {
  auto book = http(port, "POST", "/api/v1/orderbook", R"({"apikey":")" + key + R"("})");
  REQUIRE(book.status == 200);
  return body_of(book).at("data").at("orders").as_array().size();
}

}  // namespace

TEST_SUITE("orders") {
  TEST_CASE("placeorder goes to the broker and the order book shows it with statistics") {
    Account account;
    Daemon daemon(account.dir.path(), orders_broker_flags());
    auto placed = http(daemon.port(), "POST", "/api/v1/placeorder", order(account.api_key, "s1"));
    REQUIRE(placed.status == 200);
    CHECK(body_of(placed) == json::parse(R"({"orderid":"OB1","status":"success"})"));
    auto book = body_of(http(daemon.port(), "POST", "/api/v1/orderbook", R"({"apikey":")" + account.api_key + R"("})"));
    CHECK(book.at("data").at("orders").at(0).at("action") == "BUY");
    CHECK(book.at("data").at("statistics").at("total_buy_orders") == 1);
    CHECK(book.at("data").at("statistics").at("total_open_orders") == 1);
  }

  TEST_CASE("modifyorder and cancelorder reach the broker, and an unknown order id is its 404") {
    Account account;
    Daemon daemon(account.dir.path(), orders_broker_flags());
    REQUIRE(http(daemon.port(), "POST", "/api/v1/placeorder", order(account.api_key, "s1")).status == 200);
    auto modified = http(daemon.port(), "POST", "/api/v1/modifyorder",
                         R"({"apikey":")" + account.api_key +
                             R"(","strategy":"s","exchange":"NSE","symbol":"SBIN","orderid":"OB1","action":"BUY","product":"MIS","pricetype":"LIMIT","price":"101.5","quantity":"20","disclosed_quantity":"0","trigger_price":"0"})");
    CHECK(modified.status == 200);
    auto cancelled = http(daemon.port(), "POST", "/api/v1/cancelorder",
                          R"({"apikey":")" + account.api_key + R"(","strategy":"s","orderid":"OB1"})");
    CHECK(body_of(cancelled) == json::parse(R"({"orderid":"OB1","status":"success"})"));
    auto unknown = http(daemon.port(), "POST", "/api/v1/cancelorder",
                        R"({"apikey":")" + account.api_key + R"(","strategy":"s","orderid":"OB9"})");
    CHECK(unknown.status == 404);
    CHECK(body_of(unknown).at("message") == "Order OB9 not found");
  }

  TEST_CASE("a repeated client_order_id or Idempotency-Key returns the first answer and places one order") {
    Account account;
    Daemon daemon(account.dir.path(), orders_broker_flags());
    auto body = order(account.api_key, "s1", R"(,"client_order_id":"strategy-42")");
    auto first = http(daemon.port(), "POST", "/api/v1/placeorder", body);
    auto second = http(daemon.port(), "POST", "/api/v1/placeorder", body);
    CHECK(first.status == 200);
    CHECK(first.body == second.body);
    HttpConnection connection(daemon.port());
    std::string plain = order(account.api_key, "s1");
    std::string request = "POST /api/v1/placeorder HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                          "Idempotency-Key: key-1\r\nContent-Length: " + std::to_string(plain.size()) + "\r\n\r\n" + plain;
    connection.send_raw(request);
    auto third = connection.read_reply();
    connection.send_raw(request);
    auto fourth = connection.read_reply();
    CHECK(third.body == fourth.body);
    CHECK(broker_orders(daemon.port(), account.api_key) == 2);
  }

  TEST_CASE("a broker timeout is settled from its order book and never sends a second order") {
    Account account;
    Daemon daemon(account.dir.path(), orders_broker_flags());
    auto lost = http(daemon.port(), "POST", "/api/v1/placeorder", order(account.api_key, "lose-answer"));
    CHECK(lost.status == 200);
    CHECK(body_of(lost).at("orderid") == "OB1");
    auto dropped = http(daemon.port(), "POST", "/api/v1/placeorder", order(account.api_key, "drop"));
    CHECK(dropped.status == 504);
    CHECK(std::string(body_of(dropped).at("message").as_string()).find("safe to send the order again") != std::string::npos);
    CHECK(broker_orders(daemon.port(), account.api_key) == 1);
  }

  TEST_CASE("order validation errors come back as OpenAlgo's Python-repr string") {
    Account account;
    Daemon daemon(account.dir.path(), orders_broker_flags());
    auto missing = http(daemon.port(), "POST", "/api/v1/placeorder", R"({"apikey":")" + account.api_key + R"("})");
    CHECK(missing.status == 400);
    CHECK(body_of(missing).at("message") ==
          "{'strategy': ['Missing data for required field.'], 'exchange': ['Missing data for required field.'], "
          "'symbol': ['Missing data for required field.'], 'action': ['Missing data for required field.'], "
          "'quantity': ['Missing data for required field.']}");
    auto fractional = http(daemon.port(), "POST", "/api/v1/placeorder",
                           order(account.api_key, "s").replace(order(account.api_key, "s").find("\"10\""), 4, "1.5"));
    CHECK(body_of(fractional).at("message") ==
          "{'quantity': ['Fractional quantity (1.5) is not allowed for non-crypto exchanges.']}");
    auto negative = http(daemon.port(), "POST", "/api/v1/placeorder", order(account.api_key, "s", R"(,"price":-1)"));
    CHECK(body_of(negative).at("message") == "{'price': ['Price must be a non-negative number.']}");
    auto unknown = http(daemon.port(), "POST", "/api/v1/placeorder", order(account.api_key, "s", R"(,"target":"10")"));
    CHECK(body_of(unknown).at("message") == "{'target': ['Unknown field.']}");
    auto bad_key = http(daemon.port(), "POST", "/api/v1/placeorder", order(std::string(64, 'a'), "s"));
    CHECK(bad_key.status == 403);
    CHECK(broker_orders(daemon.port(), account.api_key) == 0);
  }

  TEST_CASE("with the simulator, which takes no orders, the daemon stays in analyzer mode and orders go to the sandbox") {
    Account account;
    Daemon daemon(account.dir.path());
    auto key_body = R"({"apikey":")" + account.api_key + R"("})";
    auto status = body_of(http(daemon.port(), "POST", "/api/v1/analyzer", key_body));
    CHECK(status.at("data").at("analyze_mode") == true);
    CHECK(status.at("data").at("mode") == "analyze");
    auto toggled = body_of(http(daemon.port(), "POST", "/api/v1/analyzer/toggle",
                                R"({"apikey":")" + account.api_key + R"(","mode":false})"));
    CHECK(toggled.at("data").at("analyze_mode") == true);  // forced: the simulator takes no real orders
    // A resting CNC limit order (no intraday cut-off applies to it).
    auto cnc_limit = order(account.api_key, "s", R"(,"pricetype":"LIMIT","price":"1")");
    cnc_limit.replace(cnc_limit.find("\"MIS\""), 5, "\"CNC\"");
    auto placed = http(daemon.port(), "POST", "/api/v1/placeorder", cnc_limit);
    CHECK_MESSAGE(placed.status == 200, placed.body);
    auto body = body_of(placed);
    CHECK(body.at("mode") == "analyze");
    CHECK(body.at("status") == "success");
    auto book = body_of(http(daemon.port(), "POST", "/api/v1/orderbook", key_body));
    CHECK(book.at("mode") == "analyze");
    CHECK(book.at("data").at("orders").as_array().size() == 1);
    auto funds = body_of(http(daemon.port(), "POST", "/api/v1/funds", key_body));
    CHECK(funds.at("mode") == "analyze");
    CHECK(funds.at("data").at("utiliseddebits").to_number<double>() > 0);
  }

  TEST_CASE("in analyzer mode no order reaches the broker plugin, whatever the endpoint") {
    Account account;
    Daemon daemon(account.dir.path(), orders_broker_flags());
    auto toggled = body_of(http(daemon.port(), "POST", "/api/v1/analyzer/toggle",
                                R"({"apikey":")" + account.api_key + R"(","mode":true})"));
    REQUIRE(toggled.at("data").at("analyze_mode") == true);
    http(daemon.port(), "POST", "/api/v1/placeorder", order(account.api_key, "s1"));
    http(daemon.port(), "POST", "/api/v1/cancelallorder", R"({"apikey":")" + account.api_key + R"(","strategy":"s"})");
    REQUIRE(body_of(http(daemon.port(), "POST", "/api/v1/analyzer/toggle",
                         R"({"apikey":")" + account.api_key + R"(","mode":false})")).at("data").at("analyze_mode") == false);
    CHECK(broker_orders(daemon.port(), account.api_key) == 0);
  }

  TEST_CASE("analyzer mode set by analyzer/toggle survives a restart and keeps orders in the sandbox") {
    Account account;
    const auto toggle_body = R"({"apikey":")" + account.api_key + R"(","mode":true})";
    {
      Daemon daemon(account.dir.path(), orders_broker_flags());
      auto toggled = body_of(http(daemon.port(), "POST", "/api/v1/analyzer/toggle", toggle_body));
      REQUIRE(toggled.at("data").at("analyze_mode") == true);
      CHECK(daemon.stop() == 0);
    }
    Daemon daemon(account.dir.path(), orders_broker_flags());
    auto status = body_of(http(daemon.port(), "POST", "/api/v1/analyzer", R"({"apikey":")" + account.api_key + R"("})"));
    CHECK(status.at("data").at("analyze_mode") == true);
    auto placed = body_of(http(daemon.port(), "POST", "/api/v1/placeorder", order(account.api_key, "s")));
    CHECK(placed.at("mode") == "analyze");
    REQUIRE(body_of(http(daemon.port(), "POST", "/api/v1/analyzer/toggle",
                         R"({"apikey":")" + account.api_key + R"(","mode":false})")).at("data").at("analyze_mode") == false);
    CHECK(broker_orders(daemon.port(), account.api_key) == 0);
  }
}
