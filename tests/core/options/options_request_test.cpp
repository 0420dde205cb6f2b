// Request checks of the options endpoints: marshmallow's messages and order
// (rest_api.md A.3, Appendix 2), nullable fields, ranges, a nested list.
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include "api/options_request.hpp"

using namespace oa::api;
namespace json = boost::json;

namespace {

OptionsSchema chain_like() {
  return {{Field::text("apikey").length_between(1, 256), Field::text("underlying"),
           Field::integer("strike_count").optional(), Field::number("interest_rate").optional()},
          {"strike_count"},
          {range_check("strike_count", 1, 100), range_check("interest_rate", 0, 100)}};
}

OptionsSchema list_like() {
  return {{Field::text("apikey"), Field::text("expiry_time").optional()},
          {},
          {},
          NestedList{"symbols", Schema{{Field::text("symbol"), Field::text("exchange").choices({"NFO", "BFO"})}}, 1, 3},
          1};
}

json::object body(const char* text) { return json::parse(text).as_object(); }

}  // namespace

TEST_SUITE("options: request checks") {
  TEST_CASE("a null for a nullable field reads as absent, for any other field as an error") {
    auto checked = check_request(chain_like(), body(R"({"apikey":"k","underlying":"NIFTY","strike_count":null})"));
    CHECK(checked.ok());
    CHECK_FALSE(checked.values.contains("strike_count"));
    checked = check_request(chain_like(), body(R"({"apikey":"k","underlying":"NIFTY","interest_rate":null})"));
    CHECK(json::serialize(checked.errors) == R"({"interest_rate":["Field may not be null."]})");
  }

  TEST_CASE("ranges answer with marshmallow's texts, in declared order, unknown keys last") {
    auto checked = check_request(
        chain_like(), body(R"({"extra":1,"interest_rate":101,"strike_count":0,"underlying":5,"apikey":"k"})"));
    CHECK(json::serialize(checked.errors) ==
          R"({"underlying":["Not a valid string."],)"
          R"("strike_count":["Must be greater than or equal to 1 and less than or equal to 100."],)"
          R"("interest_rate":["Must be greater than or equal to 0 and less than or equal to 100."],)"
          R"("extra":["Unknown field."]})");
    CHECK(range_check("strike_int", 1, std::nullopt).test(json::value(0)) == "Must be greater than or equal to 1.");
  }

  TEST_CASE("a nested list reports item errors by position, and its length only when the items are fine") {
    auto checked = check_request(list_like(), body(R"({"apikey":"k","symbols":[{"symbol":"X","exchange":"NFO"},
                                                       {"exchange":"NSE"},7]})"));
    CHECK(json::serialize(checked.errors) ==
          R"({"symbols":{"1":{"symbol":["Missing data for required field."],"exchange":["Must be one of: NFO, BFO."]},)"
          R"("2":{"_schema":["Invalid input type."]}}})");
    checked = check_request(list_like(), body(R"({"apikey":"k","symbols":[]})"));
    CHECK(json::serialize(checked.errors) == R"({"symbols":["Length must be between 1 and 3."]})");
    checked = check_request(list_like(), body(R"({"apikey":"k","symbols":"NIFTY"})"));
    CHECK(json::serialize(checked.errors) == R"({"symbols":["Not a valid list."]})");
    checked = check_request(list_like(), body(R"({"apikey":"k"})"));
    CHECK(json::serialize(checked.errors) == R"({"symbols":["Missing data for required field."]})");
  }

  TEST_CASE("a valid nested list comes back as checked values") {
    auto checked = check_request(list_like(), body(R"({"apikey":"k","symbols":[{"symbol":"X","exchange":"BFO"}]})"));
    REQUIRE(checked.ok());
    CHECK(checked.values.at("symbols").at(0).at("exchange") == "BFO");
  }

  TEST_CASE("the envelope of each family, and OpenAlgo's answers to a body that is not an object") {
    oa::net::HttpRequest request;
    request.headers = {{"content-type", "application/json"}};
    oa::net::HttpResponse reply;
    auto respond = [&](oa::net::HttpResponse response) { reply = std::move(response); };

    request.body = R"({"apikey":"k"})";
    CHECK_FALSE(
        read_options_request(request, chain_like(), ErrorEnvelope::ValidationError, KeyOrder::AsBuilt, respond));
    CHECK(reply.status == 400);
    CHECK(
        reply.body ==
        R"({"status":"error","message":"Validation error","errors":{"underlying":["Missing data for required field."]}})"
        "\n");

    CHECK_FALSE(
        read_options_request(request, chain_like(), ErrorEnvelope::ValidationFailed, KeyOrder::Sorted, respond));
    CHECK(
        reply.body ==
        R"({"errors":{"underlying":["Missing data for required field."]},"message":"Validation failed","status":"error"})"
        "\n");

    request.body = "null";
    CHECK_FALSE(
        read_options_request(request, chain_like(), ErrorEnvelope::ValidationFailed, KeyOrder::Sorted, respond));
    CHECK(reply.body == R"({"message":"Request body is missing or invalid JSON","status":"error"})"
                        "\n");
    CHECK_FALSE(
        read_options_request(request, chain_like(), ErrorEnvelope::ValidationError, KeyOrder::AsBuilt, respond));
    CHECK(reply.body ==
          R"({"status":"error","message":"Validation error","errors":{"_schema":["Invalid input type."]}})"
          "\n");

    request.body = "[1]";
    CHECK_FALSE(
        read_options_request(request, chain_like(), ErrorEnvelope::ValidationFailed, KeyOrder::Sorted, respond));
    CHECK(reply.body ==
          R"({"errors":{"_schema":["Invalid input type."]},"message":"Validation failed","status":"error"})"
          "\n");

    request.body = R"({"apikey":"k","underlying":"NIFTY"})";
    auto values =
        read_options_request(request, chain_like(), ErrorEnvelope::ValidationError, KeyOrder::AsBuilt, respond);
    REQUIRE(values);
    CHECK(values->at("underlying") == "NIFTY");
  }
}
