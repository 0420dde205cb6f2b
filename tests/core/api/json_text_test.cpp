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

TEST_SUITE("api") {
  TEST_CASE("the json.dumps layout spaces separators and escapes non-ASCII as Python does") {
    json::value document = {{"a", 1}, {"b", json::array{1.5, "x"}}, {"s", "₹ caf\xc3\xa9 \xf0\x9f\x98\x80"}};
    CHECK(to_json_text(document, oa::api::JsonLayout::PythonDumps) ==
          R"({"a": 1, "b": [1.5, "x"], "s": "\u20b9 caf\u00e9 \ud83d\ude00"})");
  }

  TEST_CASE("a malformed UTF-8 byte is escaped as itself, never dropped") {
    CHECK(to_json_text(json::value("a\xff"), oa::api::JsonLayout::PythonDumps) == R"("a\u00ff")");
  }
}
