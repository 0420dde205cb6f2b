#include <doctest/doctest.h>

#include <boost/json.hpp>

#include "api/request_body.hpp"
#include "api/router.hpp"

using namespace oa;

namespace {

net::HttpResponse call(const api::Router& router, std::string method, std::string path, std::string body = "",
                       std::string content_type = "application/json") {
  net::HttpRequest request;
  request.method = std::move(method);
  request.path = std::move(path);
  request.body = std::move(body);
  request.headers.emplace_back("content-type", std::move(content_type));
  net::HttpResponse out;
  int answers = 0;
  router.handle(std::move(request), [&](net::HttpResponse reply) {
    out = std::move(reply);
    ++answers;
  });
  CHECK(answers == 1);
  return out;
}

api::Router sample_router() {
  api::Router router;
  router.add({"POST", "/api/v1/thing", "", [](net::HttpRequest&&, net::Responder respond) {
                respond(net::HttpResponse{200, "application/json", "{}", {}});
              }});
  router.add({"POST", "/api/v1/throws", "", [](net::HttpRequest&&, net::Responder respond) {
                respond(net::HttpResponse{200, "application/json", "{}", {}});
                throw std::runtime_error("after answering");
              }});
  router.add({"POST", "/api/v1/boom", "", [](net::HttpRequest&&, net::Responder) {
                throw std::runtime_error("boom");
              }});
  return router;
}

}  // namespace

TEST_SUITE("api") {
  TEST_CASE("a route matches with and without a trailing slash") {
    auto router = sample_router();
    CHECK(call(router, "POST", "/api/v1/thing").status == 200);
    CHECK(call(router, "POST", "/api/v1/thing/").status == 200);
  }

  TEST_CASE("an unknown path is 404 with the path in the envelope") {
    auto reply = call(sample_router(), "POST", "/api/v1/none");
    CHECK(reply.status == 404);
    CHECK(boost::json::parse(reply.body) ==
          boost::json::parse(R"({"status":"error","message":"Not found","path":"/api/v1/none"})"));
  }

  TEST_CASE("a wrong method is 405 with an Allow header") {
    auto reply = call(sample_router(), "GET", "/api/v1/thing");
    CHECK(reply.status == 405);
    CHECK(boost::json::parse(reply.body).at("status") == "error");
    REQUIRE(reply.headers.size() == 1);
    CHECK(reply.headers[0].second == "POST");
  }

  TEST_CASE("a handler that throws before answering gets a 500 envelope, and one that throws after answers once") {
    auto router = sample_router();
    auto boom = call(router, "POST", "/api/v1/boom");
    CHECK(boom.status == 500);
    CHECK(boost::json::parse(boom.body).at("status") == "error");
    CHECK(call(router, "POST", "/api/v1/throws").status == 200);
  }

  TEST_CASE("a placeholder segment matches any one segment, and the handler reads it from the path") {
    api::Router router;
    std::string seen;
    router.add({"GET", "/api/v1/ticker/<symbol>", "", [&seen](net::HttpRequest&& request, net::Responder respond) {
                  seen = std::string(api::last_path_segment(request.path));
                  respond(net::HttpResponse{200, "text/plain", "", {}});
                }});
    CHECK(call(router, "GET", "/api/v1/ticker/NSE:RELIANCE").status == 200);
    CHECK(seen == "NSE:RELIANCE");
    CHECK(call(router, "GET", "/api/v1/ticker/NSE:SBIN/").status == 200);
    CHECK(seen == "NSE:SBIN");
    CHECK(call(router, "GET", "/api/v1/ticker").status == 404);
    CHECK(call(router, "GET", "/api/v1/ticker/").status == 404);
    CHECK(call(router, "GET", "/api/v1/ticker/a/b").status == 404);
    CHECK(call(router, "POST", "/api/v1/ticker/NSE:SBIN").status == 405);
  }

  TEST_CASE("a placeholder first segment matches any one segment before the fixed rest") {
    api::Router router;
    std::string seen;
    router.add({"GET", "/<broker>/callback", "", [&seen](net::HttpRequest&& request, net::Responder respond) {
                  seen = std::string(api::first_path_segment(request.path));
                  respond(net::HttpResponse{200, "text/plain", "", {}});
                }});
    CHECK(call(router, "GET", "/zerodha/callback").status == 200);
    CHECK(seen == "zerodha");
    CHECK(call(router, "GET", "/angel/callback/").status == 200);
    CHECK(seen == "angel");
    CHECK(call(router, "GET", "/callback").status == 404);
    CHECK(call(router, "GET", "//callback").status == 404);
    CHECK(call(router, "GET", "/a/b/callback").status == 404);
    CHECK(call(router, "GET", "/zerodha/callbacks").status == 404);
  }

  TEST_CASE("an exact path wins over a placeholder at the same place") {
    api::Router router;
    router.add({"GET", "/api/v1/item/<id>", "", [](net::HttpRequest&&, net::Responder respond) {
                  respond(net::HttpResponse{201, "application/json", "{}", {}});
                }});
    router.add({"GET", "/api/v1/item/special", "", [](net::HttpRequest&&, net::Responder respond) {
                  respond(net::HttpResponse{200, "application/json", "{}", {}});
                }});
    CHECK(call(router, "GET", "/api/v1/item/special").status == 200);
    CHECK(call(router, "GET", "/api/v1/item/other").status == 201);
    CHECK_THROWS_AS(router.add({"GET", "/api/v1/item/<other>", "", {}}), std::logic_error);
  }

  TEST_CASE("registering a route twice is a programming error") {
    auto router = sample_router();
    CHECK_THROWS_AS(router.add({"POST", "/api/v1/thing/", "", {}}), std::logic_error);
  }

  TEST_CASE("JSON bodies: content types with parameters and +json are accepted, others refused") {
    net::HttpRequest request;
    request.body = R"({"a":1})";
    request.headers = {{"content-type", "application/json; charset=utf-8"}};
    CHECK(api::parse_json_body(request).object.has_value());
    request.headers = {{"content-type", "application/vnd.api+json"}};
    CHECK(api::parse_json_body(request).object.has_value());
    request.headers = {{"content-type", "Application/JSON"}};
    CHECK(api::parse_json_body(request).object.has_value());
    request.headers = {{"content-type", "APPLICATION/VND.API+JSON ; charset=utf-8"}};
    CHECK(api::parse_json_body(request).object.has_value());
    for (const char* type : {"text/plain", "application/+json", "text/json", "application/jsonp"}) {
      request.headers = {{"content-type", type}};
      auto refused = api::parse_json_body(request);
      CHECK_FALSE(refused.object.has_value());
      CHECK(refused.error.status == 400);
    }
  }

  TEST_CASE("JSON bodies: a deep or large body parses whole, into the storage given") {
    net::HttpRequest request;
    request.headers = {{"content-type", "application/json"}};
    request.body = R"({"deep":)" + std::string(30, '[') + "1" + std::string(30, ']') + R"(,"long":")" +
                   std::string(10000, 'x') + R"("})";
    boost::json::monotonic_resource memory;
    auto parsed = api::parse_json_body(request, &memory);
    REQUIRE(parsed.object.has_value());
    CHECK(parsed.object->storage().get() == &memory);
    CHECK(parsed.object->at("long").as_string().size() == 10000);
    const boost::json::value* inner = &parsed.object->at("deep");
    int depth = 0;
    while (inner->is_array()) inner = &inner->as_array().at(0), ++depth;
    CHECK(depth == 30);  // the parser allows 32 levels
  }

  TEST_CASE("JSON bodies: trailing garbage, truncation and empty bodies are named") {
    net::HttpRequest request;
    request.headers = {{"content-type", "application/json"}};
    request.body = R"({"a":1} x)";
    CHECK(api::parse_json_body(request).error.body.find("Malformed JSON") != std::string::npos);
    request.body = R"({"a":)";
    CHECK(api::parse_json_body(request).error.body.find("Malformed JSON") != std::string::npos);
    request.body = "";
    CHECK(api::parse_json_body(request).error.body.find("empty") != std::string::npos);
  }
}
