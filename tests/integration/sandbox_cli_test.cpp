// `openalgod sandbox reset`: the CLI asks the running daemon to reset the
// administrator's sandbox, and says plainly when there is no daemon to ask.
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include "support/account.hpp"
#include "support/daemon_process.hpp"
#include "support/http_client.hpp"

namespace json = boost::json;
using namespace oa::test;

namespace {

std::string key_body(const std::string& key) { return R"({"apikey":")" + key + R"("})"; }

std::string order_body(const std::string& key, const std::string& pricetype, const std::string& price) {
  return R"({"apikey":")" + key +
         R"(","strategy":"cli","exchange":"NSE","symbol":"SBIN","action":"BUY","quantity":"1","pricetype":")" +
         pricetype + R"(","price":")" + price + R"(","product":"CNC"})";
}

json::object ask(std::uint16_t port, const std::string& path, const std::string& key) {
  auto reply = http(port, "POST", path, key_body(key));
  REQUIRE_MESSAGE(reply.status == 200, path << ": " << reply.body);
  return json::parse(reply.body).as_object();
}

CommandResult sandbox_reset(const Account& account, std::uint16_t port) {
  return run_openalgod({"sandbox", "reset", "--data-dir", account.dir.path().string(), "--set",
                        "HTTP_PORT=" + std::to_string(port)});
}

}  // namespace

TEST_SUITE("cli") {
  TEST_CASE("sandbox reset empties the running daemon's books and restores the starting capital") {
    Account account;
    Daemon daemon(account.dir.path());
    auto port = daemon.port();
    auto resting = http(port, "POST", "/api/v1/placeorder", order_body(account.api_key, "LIMIT", "1"));
    REQUIRE_MESSAGE(resting.status == 200, resting.body);
    auto filled = http(port, "POST", "/api/v1/placeorder", order_body(account.api_key, "MARKET", "0"));
    REQUIRE_MESSAGE(filled.status == 200, filled.body);
    REQUIRE_FALSE(ask(port, "/api/v1/orderbook", account.api_key).at("data").at("orders").as_array().empty());
    REQUIRE_FALSE(ask(port, "/api/v1/positionbook", account.api_key).at("data").as_array().empty());

    auto reset = sandbox_reset(account, port);

    CHECK_MESSAGE(reset.exit_code == 0, reset.err);
    CHECK(reset.out.find("sandbox reset") != std::string::npos);
    CHECK(ask(port, "/api/v1/orderbook", account.api_key).at("data").at("orders").as_array().empty());
    CHECK(ask(port, "/api/v1/tradebook", account.api_key).at("data").as_array().empty());
    CHECK(ask(port, "/api/v1/positionbook", account.api_key).at("data").as_array().empty());
    auto funds = ask(port, "/api/v1/funds", account.api_key).at("data");
    CHECK(funds.at("availablecash").to_number<double>() == 10000000.0);
    CHECK(funds.at("utiliseddebits").to_number<double>() == 0);
  }

  TEST_CASE("sandbox reset without a running daemon fails with exit code 1 and says so") {
    Account account;
    auto reset = sandbox_reset(account, 1);
    CHECK(reset.exit_code == 1);
    CHECK(reset.err.find("the daemon is not running") != std::string::npos);
  }
}
