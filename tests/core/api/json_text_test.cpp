#include <doctest/doctest.h>

#include <boost/json.hpp>

#include "api/json_text.hpp"

using oa::api::to_json_text;
namespace json = boost::json;

TEST_SUITE("api") {
  TEST_CASE("floats are written as Python writes them") {
    CHECK(to_json_text(json::value(1187.75)) == "1187.75");
    CHECK(to_json_text(json::value(1187.0)) == "1187.0");
    CHECK(to_json_text(json::value(0.0)) == "0.0");
    CHECK(to_json_text(json::value(-0.05)) == "-0.05");
    CHECK(to_json_text(json::value(0.1 + 0.2)) == "0.30000000000000004");
    CHECK(to_json_text(json::value(1e-05)) == "1e-05");
    CHECK(to_json_text(json::value(1e16)) == "1e+16");
    CHECK(to_json_text(json::value(123456789012345.0)) == "123456789012345.0");
  }

  TEST_CASE("integers, strings, nesting and order are kept") {
    json::value document = {{"b", 1}, {"a", json::array{true, nullptr, "x\"y\n"}}, {"n", -5}};
    CHECK(to_json_text(document) == R"({"b":1,"a":[true,null,"x\"y\n"],"n":-5})");
  }

  TEST_CASE("non-finite numbers become null rather than invalid JSON") {
    CHECK(to_json_text(json::value(std::numeric_limits<double>::quiet_NaN())) == "null");
  }

  TEST_CASE("the text parses back to the same value") {
    json::value document = {{"ltp", 769.6}, {"volume", 9362799}, {"oi", 0.0}, {"name", "₹ NIFTY"}};
    CHECK(json::parse(to_json_text(document)) == document);
  }
}
