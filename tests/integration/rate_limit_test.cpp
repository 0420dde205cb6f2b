// OpenAlgo's rate limits on the real daemon: refusals are immediate 429s in
// the error envelope, each route counts on its own, /health is never limited.
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include "support/account.hpp"
#include "support/daemon_process.hpp"
#include "support/http_client.hpp"

namespace json = boost::json;
using namespace oa::test;

namespace {

std::string ping_body(const std::string& key) { return json::serialize(json::object{{"apikey", key}}); }

}  // namespace

TEST_SUITE("rate limits") {
  TEST_CASE("past API_RATE_LIMIT a request is refused at once with the limit and Retry-After") {
    Account account;
    Daemon daemon(account.dir.path(), {"--set", "API_RATE_LIMIT=3 per minute"});
    for (int i = 0; i < 3; ++i) CHECK(http(daemon.port(), "POST", "/api/v1/ping", ping_body(account.api_key)).status == 200);
    auto refused = http(daemon.port(), "POST", "/api/v1/ping", ping_body(account.api_key));
    CHECK(refused.status == 429);
    CHECK(json::parse(refused.body) ==
          json::parse(R"({"status":"error","message":"Rate limit exceeded: 3 per 1 minute"})"));
    REQUIRE(refused.headers.count("retry-after") == 1);
    auto retry_after = std::stoi(refused.headers.at("retry-after"));
    CHECK(retry_after >= 1);
    CHECK(retry_after <= 20);
  }

  TEST_CASE("requests that fail validation still use up the limit") {
    Account account;
    Daemon daemon(account.dir.path(), {"--set", "API_RATE_LIMIT=2 per minute"});
    CHECK(http(daemon.port(), "POST", "/api/v1/ping", "not json").status == 400);
    CHECK(http(daemon.port(), "POST", "/api/v1/ping", ping_body("wrong-key")).status == 403);
    CHECK(http(daemon.port(), "POST", "/api/v1/ping", ping_body(account.api_key)).status == 429);
  }

  TEST_CASE("each route has its own count, and /health is never limited") {
    Account account;
    Daemon daemon(account.dir.path(), {"--set", "API_RATE_LIMIT=1 per minute"});
    CHECK(http(daemon.port(), "POST", "/api/v1/ping", ping_body(account.api_key)).status == 200);
    CHECK(http(daemon.port(), "POST", "/api/v1/ping", ping_body(account.api_key)).status == 429);
    CHECK(http(daemon.port(), "POST", "/api/v1/market/timings",
               json::serialize(json::object{{"apikey", account.api_key}, {"date", "2026-01-27"}}))
              .status != 429);
    for (int i = 0; i < 10; ++i) CHECK(http(daemon.port(), "GET", "/health").status == 200);
  }
}
