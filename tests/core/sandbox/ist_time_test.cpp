// IST time: clock boundaries and formats.
#include <doctest/doctest.h>

#include "sandbox/ist_time.hpp"
#include "sandbox_fixture.hpp"

using namespace oa::sandbox;
using oa::sandbox::test::ist;

TEST_SUITE("sandbox") {
  TEST_CASE("IST is UTC plus five and a half hours with no daylight saving") {
    const std::int64_t at = ist(2025, 8, 22, 15, 15);
    CHECK(format_utc_iso(at) == "2025-08-22T09:45:00.000Z");
    CHECK(format_ist_timestamp(at) == "2025-08-22 15:15:00");
    CHECK(ist_minute_of_day(at) == 915);
    CHECK(ist_day(at).weekday == 4);  // a Friday
    CHECK(ist_midnight(at) == ist(2025, 8, 22, 0, 0));
  }

  TEST_CASE("the last daily boundary is today's when passed, else yesterday's") {
    CHECK(last_daily_boundary(ist(2025, 8, 22, 2, 0), at(3, 0)) == ist(2025, 8, 21, 3, 0));
    CHECK(last_daily_boundary(ist(2025, 8, 22, 3, 0), at(3, 0)) == ist(2025, 8, 22, 3, 0));
  }

  TEST_CASE("store timestamps read back to the millisecond") {
    const std::int64_t at = ist(2025, 1, 31, 9, 15) + 123;
    CHECK(parse_utc_iso(format_utc_iso(at)) == at);
    CHECK_FALSE(parse_utc_iso("yesterday").has_value());
  }

  TEST_CASE("store timestamps keep their layout from the epoch to the last millisecond of a leap day") {
    CHECK(format_utc_iso(0) == "1970-01-01T00:00:00.000Z");
    const std::int64_t leap_day_end = ist(2024, 3, 1, 5, 30) - 1;  // 2024-02-29 23:59:59.999 UTC
    CHECK(format_utc_iso(leap_day_end) == "2024-02-29T23:59:59.999Z");
    CHECK(format_utc_iso(-1) == "1969-12-31T23:59:59.999Z");
    CHECK(format_ist_timestamp(leap_day_end) == "2024-03-01 05:29:59");
    CHECK(format_ist_date(leap_day_end) == "2024-03-01");
    for (std::int64_t at = -86'400'000; at < 40LL * 365 * 86'400'000; at += 86'400'000LL * 7 + 3'661'001) {
      CAPTURE(at);
      REQUIRE(parse_utc_iso(format_utc_iso(at)) == at);
    }
  }

  TEST_CASE("store timestamps in another layout are read as before, and nonsense is refused") {
    CHECK(parse_utc_iso("2025-01-31T03:45:00.007Z") == ist(2025, 1, 31, 9, 15) + 7);
    CHECK(parse_utc_iso("2025-1-31T3:45:0.7Z") == ist(2025, 1, 31, 9, 15) + 7);  // sscanf's leniency, kept
    CHECK_FALSE(parse_utc_iso("2025-13-31T03:45:00.000Z").has_value());
    CHECK_FALSE(parse_utc_iso("2025-01-00T03:45:00.000Z").has_value());
    CHECK_FALSE(parse_utc_iso("2025-01-31 03:45:00").has_value());
    CHECK_FALSE(parse_utc_iso("").has_value());
  }

  TEST_CASE("clock times are HH:MM in 24 hours") {
    CHECK(parse_clock_time("15:15") == 915);
    CHECK_FALSE(parse_clock_time("24:00").has_value());
    CHECK_FALSE(parse_clock_time("9:15").has_value());
    CHECK(format_clock_time(at(9, 5)) == "09:05");
  }
}
