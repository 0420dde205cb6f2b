#include <doctest/doctest.h>

#include <boost/json.hpp>

#include "api/rate_limit.hpp"
#include "api/request_api_key.hpp"
#include "api/router.hpp"

using namespace oa;
using namespace std::chrono_literals;
using api::RateClass;
using api::RateLimiter;

namespace {

struct FakeClock {
  std::chrono::steady_clock::time_point now{};
  RateLimiter::Clock clock() {
    return [this] { return now; };
  }
};

RateLimiter::Limits api_limit(const std::string& text) { return {{RateClass::Api, *config::parse_rate_limits(text)}}; }

// Requests admitted in a row before the first refusal (at most `cap` tried).
int admitted_in_a_row(RateLimiter& limiter, std::string_view key, std::string_view ip, int cap = 1000) {
  for (int i = 0; i < cap; ++i)
    if (limiter.over_limit(RateClass::Api, 0, key, ip)) return i;
  return cap;
}

net::HttpRequest post(std::string body) {
  net::HttpRequest request;
  request.method = "POST";
  request.path = "/api/v1/thing";
  request.body = std::move(body);
  request.peer_ip = "10.0.0.1";
  request.headers.emplace_back("content-type", "application/json");
  return request;
}

net::HttpResponse call(const api::Router& router, net::HttpRequest request) {
  net::HttpResponse out;
  router.handle(std::move(request), [&](net::HttpResponse reply) { out = std::move(reply); });
  return out;
}

std::string header(const net::HttpResponse& response, const std::string& name) {
  for (const auto& [key, value] : response.headers)
    if (key == name) return value;
  return {};
}

}  // namespace

TEST_SUITE("api") {
  TEST_CASE("a burst of exactly the limit passes and the next request is refused") {
    FakeClock time;
    RateLimiter limiter(api_limit("5 per minute"), 1024, time.clock());
    CHECK(admitted_in_a_row(limiter, "key", "10.0.0.1") == 5);
    auto refusal = limiter.over_limit(RateClass::Api, 0, "key", "10.0.0.1");
    REQUIRE(refusal);
    CHECK(refusal->limit == "5 per 1 minute");
  }

  TEST_CASE("tokens come back continuously: one per window divided by the limit") {
    FakeClock time;
    RateLimiter limiter(api_limit("5 per minute"), 1024, time.clock());
    admitted_in_a_row(limiter, "key", "10.0.0.1");
    time.now += 11s;
    CHECK(limiter.over_limit(RateClass::Api, 0, "key", "10.0.0.1"));
    time.now += 1s;
    CHECK_FALSE(limiter.over_limit(RateClass::Api, 0, "key", "10.0.0.1"));
    CHECK(limiter.over_limit(RateClass::Api, 0, "key", "10.0.0.1"));
  }

  TEST_CASE("after a long pause the burst is the limit again, never more") {
    FakeClock time;
    RateLimiter limiter(api_limit("5 per minute"), 1024, time.clock());
    admitted_in_a_row(limiter, "key", "10.0.0.1");
    time.now += 1h;
    CHECK(admitted_in_a_row(limiter, "key", "10.0.0.1") == 5);
  }

  TEST_CASE("every part of a compound limit is enforced and the refusal names the part that ran out") {
    FakeClock time;
    RateLimiter limiter(api_limit("2 per second;3 per minute"), 1024, time.clock());
    CHECK(admitted_in_a_row(limiter, "key", "10.0.0.1") == 2);
    CHECK(limiter.over_limit(RateClass::Api, 0, "key", "10.0.0.1")->limit == "2 per 1 second");
    time.now += 1s;
    CHECK_FALSE(limiter.over_limit(RateClass::Api, 0, "key", "10.0.0.1"));
    auto refusal = limiter.over_limit(RateClass::Api, 0, "key", "10.0.0.1");
    REQUIRE(refusal);
    CHECK(refusal->limit == "3 per 1 minute");
    CHECK(refusal->retry_after == 19s);  // 0.05 of a token left; 0.95 more at 3 a minute
  }

  TEST_CASE("Retry-After is the wait for a token, rounded up to whole seconds, at least one") {
    FakeClock time;
    RateLimiter per_second(api_limit("10 per second"), 1024, time.clock());
    admitted_in_a_row(per_second, "key", "10.0.0.1");
    CHECK(per_second.over_limit(RateClass::Api, 0, "key", "10.0.0.1")->retry_after == 1s);

    RateLimiter per_minute(api_limit("5 per minute"), 1024, time.clock());
    admitted_in_a_row(per_minute, "key", "10.0.0.1");
    CHECK(per_minute.over_limit(RateClass::Api, 0, "key", "10.0.0.1")->retry_after == 12s);
    time.now += 4500ms;
    CHECK(per_minute.over_limit(RateClass::Api, 0, "key", "10.0.0.1")->retry_after == 8s);
  }

  TEST_CASE("a request counts against its key's bucket and its address's bucket independently") {
    FakeClock time;
    RateLimiter limiter(api_limit("3 per minute"), 1024, time.clock());
    CHECK(admitted_in_a_row(limiter, "key-a", "10.0.0.1") == 3);
    CHECK_FALSE(limiter.over_limit(RateClass::Api, 0, "key-b", "10.0.0.2"));  // fresh key, fresh address
    CHECK(limiter.over_limit(RateClass::Api, 0, "key-a", "10.0.0.3"));        // key A is spent everywhere
    CHECK(limiter.over_limit(RateClass::Api, 0, "key-c", "10.0.0.1"));        // address 1 is spent for every key
    CHECK_FALSE(limiter.over_limit(RateClass::Api, 0, "key-c", "10.0.0.4"));
  }

  TEST_CASE("a refused request costs nothing in the bucket that still had room") {
    FakeClock time;
    RateLimiter limiter(api_limit("2 per minute"), 1024, time.clock());
    admitted_in_a_row(limiter, "key-a", "10.0.0.1");
    for (int i = 0; i < 5; ++i) CHECK(limiter.over_limit(RateClass::Api, 0, "key-a", "10.0.0.2"));
    CHECK(admitted_in_a_row(limiter, "key-b", "10.0.0.2") == 2);
  }

  TEST_CASE("a request without a key counts only against its address") {
    FakeClock time;
    RateLimiter limiter(api_limit("2 per minute"), 1024, time.clock());
    CHECK(admitted_in_a_row(limiter, "", "10.0.0.1") == 2);
    CHECK(admitted_in_a_row(limiter, "", "10.0.0.2") == 2);
  }

  TEST_CASE("each route has buckets of its own, as each OpenAlgo resource has") {
    FakeClock time;
    RateLimiter limiter(api_limit("1 per minute"), 1024, time.clock());
    CHECK_FALSE(limiter.over_limit(RateClass::Api, 1, "key", "10.0.0.1"));
    CHECK(limiter.over_limit(RateClass::Api, 1, "key", "10.0.0.1"));
    CHECK_FALSE(limiter.over_limit(RateClass::Api, 2, "key", "10.0.0.1"));
  }

  TEST_CASE("each class uses its own limit, and a class without one is never refused") {
    FakeClock time;
    RateLimiter limiter({{RateClass::Api, *config::parse_rate_limits("1 per minute")},
                         {RateClass::Order, *config::parse_rate_limits("2 per minute")}},
                        1024, time.clock());
    CHECK_FALSE(limiter.over_limit(RateClass::Order, 0, "key", "10.0.0.1"));
    CHECK_FALSE(limiter.over_limit(RateClass::Order, 0, "key", "10.0.0.1"));
    CHECK(limiter.over_limit(RateClass::Order, 0, "key", "10.0.0.1")->limit == "2 per 1 minute");
    for (int i = 0; i < 100; ++i) {
      CHECK_FALSE(limiter.over_limit(RateClass::Greeks, 0, "key", "10.0.0.1"));
      CHECK_FALSE(limiter.over_limit(RateClass::None, 0, "key", "10.0.0.1"));
    }
  }

  TEST_CASE("keys and addresses that keep changing cannot grow the bucket table past its bound") {
    FakeClock time;
    RateLimiter limiter(api_limit("5 per second"), 64, time.clock());
    for (int i = 0; i < 10000; ++i) limiter.over_limit(RateClass::Api, 0, "key-" + std::to_string(i), "ip-" + std::to_string(i));
    CHECK(limiter.bucket_count() <= 64);
    CHECK(limiter.bucket_count() > 0);
  }

  TEST_CASE("buckets back at full are dropped as requests pass by") {
    FakeClock time;
    RateLimiter limiter(api_limit("5 per second"), 100000, time.clock());
    for (int i = 0; i < 40; ++i) limiter.over_limit(RateClass::Api, 0, "", "early-" + std::to_string(i));
    CHECK(limiter.bucket_count() == 40);
    time.now += 2s;
    for (int i = 0; i < 1000; ++i) limiter.over_limit(RateClass::Api, 0, "", "later-" + std::to_string(i));
    CHECK(limiter.bucket_count() == 1000);
  }

  TEST_CASE("limits are worded as Flask-Limiter words them") {
    CHECK(api::describe_limit({10, 1}) == "10 per 1 second");
    CHECK(api::describe_limit({30, 60}) == "30 per 1 minute");
    CHECK(api::describe_limit({25, 3600}) == "25 per 1 hour");
    CHECK(api::describe_limit({1, 86400}) == "1 per 1 day");
  }

  TEST_CASE("the limits come from OpenAlgo's settings, with its defaults") {
    const config::Config defaults("var", {});
    auto limits = api::rate_limits(defaults);
    CHECK(limits.at(RateClass::Api) == std::vector<config::RateLimit>{{50, 1}});
    CHECK(limits.at(RateClass::Order) == std::vector<config::RateLimit>{{10, 1}});
    CHECK(limits.at(RateClass::SmartOrder) == std::vector<config::RateLimit>{{10, 1}});
    CHECK(limits.at(RateClass::Greeks) == std::vector<config::RateLimit>{{30, 60}});
  }

  TEST_CASE("the router answers 429 in the envelope with Retry-After before the handler runs") {
    FakeClock time;
    RateLimiter limiter(api_limit("1 per minute"), 1024, time.clock());
    api::Router router;
    router.set_rate_limiter(&limiter);
    int handled = 0;
    router.add({"POST", "/api/v1/thing", "", [&handled](net::HttpRequest&&, net::Responder respond) {
                  ++handled;
                  respond(net::HttpResponse{200, "application/json", "{}", {}});
                }});
    CHECK(call(router, post(R"({"apikey":"k"})")).status == 200);
    auto refused = call(router, post(R"({"apikey":"k"})"));
    CHECK(refused.status == 429);
    CHECK(boost::json::parse(refused.body) ==
          boost::json::parse(R"({"status":"error","message":"Rate limit exceeded: 1 per 1 minute"})"));
    CHECK(header(refused, "Retry-After") == "60");
    CHECK(handled == 1);
  }

  TEST_CASE("routes of class None are never limited") {
    FakeClock time;
    RateLimiter limiter(api_limit("1 per minute"), 1024, time.clock());
    api::Router router;
    router.set_rate_limiter(&limiter);
    router.add({"GET", "/health", "", [](net::HttpRequest&&, net::Responder respond) {
                  respond(net::HttpResponse{200, "application/json", "{}", {}});
                }, RateClass::None});
    net::HttpRequest request;
    request.method = "GET";
    request.path = "/health";
    for (int i = 0; i < 10; ++i) CHECK(call(router, request).status == 200);
  }

  TEST_CASE("the API key is the top-level apikey of a JSON body") {
    CHECK(api::request_api_key(post(R"({"symbol":"SBIN","apikey":"abc"})")) == "abc");
    CHECK(api::request_api_key(post(R"( { "apikey" : "abc" , "x": 1 } )")) == "abc");
    CHECK(api::request_api_key(post(R"({"orders":[{"apikey":"nested"}],"apikey":"top"})")) == "top");
    CHECK(api::request_api_key(post(R"({"note":"\"apikey\":\"fake\"","apikey":"real"})")) == "real");
    CHECK(api::request_api_key(post(R"({"api\u006bey":"escaped\u0041"})")) == "escapedA");
    CHECK(api::request_api_key(post(R"({"apikey":"first","apikey":"last"})")) == "last");
  }

  TEST_CASE("a body without a string apikey gives no key") {
    CHECK(api::request_api_key(post(R"({"symbol":"SBIN"})")).empty());
    CHECK(api::request_api_key(post(R"({"data":{"apikey":"nested"}})")).empty());
    CHECK(api::request_api_key(post(R"({"apikey":12})")).empty());
    CHECK(api::request_api_key(post(R"({"apikey":"unterminated)")).empty());
    CHECK(api::request_api_key(post("not json")).empty());
    CHECK(api::request_api_key(post("")).empty());
  }

  TEST_CASE("a GET carries its API key in the query string") {
    net::HttpRequest request;
    request.method = "GET";
    request.query = "exchange=NSE&apikey=a%2Bb&apikey=second";
    CHECK(api::request_api_key(request) == "a+b");
    request.query = "exchange=NSE";
    CHECK(api::request_api_key(request).empty());
  }
}
