#include <doctest/doctest.h>

#include <boost/json.hpp>

#include "api/schema.hpp"

namespace json = boost::json;
using namespace oa::api;

namespace {

Schema order_like() {
  return Schema{{
      Field::text("apikey").length_between(1, 256),
      Field::text("action").choices({"BUY", "SELL"}),
      Field::integer("quantity"),
      Field::number("price").defaults_to(0.0),
      Field::boolean("flag").optional(),
  }};
}

Validated check(std::string_view body) { return validate(order_like(), json::parse(body).as_object()); }

}  // namespace

TEST_SUITE("api") {
  TEST_CASE("valid input is converted and defaults fill absent keys") {
    auto result = check(R"({"apikey":"k","action":"BUY","quantity":"2","flag":"yes"})");
    REQUIRE(result.ok());
    CHECK(result.values.at("quantity") == 2);
    CHECK(result.values.at("price") == 0.0);
    CHECK(result.values.at("flag") == true);
  }

  TEST_CASE("every error is collected in field order with unknown keys last") {
    auto result = check(R"({"zzz":1,"action":"HOLD","quantity":"x"})");
    REQUIRE(result.errors.size() == 4);
    CHECK(errors_as_python_repr(result.errors) ==
          "{'apikey': ['Missing data for required field.'], 'action': ['Must be one of: BUY, SELL.'], "
          "'quantity': ['Not a valid integer.'], 'zzz': ['Unknown field.']}");
  }

  TEST_CASE("the JSON form of errors is a map of field to messages") {
    auto result = check(R"({"apikey":"","action":"BUY","quantity":1})");
    CHECK(errors_as_json(result.errors) == json::parse(R"({"apikey":["Length must be between 1 and 256."]})"));
  }

  TEST_CASE("numbers follow marshmallow: floats truncate to integers, bools are not numbers, NaN is refused") {
    CHECK(check(R"({"apikey":"k","action":"BUY","quantity":1.9})").values.at("quantity") == 1);
    CHECK(errors_as_json(check(R"({"apikey":"k","action":"BUY","quantity":true})").errors) ==
          json::parse(R"({"quantity":["Not a valid integer."]})"));
    CHECK(errors_as_json(check(R"({"apikey":"k","action":"BUY","quantity":1,"price":"nan"})").errors) ==
          json::parse(R"({"price":["Special numeric values (nan or infinity) are not permitted."]})"));
    CHECK(errors_as_json(check(R"({"apikey":"k","action":"BUY","quantity":1,"price":"1e3"})").errors).as_object().empty());
  }

  TEST_CASE("null is refused and strings must be strings") {
    CHECK(errors_as_json(check(R"({"apikey":null,"action":5,"quantity":1})").errors) ==
          json::parse(R"({"apikey":["Field may not be null."],"action":["Not a valid string."]})"));
  }

  TEST_CASE("python repr switches quotes around text that holds a single quote") {
    FieldErrors errors{{"it's", {"bad"}}};
    CHECK(errors_as_python_repr(errors) == R"({"it's": ['bad']})");
  }

  TEST_CASE("python repr keys a list's item errors by bare integer positions") {
    auto errors = json::parse(R"({"orders":{"1":{"symbol":["Missing data for required field."],"x":["Unknown field."]}}})");
    CHECK(errors_as_python_repr(errors.as_object()) ==
          "{'orders': {1: {'symbol': ['Missing data for required field.'], 'x': ['Unknown field.']}}}");
  }

  TEST_CASE("a schema's own length message replaces marshmallow's") {
    Schema schema{{Field::text("symbol").length_between(1, 5, "Symbol must be between 1 and 5 characters.")}};
    CHECK(errors_as_json(validate(schema, json::parse(R"({"symbol":"TOOLONG"})").as_object()).errors) ==
          json::parse(R"({"symbol":["Symbol must be between 1 and 5 characters."]})"));
  }

  TEST_CASE("a field can upper-case its value, name its own choice message, keep null and read an empty string") {
    const Schema schema{{Field::text("kind").upper_cased().choices({"SINGLE", "OCO"}, "Must be 'SINGLE' or 'OCO'."),
                         Field::number("limit").nullable().empty_as(nullptr).optional(),
                         Field::number("trigger").empty_as(0.0).defaults_to(0.0)}};
    auto valid = validate(schema, json::parse(R"({"kind":"oco","limit":null,"trigger":""})").as_object());
    REQUIRE(valid.ok());
    CHECK(valid.values.at("kind") == "OCO");
    CHECK(valid.values.at("limit").is_null());
    CHECK(valid.values.at("trigger") == 0.0);
    CHECK(validate(schema, json::parse(R"({"kind":"OCO","limit":""})").as_object()).values.at("limit").is_null());
    auto invalid = validate(schema, json::parse(R"({"kind":"both"})").as_object());
    CHECK(errors_as_python_repr(invalid.errors) == R"({'kind': ["Must be 'SINGLE' or 'OCO'."]})");
  }

  TEST_CASE("a minimum length gives marshmallow's own message") {
    const Schema schema{{Field::text("trigger_id").at_least_chars(1)}};
    auto invalid = validate(schema, json::parse(R"({"trigger_id":""})").as_object());
    CHECK(errors_as_python_repr(invalid.errors) == "{'trigger_id': ['Shorter than minimum length 1.']}");
  }

  TEST_CASE("after_fields runs once every field passed, and a schema may drop unknown keys instead of refusing them") {
    int runs = 0;
    const Schema schema{{Field::integer("low"), Field::integer("high")}, false,
                        [&runs](json::object& values) {
                          ++runs;
                          FieldErrors errors;
                          if (values.at("low").as_int64() >= values.at("high").as_int64())
                            errors.push_back({"low", {"low must be below high"}});
                          return errors;
                        }};
    CHECK(validate(schema, json::parse(R"({"low":"x","high":1,"extra":1})").as_object()).errors.size() == 1);
    CHECK(runs == 0);
    auto ruled = validate(schema, json::parse(R"({"low":2,"high":1,"extra":1})").as_object());
    CHECK(runs == 1);
    CHECK(errors_as_python_repr(ruled.errors) == "{'low': ['low must be below high']}");
  }
}
