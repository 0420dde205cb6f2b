// Semi-auto order mode and the Action Center (rest_api.md A.10), against the
// orders test broker: a semi-auto user's orders wait for an administrator's
// approval, changes to live orders are refused, and an approved order is
// executed exactly once, through the same path as a direct request.
#include <doctest/doctest.h>

#include <chrono>
#include <map>
#include <thread>

#include <boost/json.hpp>

#include "support/account.hpp"
#include "support/daemon_process.hpp"
#include "support/http_client.hpp"

namespace json = boost::json;
using namespace oa::test;

namespace {

std::vector<std::string> orders_broker_flags() {
  return {"--set", std::string("PLUGIN_DIRS=") + OPENALGOD_PLUGIN_DIR + ":" + TEST_PLUGIN_DIR,
          "--set", "VALID_BROKERS=zerodha,ordersbroker", "--set", "ACTIVE_BROKER=ordersbroker"};
}

// alice (administrator, auto) and bob (semi-auto), each with a key.
struct Desk {
  Account account;  // alice
  std::string bob_key;

  Desk() {
    const auto dir = account.dir.path().string();
    auto added = run_openalgod({"user", "add", "--username", "bob", "--password-stdin", "--data-dir", dir}, "Str0ng!pass\n");
    REQUIRE_MESSAGE(added.exit_code == 0, added.err);
    auto issued = run_openalgod({"apikey", "issue", "--username", "bob", "--data-dir", dir});
    REQUIRE_MESSAGE(issued.exit_code == 0, issued.err);
    bob_key = issued.out.substr(0, issued.out.find('\n'));
    auto mode = run_openalgod({"user", "order-mode", "semi_auto", "--username", "bob", "--data-dir", dir});
    REQUIRE_MESSAGE(mode.exit_code == 0, mode.err);
  }
  const std::string& alice_key() const { return account.api_key; }
};

std::string order(const std::string& key, const std::string& extra = "") {
  return R"({"apikey":")" + key +
         R"(","strategy":"ra","exchange":"NSE","symbol":"SBIN","action":"buy","quantity":"10","product":"MIS")" + extra +
         "}";
}

json::object body_of(const HttpReply& reply) { return json::parse(reply.body).as_object(); }

std::size_t broker_orders(std::uint16_t port, const std::string& key) {
  auto book = http(port, "POST", "/api/v1/orderbook", R"({"apikey":")" + key + R"("})");
  REQUIRE(book.status == 200);
  return body_of(book).at("data").at("orders").as_array().size();
}

std::int64_t queued_id(const HttpReply& reply) {
  REQUIRE_MESSAGE(reply.status == 200, reply.body);
  auto body = body_of(reply);
  REQUIRE_MESSAGE(body.at("mode") == "semi_auto", reply.body);
  return body.at("pending_order_id").as_int64();
}

HttpReply approve(std::uint16_t port, const std::string& key, std::int64_t id) {
  return http(port, "POST", "/api/v1/admin/pendingorders/approve",
              R"({"apikey":")" + key + R"(","id":)" + std::to_string(id) + "}");
}

json::array pending_orders(std::uint16_t port, const std::string& key, const std::string& status) {
  auto reply = http(port, "POST", "/api/v1/admin/pendingorders",
                    R"({"apikey":")" + key + R"(","status":")" + status + R"("})");
  REQUIRE_MESSAGE(reply.status == 200, reply.body);
  return body_of(reply).at("data").as_array();
}

}  // namespace

TEST_SUITE("semi-auto") {
  TEST_CASE("a semi-auto user's placeorder is queued with OpenAlgo's answer and reaches no broker") {
    Desk desk;
    Daemon daemon(desk.account.dir.path(), orders_broker_flags());
    auto placed = http(daemon.port(), "POST", "/api/v1/placeorder", order(desk.bob_key));
    CHECK(placed.status == 200);
    CHECK(placed.body ==
          R"({"message":"Order queued for approval in Action Center","mode":"semi_auto","pending_order_id":1,"status":"success"})"
          "\n");
    CHECK(broker_orders(daemon.port(), desk.bob_key) == 0);
    auto queued = pending_orders(daemon.port(), desk.alice_key(), "pending");
    REQUIRE(queued.size() == 1);
    CHECK(queued[0].at("api_type") == "placeorder");
    CHECK(queued[0].at("user") == "bob");
    CHECK_FALSE(queued[0].at("order").as_object().contains("apikey"));
  }

  TEST_CASE("every endpoint that places orders queues a semi-auto user's request under its api_type") {
    Desk desk;
    Daemon daemon(desk.account.dir.path(), orders_broker_flags());
    const std::string key = R"({"apikey":")" + desk.bob_key + R"(","strategy":"ra",)";
    const std::vector<std::pair<std::string, std::string>> requests{
        {"/api/v1/placesmartorder",
         key + R"("exchange":"NSE","symbol":"SBIN","action":"BUY","quantity":"10","position_size":"10","product":"MIS"})"},
        {"/api/v1/basketorder",
         key + R"("orders":[{"exchange":"NSE","symbol":"SBIN","action":"BUY","quantity":"1","product":"MIS"}]})"},
        {"/api/v1/splitorder",
         key + R"("exchange":"NSE","symbol":"SBIN","action":"BUY","quantity":"10","splitsize":"5","product":"MIS"})"},
        {"/api/v1/optionsorder",
         key + R"("underlying":"NIFTY","exchange":"NSE_INDEX","offset":"ATM","option_type":"CE","action":"BUY","quantity":75})"},
        {"/api/v1/optionsmultiorder",
         key + R"("underlying":"NIFTY","exchange":"NSE_INDEX","legs":[{"offset":"ATM","option_type":"CE","action":"BUY","quantity":75}]})"},
        {"/api/v1/placegttorder",
         key + R"("trigger_type":"SINGLE","exchange":"NSE","symbol":"SBIN","action":"BUY","product":"CNC","quantity":1,"price":500,"triggerprice_sl":490})"},
    };
    for (const auto& [path, body] : requests) {
      CAPTURE(path);
      queued_id(http(daemon.port(), "POST", path, body));
    }
    std::vector<std::string> types;
    for (const auto& order : pending_orders(daemon.port(), desk.alice_key(), "pending"))
      types.emplace_back(order.at("api_type").as_string());
    CHECK(types == std::vector<std::string>{"placegttorder", "optionsmultiorder", "optionsorder", "splitorder",
                                            "basketorder", "smartorder"});
    CHECK(broker_orders(daemon.port(), desk.bob_key) == 0);
  }

  TEST_CASE("modify, cancel, cancel-all, close and GTT changes of a semi-auto user are refused while live") {
    Desk desk;
    Daemon daemon(desk.account.dir.path(), orders_broker_flags());
    const std::string key = R"({"apikey":")" + desk.bob_key + R"(","strategy":"ra")";
    const std::vector<std::pair<std::string, std::string>> refused{
        {"/api/v1/modifyorder",
         "Modify order operation is not allowed in Semi-Auto mode. Please switch to Auto mode to modify orders."},
        {"/api/v1/cancelorder",
         "Cancel order operation is not allowed in Semi-Auto mode. Please switch to Auto mode to cancel orders."},
        {"/api/v1/cancelallorder",
         "Cancel all orders operation is not allowed in Semi-Auto mode. Please switch to Auto mode to cancel orders."},
        {"/api/v1/closeposition",
         "Close position operation is not allowed in Semi-Auto mode. Please switch to Auto mode to close positions."},
        {"/api/v1/modifygttorder", "Modify GTT order is not allowed in Semi-Auto mode. Switch to Auto mode."},
        {"/api/v1/cancelgttorder", "Cancel GTT order is not allowed in Semi-Auto mode. Switch to Auto mode."},
    };
    const std::map<std::string, std::string> bodies{
        {"/api/v1/modifyorder",
         key + R"(,"exchange":"NSE","symbol":"SBIN","orderid":"OB1","action":"BUY","product":"MIS","pricetype":"LIMIT","price":"101","quantity":"1","disclosed_quantity":"0","trigger_price":"0"})"},
        {"/api/v1/cancelorder", key + R"(,"orderid":"OB1"})"},
        {"/api/v1/cancelallorder", key + "}"},
        {"/api/v1/closeposition", key + "}"},
        {"/api/v1/modifygttorder",
         key + R"(,"trigger_id":"T1","trigger_type":"SINGLE","exchange":"NSE","symbol":"SBIN","action":"BUY","product":"CNC","quantity":1,"price":500,"triggerprice_sl":490})"},
        {"/api/v1/cancelgttorder", key + R"(,"trigger_id":"T1"})"},
    };
    for (const auto& [path, message] : refused) {
      CAPTURE(path);
      auto reply = http(daemon.port(), "POST", path, bodies.at(path));
      CHECK(reply.status == 403);
      CHECK(body_of(reply) == json::object{{"message", message}, {"status", "error"}});
    }
  }

  TEST_CASE("schema errors come before the queue, and an unknown key is refused, not queued") {
    Desk desk;
    Daemon daemon(desk.account.dir.path(), orders_broker_flags());
    auto missing = http(daemon.port(), "POST", "/api/v1/placeorder",
                        R"({"apikey":")" + desk.bob_key + R"(","strategy":"ra","exchange":"NSE","action":"BUY","quantity":"1"})");
    CHECK(missing.status == 400);
    auto unknown = http(daemon.port(), "POST", "/api/v1/placeorder", order("not-a-key"));
    CHECK(unknown.status == 403);
    CHECK(pending_orders(daemon.port(), desk.alice_key(), "all").empty());
  }

  TEST_CASE("a repeated client_order_id is queued once and answered with the same pending order") {
    Desk desk;
    Daemon daemon(desk.account.dir.path(), orders_broker_flags());
    auto body = order(desk.bob_key, R"(,"client_order_id":"signal-9")");
    auto first = queued_id(http(daemon.port(), "POST", "/api/v1/placeorder", body));
    auto second = queued_id(http(daemon.port(), "POST", "/api/v1/placeorder", body));
    CHECK(first == second);
    CHECK(pending_orders(daemon.port(), desk.alice_key(), "all").size() == 1);
  }

  TEST_CASE("an approved order is executed once and its answer is kept, even when approved twice at once") {
    Desk desk;
    Daemon daemon(desk.account.dir.path(), orders_broker_flags());
    auto id = queued_id(http(daemon.port(), "POST", "/api/v1/placeorder", order(desk.bob_key)));
    HttpReply first, second;
    std::thread racer([&] { first = approve(daemon.port(), desk.alice_key(), id); });
    second = approve(daemon.port(), desk.alice_key(), id);
    racer.join();
    const bool first_won = first.status == 200;
    const auto& won = first_won ? first : second;
    const auto& lost = first_won ? second : first;
    REQUIRE_MESSAGE(won.status == 200, won.body);
    CHECK(lost.status == 409);
    CHECK(body_of(lost).at("message").as_string() == "Pending order " + std::to_string(id) + " is already approved");
    auto result = body_of(won).at("data").as_object();
    CHECK(result.at("result_status") == 200);
    CHECK(result.at("result") == json::parse(R"({"orderid":"OB1","status":"success"})"));
    CHECK(broker_orders(daemon.port(), desk.bob_key) == 1);
    auto approved = pending_orders(daemon.port(), desk.alice_key(), "approved");
    REQUIRE(approved.size() == 1);
    CHECK(approved[0].at("decided_by") == "alice");
    CHECK(approved[0].at("result").at("orderid") == "OB1");
  }

  TEST_CASE("a rejected order keeps its reason and can no longer be approved") {
    Desk desk;
    Daemon daemon(desk.account.dir.path(), orders_broker_flags());
    auto id = queued_id(http(daemon.port(), "POST", "/api/v1/placeorder", order(desk.bob_key)));
    auto rejected = http(daemon.port(), "POST", "/api/v1/admin/pendingorders/reject",
                         R"({"apikey":")" + desk.alice_key() + R"(","id":)" + std::to_string(id) +
                             R"(,"reason":"not in the plan"})");
    REQUIRE_MESSAGE(rejected.status == 200, rejected.body);
    CHECK(approve(daemon.port(), desk.alice_key(), id).status == 409);
    auto listed = pending_orders(daemon.port(), desk.alice_key(), "rejected");
    REQUIRE(listed.size() == 1);
    CHECK(listed[0].at("rejected_reason") == "not in the plan");
    CHECK(broker_orders(daemon.port(), desk.bob_key) == 0);
    CHECK(approve(daemon.port(), desk.alice_key(), 99).status == 404);
  }

  TEST_CASE("only an administrator in auto mode decides: not the semi-auto user, not another user") {
    Desk desk;
    Daemon daemon(desk.account.dir.path(), orders_broker_flags());
    auto id = queued_id(http(daemon.port(), "POST", "/api/v1/placeorder", order(desk.bob_key)));
    CHECK(approve(daemon.port(), desk.bob_key, id).status == 403);
    auto mode = run_openalgod(
        {"user", "order-mode", "semi_auto", "--username", "alice", "--data-dir", desk.account.dir.path().string()});
    REQUIRE_MESSAGE(mode.exit_code == 0, mode.err);
    // The daemon notices another process's change at its next credentials poll.
    const std::string list = R"({"apikey":")" + desk.alice_key() + R"("})";
    int status = 200;
    for (int attempt = 0; attempt < 200 && status == 200; ++attempt) {
      status = http(daemon.port(), "POST", "/api/v1/admin/pendingorders", list).status;
      if (status == 200) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    CHECK(status == 403);
    CHECK(approve(daemon.port(), desk.alice_key(), id).status == 403);
    CHECK(broker_orders(daemon.port(), desk.bob_key) == 0);
  }

  TEST_CASE("pending orders survive a restart and are approved after it") {
    Desk desk;
    std::int64_t id = 0;
    {
      Daemon daemon(desk.account.dir.path(), orders_broker_flags());
      id = queued_id(http(daemon.port(), "POST", "/api/v1/placeorder", order(desk.bob_key)));
      CHECK(daemon.stop() == 0);
    }
    Daemon daemon(desk.account.dir.path(), orders_broker_flags());
    auto approved = approve(daemon.port(), desk.alice_key(), id);
    REQUIRE_MESSAGE(approved.status == 200, approved.body);
    CHECK(body_of(approved).at("data").at("result_status") == 200);
    CHECK(broker_orders(daemon.port(), desk.bob_key) == 1);
  }

  TEST_CASE("in analyzer mode a semi-auto user's orders are still queued and changes are allowed") {
    Desk desk;
    Daemon daemon(desk.account.dir.path(), orders_broker_flags());
    auto toggled = http(daemon.port(), "POST", "/api/v1/analyzer/toggle",
                        R"({"apikey":")" + desk.alice_key() + R"(","mode":true})");
    REQUIRE_MESSAGE(toggled.status == 200, toggled.body);
    queued_id(http(daemon.port(), "POST", "/api/v1/placeorder", order(desk.bob_key)));
    auto cancel = http(daemon.port(), "POST", "/api/v1/cancelorder",
                       R"({"apikey":")" + desk.bob_key + R"(","strategy":"ra","orderid":"X1"})");
    CHECK(cancel.status == 404);
    auto close = http(daemon.port(), "POST", "/api/v1/closeposition",
                      R"({"apikey":")" + desk.bob_key + R"(","strategy":"ra"})");
    CHECK(close.status == 200);
  }

  TEST_CASE("a semi-auto user cannot switch analyzer mode") {
    Desk desk;
    Daemon daemon(desk.account.dir.path(), orders_broker_flags());
    auto toggled = http(daemon.port(), "POST", "/api/v1/analyzer/toggle",
                        R"({"apikey":")" + desk.bob_key + R"(","mode":true})");
    CHECK(toggled.status == 403);
    CHECK(std::string(body_of(toggled).at("message").as_string()).starts_with("Operation analyzer/toggle is not allowed"));
  }

  TEST_CASE("the CLI lists, approves and rejects the running daemon's pending orders") {
    Desk desk;
    Daemon daemon(desk.account.dir.path(), orders_broker_flags());
    auto first = queued_id(http(daemon.port(), "POST", "/api/v1/placeorder", order(desk.bob_key)));
    auto second = queued_id(http(daemon.port(), "POST", "/api/v1/placeorder", order(desk.bob_key)));
    const std::vector<std::string> common{"--data-dir", desk.account.dir.path().string(), "--set",
                                          "HTTP_PORT=" + std::to_string(daemon.port())};
    auto cli = [&common](std::vector<std::string> args) {
      args.insert(args.end(), common.begin(), common.end());
      return run_openalgod(args);
    };
    auto listed = cli({"orders", "pending"});
    REQUIRE_MESSAGE(listed.exit_code == 0, listed.err);
    CHECK(listed.out.find("#" + std::to_string(first) + "  pending  placeorder  user bob") != std::string::npos);
    auto approved = cli({"orders", "approve", std::to_string(first)});
    CHECK_MESSAGE(approved.exit_code == 0, approved.err);
    CHECK(approved.out.find("approved; the order was answered HTTP 200") != std::string::npos);
    auto again = cli({"orders", "approve", std::to_string(first)});
    CHECK(again.exit_code == 1);
    CHECK(again.err.find("is already approved") != std::string::npos);
    auto rejected = cli({"orders", "reject", std::to_string(second), "--reason", "too late"});
    CHECK_MESSAGE(rejected.exit_code == 0, rejected.err);
    CHECK(cli({"orders", "approve", "abc"}).exit_code == 2);
    CHECK(broker_orders(daemon.port(), desk.bob_key) == 1);
  }
}
