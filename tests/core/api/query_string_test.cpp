#include <doctest/doctest.h>

#include "api/query_string.hpp"

using namespace oa::api;

TEST_SUITE("api") {
  TEST_CASE("query parameters are percent-decoded, with '+' as a space") {
    auto query = parse_query("apikey=abc%2Fd&from=2025-04-01&name=a+b&empty=&flag");
    CHECK(query.at("apikey") == "abc/d");
    CHECK(query.at("from") == "2025-04-01");
    CHECK(query.at("name") == "a b");
    CHECK(query.at("empty").empty());
    CHECK(query.at("flag").empty());
  }

  TEST_CASE("the first of repeated query parameters wins, as Flask's request.args.get") {
    CHECK(parse_query("a=1&a=2").at("a") == "1");
  }

  TEST_CASE("a malformed percent escape is kept as written") {
    CHECK(percent_decode("100%25%zz%4", true) == "100%%zz%4");
  }

  TEST_CASE("in a path '+' stays a plus") { CHECK(percent_decode("NSE%3AM%26M+X", false) == "NSE:M&M+X"); }
}
