// Kite failing: a 5xx page, a slow answer, a malformed body, an expired token.
#include "zerodha_fixture.hpp"

using namespace oa::test;

namespace {
const json::object kQuote{{"symbol", "SBIN"}, {"exchange", "NSE"}};
}

TEST_SUITE("zerodha faults") {
  TEST_CASE("a 503 page from in front of Kite is an upstream error naming the status") {
    ZerodhaPlugin zerodha;
    zerodha.fake.set_fault(KiteFault::ServerError);
    auto outcome = zerodha.call(Operation::Quotes, kQuote);
    CHECK(outcome.status == OA_ERR_UPSTREAM);
    CHECK(outcome.message == "Kite answered HTTP 503");
  }

  TEST_CASE("a body that is not JSON is an upstream error, not a crash or an empty answer") {
    ZerodhaPlugin zerodha;
    zerodha.fake.set_fault(KiteFault::Malformed);
    auto outcome = zerodha.call(Operation::OrderBook, {});
    CHECK(outcome.status == OA_ERR_UPSTREAM);
    CHECK(outcome.message == "Kite answered HTTP 200 with a body that is not JSON");
  }

  TEST_CASE("an expired token is an auth error with Kite's message") {
    ZerodhaPlugin zerodha;
    zerodha.fake.set_fault(KiteFault::TokenExpired);
    auto outcome = zerodha.call(Operation::Positions, {});
    CHECK(outcome.status == OA_ERR_AUTH);
    CHECK(outcome.message == "Token is invalid or has expired.");
  }

  TEST_CASE("an answer slower than the call's deadline is a timeout") {
    ZerodhaPlugin zerodha;
    zerodha.fake.set_fault(KiteFault::Slow, 1500);
    auto outcome = zerodha.call(Operation::Funds, {}, std::chrono::milliseconds(300));
    CHECK(outcome.status == OA_ERR_UPSTREAM);
  }

  TEST_CASE("Kite's quote limit of one request a second is kept without waiting") {
    ZerodhaPlugin zerodha;
    REQUIRE(zerodha.call(Operation::Quotes, kQuote).ok());
    auto second = zerodha.call(Operation::Quotes, kQuote);
    CHECK(second.status == OA_ERR_RATE_LIMITED);
    CHECK(second.message.starts_with("the broker allows 1 request(s) per second for quotes; retry in "));
    CHECK(zerodha.fake.requests_to("GET", "/quote").size() == 1);
  }
}
