// The server's replies (websocket.md §2.3, §2.4): keys, order and statuses.
#include <doctest/doctest.h>

#include "ws/server_message.hpp"

using namespace oa::ws;
using oa::feed::SymbolResult;

TEST_SUITE("ws") {
  TEST_CASE("an error carries status, code and message and no type") {
    CHECK(error_text("NOT_AUTHENTICATED", "You must authenticate first") ==
          R"({"status": "error", "code": "NOT_AUTHENTICATED", "message": "You must authenticate first"})");
  }

  TEST_CASE("auth success names the broker, the user and the supported features") {
    CHECK(auth_success_text("zerodha", "admin") ==
          R"({"type": "auth", "status": "success", "message": "Authentication successful", "broker": "zerodha", "user_id": "admin", "supported_features": {"ltp": true, "quote": true, "depth": true}})");
  }

  TEST_CASE("a subscribe ack is partial when any symbol failed, with the mode label on successes") {
    std::vector<SymbolResult> results{{{"NSE", "RELIANCE", 2}, true, {}}, {{"NSE", "FOO", 2}, false, "Token not found for FOO on NSE"}};
    CHECK(subscribe_ack_text(results, 5, "zerodha", boost::json::value("r1")) ==
          R"({"type": "subscribe", "status": "partial", "subscriptions": [{"symbol": "RELIANCE", "exchange": "NSE", "status": "success", "mode": "Quote", "depth": 5, "broker": "zerodha"}, {"symbol": "FOO", "exchange": "NSE", "status": "error", "message": "Token not found for FOO on NSE", "broker": "zerodha"}], "message": "Subscription processing complete", "broker": "zerodha", "request_id": "r1"})");
    CHECK(subscribe_ack_text({results[0]}, 5, "zerodha", std::nullopt).find(R"("status": "success", "subscriptions")") !=
          std::string::npos);
  }

  TEST_CASE("an unsubscribe ack lists successes and failures, request_id only when sent") {
    std::vector<SymbolResult> results{{{"NSE", "RELIANCE", 2}, true, {}}};
    CHECK(unsubscribe_ack_text(results, "zerodha", std::nullopt) ==
          R"({"type": "unsubscribe", "status": "success", "message": "Unsubscription processing complete", "successful": [{"symbol": "RELIANCE", "exchange": "NSE", "status": "success", "broker": "zerodha"}], "failed": [], "broker": "zerodha"})");
  }

  TEST_CASE("a pong echoes the client's timestamp and ping id only when sent") {
    CHECK(pong_text(15, boost::json::value(10), boost::json::value(7)) ==
          R"({"type": "pong", "status": "success", "server_timestamp": 15, "client_timestamp": 10, "_pingId": 7})");
    CHECK(pong_text(15, std::nullopt, std::nullopt) == R"({"type": "pong", "status": "success", "server_timestamp": 15})");
  }

  TEST_CASE("an order update starts with type and user_id, then the update's own keys") {
    boost::json::object update{{"mode", "analyze"}, {"broker", "simulator"}, {"orderid", "1"}, {"order_status", "complete"}};
    CHECK(order_update_text(update, "admin") ==
          R"({"type": "order_update", "user_id": "admin", "mode": "analyze", "broker": "simulator", "orderid": "1", "order_status": "complete"})");
  }
}
