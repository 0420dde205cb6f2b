#include <doctest/doctest.h>

#include <boost/json.hpp>

#include "api/openapi.hpp"
#include "api/request_doc.hpp"

using namespace oa::api;
namespace json = boost::json;

namespace {

void nothing(oa::net::HttpRequest&&, oa::net::Responder) {}

const Schema& order_schema() {
  static const Schema schema{{Field::text("apikey").length_between(1, 256), Field::text("action").choices({"BUY", "SELL"}),
                              Field::number("quantity").above(0, "Quantity must be a positive number."),
                              Field::text("product").defaults_to("MIS").choices({"MIS", "CNC"})}};
  return schema;
}

const Schema& item_schema() {
  static const Schema schema{{Field::text("symbol"), Field::integer("lots").optional()}};
  return schema;
}

Router sample_router() {
  Router router;
  router.add(Route{"POST", "/api/v1/placeorder", "Places an order", nothing}.documented(json_body(order_schema())));
  router.add(Route{"POST", "/api/v1/basket", "Several orders", nothing}.documented(
      json_body(order_schema(), {{"orders", &item_schema(), 1, 20}})));
  router.add(Route{"GET", "/api/v1/ticker/<symbol>", "Candles", nothing}.documented(
      query_parameters(Schema{{Field::text("apikey"), Field::text("format").defaults_to("json")}})));
  router.add(Route{"GET", "/health", "Liveness", nothing, RateClass::None});
  router.add(Route{"GET", "/index.html", "Web UI file", nothing, RateClass::None});
  return router;
}

const json::object& operation(const json::object& document, const char* path, const char* method) {
  return document.at("paths").at(path).at(method).as_object();
}

}  // namespace

TEST_SUITE("api") {
  TEST_CASE("the OpenAPI document lists every /api route with its method, and nothing outside /api") {
    auto document = openapi_document(sample_router());
    CHECK(document.at("openapi") == "3.0.3");
    const auto& paths = document.at("paths").as_object();
    CHECK(paths.size() == 3);
    CHECK(paths.contains("/api/v1/placeorder"));
    CHECK(paths.contains("/api/v1/basket"));
    CHECK(paths.contains("/api/v1/ticker/{symbol}"));
    CHECK(operation(document, "/api/v1/placeorder", "post").at("summary") == "Places an order");
    CHECK(document.at("components").at("schemas").as_object().contains("Error"));
  }

  TEST_CASE("a JSON body is documented with types, allowed values, defaults, minimums and required fields") {
    auto document = openapi_document(sample_router());
    const auto& schema = operation(document, "/api/v1/placeorder", "post")
                             .at("requestBody").at("content").at("application/json").at("schema").as_object();
    CHECK(schema.at("additionalProperties") == false);
    CHECK(schema.at("required") == json::array{"apikey", "action", "quantity"});
    const auto& properties = schema.at("properties").as_object();
    CHECK(properties.at("apikey").at("maxLength") == 256);
    CHECK(properties.at("action").at("enum") == json::array{"BUY", "SELL"});
    CHECK(properties.at("quantity").at("type") == "number");
    CHECK(properties.at("quantity").at("minimum") == 0.0);
    CHECK(properties.at("quantity").at("exclusiveMinimum") == true);
    CHECK(properties.at("product").at("default") == "MIS");
  }

  TEST_CASE("a schema that lists one field twice is refused when its route is documented") {
    const Schema twice{{Field::text("symbol"), Field::number("quantity"), Field::text("symbol").optional()}};
    CHECK_THROWS_WITH_AS(schema_object(twice), "a request schema lists the field \"symbol\" twice", std::logic_error);
  }

  TEST_CASE("a list of objects in a body is documented with its item fields and size") {
    auto document = openapi_document(sample_router());
    const auto& orders = operation(document, "/api/v1/basket", "post")
                             .at("requestBody").at("content").at("application/json").at("schema")
                             .at("properties").at("orders").as_object();
    CHECK(orders.at("type") == "array");
    CHECK(orders.at("maxItems") == 20);
    CHECK(orders.at("items").at("properties").at("lots").at("type") == "integer");
    CHECK(orders.at("items").at("required") == json::array{"symbol"});
  }

  TEST_CASE("a GET route's placeholder is a path parameter and its query fields are query parameters") {
    auto document = openapi_document(sample_router());
    const auto& parameters = operation(document, "/api/v1/ticker/{symbol}", "get").at("parameters").as_array();
    REQUIRE(parameters.size() == 3);
    CHECK(parameters[0].at("name") == "symbol");
    CHECK(parameters[0].at("in") == "path");
    CHECK(parameters[1].at("name") == "apikey");
    CHECK(parameters[1].at("in") == "query");
    CHECK(parameters[1].at("required") == true);
    CHECK(parameters[2].at("required") == false);
    CHECK(parameters[2].at("schema").at("default") == "json");
  }

  TEST_CASE("the document route serves the document as JSON, including routes added after it") {
    Router router = sample_router();
    add_docs_routes(router, "/nonexistent-web-dir");
    router.add(Route{"POST", "/api/v1/late", "Added last", nothing}.documented(json_body(order_schema())));
    oa::net::HttpResponse reply;
    oa::net::HttpRequest request;
    request.method = "GET";
    request.target = request.path = "/api/docs/openapi.json";
    router.handle(std::move(request), [&reply](oa::net::HttpResponse answer) { reply = std::move(answer); });
    CHECK(reply.status == 200);
    CHECK(reply.content_type == "application/json");
    auto document = json::parse(reply.body).as_object();
    CHECK(document.at("paths").as_object().contains("/api/v1/late"));
    CHECK(document.at("paths").as_object().contains("/api/docs/openapi.json"));
  }
}
