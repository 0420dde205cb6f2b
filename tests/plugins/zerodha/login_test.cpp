// Kite's login: request_token -> checksum -> access token (brokers.md §3.1).
#include "zerodha_fixture.hpp"

using namespace oa::test;

TEST_SUITE("zerodha login") {
  TEST_CASE("the request token is exchanged with a checksum Kite accepts - the session is api_key:access_token") {
    ZerodhaPlugin zerodha;
    CHECK(zerodha.session.auth_token == "kite-key-1:access-1");
    CHECK(zerodha.session.broker_user_id == "ZR1234");
    auto exchanges = zerodha.fake.requests_to("POST", "/session/token");
    REQUIRE(exchanges.size() == 1);
    CHECK(exchanges[0].headers.at("x-kite-version") == "3");
    CHECK(exchanges[0].headers.at("content-type") == "application/x-www-form-urlencoded");
    CHECK(field(exchanges[0], "api_key") == "kite-key-1");
    CHECK(field(exchanges[0], "request_token") == "req-token-1");
  }

  TEST_CASE("a stale request token is refused with Kite's own message") {
    ZerodhaPlugin zerodha(false);
    auto outcome = zerodha.host.call_and_wait("zerodha", Operation::Authenticate, R"({"request_token":"old"})");
    CHECK(outcome.status == OA_ERR_AUTH);
    CHECK(outcome.message == "Token is invalid or has expired.");
  }

  TEST_CASE("without a request token the error says where to log in") {
    ZerodhaPlugin zerodha(false);
    auto outcome = zerodha.host.call_and_wait("zerodha", Operation::Authenticate, "{}");
    CHECK(outcome.status == OA_ERR_INVALID_ARGUMENT);
    CHECK(outcome.message == "request_token is required: log in at " + zerodha.fake.api_url() +
                                 "/connect/login?v=3&api_key=kite-key-1 and Kite redirects to /zerodha/callback with it");
  }

  TEST_CASE("the login URL asks Kite to send the host's state back in redirect_params") {
    ZerodhaPlugin zerodha(false);
    auto outcome = zerodha.host.call_and_wait("zerodha", Operation::Authenticate,
                                              R"({"action":"login_url","state":"0a1b2c"})");
    REQUIRE(outcome.ok());
    CHECK(json::parse(outcome.json).at("login_url").as_string() ==
          zerodha.fake.api_url() + "/connect/login?v=3&api_key=kite-key-1&redirect_params=state%3D0a1b2c");
    CHECK(zerodha.fake.requests().empty());
  }

  TEST_CASE("a call without a session is refused before anything is sent") {
    ZerodhaPlugin zerodha(false);
    auto outcome = zerodha.host.call_and_wait("zerodha", Operation::Funds, "{}");
    CHECK(outcome.status == OA_ERR_AUTH);
    CHECK(zerodha.fake.requests().empty());
  }
}
