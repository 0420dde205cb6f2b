// The SDK helpers every broker plugin shares (plugin_api/openalgo_sdk/).
#include <doctest/doctest.h>

#include "openalgo_sdk/csv_reader.hpp"
#include "openalgo_sdk/date_ranges.hpp"
#include "openalgo_sdk/token_bucket.hpp"
#include "openalgo_sdk/value_map.hpp"

using namespace oa::sdk;

TEST_SUITE("plugin sdk helpers") {
  TEST_CASE("split_dates cuts a range into chunks that meet end to start and cover every day") {
    auto chunks = split_dates(*parse_date("2024-01-01"), *parse_date("2024-03-10"), 30);
    REQUIRE(chunks.size() == 3);
    CHECK(format_date(chunks[0].first) == "2024-01-01");
    CHECK(format_date(chunks[0].last) == "2024-01-30");
    CHECK(format_date(chunks[1].first) == "2024-01-31");
    CHECK(format_date(chunks[2].last) == "2024-03-10");
    CHECK(split_dates(*parse_date("2024-01-02"), *parse_date("2024-01-01"), 30).empty());
  }

  TEST_CASE("parse_date takes only real YYYY-MM-DD dates") {
    CHECK(parse_date("2024-02-29"));
    CHECK_FALSE(parse_date("2023-02-29"));
    CHECK_FALSE(parse_date("2024-1-01"));
    CHECK_FALSE(parse_date("2024-01-01x"));
  }

  TEST_CASE("the CSV reader gives quoted fields without quotes, across CRLF lines, skipping blank ones") {
    CsvReader reader("a,\"b, c\",d\r\n\r\n1,,3\n");
    std::vector<std::string_view> fields;
    REQUIRE(reader.next(fields));
    CHECK(fields == std::vector<std::string_view>{"a", "b, c", "d"});
    REQUIRE(reader.next(fields));
    CHECK(fields == std::vector<std::string_view>{"1", "", "3"});
    CHECK_FALSE(reader.next(fields));
  }

  TEST_CASE("a token bucket refuses past its burst, says how long to wait, and refills with time") {
    TokenBucket bucket("quotes", 1, 1);
    CHECK(bucket.take(10'000) == 0);
    CHECK(bucket.take(10'100) == 901);
    CHECK_THROWS_WITH(bucket.take_or_throw(10'200), "the broker allows 1 request(s) per second for quotes; retry in 801 ms");
    CHECK(bucket.take(11'000) == 0);
  }

  TEST_CASE("a value map refuses an unknown OpenAlgo value by name and falls back for an unknown broker value") {
    constexpr ValueMap products{"product", std::array<ValuePair, 2>{{{"CNC", "C"}, {"MIS", "I"}}}};
    CHECK(products.to_broker("MIS") == "I");
    CHECK_THROWS_WITH(products.to_broker("NRML"), "this broker does not accept product 'NRML'");
    CHECK(products.to_openalgo("C", "?") == "CNC");
    CHECK(products.to_openalgo("X", "?") == "?");
  }
}
