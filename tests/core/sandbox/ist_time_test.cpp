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

  TEST_CASE("IST dates and times turn over at 18:30 UTC, leap days included") {
    const std::int64_t leap_day_end = ist(2024, 3, 1, 5, 30) - 1;  // 2024-02-29 23:59:59.999 UTC
    CHECK(format_ist_timestamp(leap_day_end) == "2024-03-01 05:29:59");
    CHECK(format_ist_date(leap_day_end) == "2024-03-01");
    CHECK(format_ist_date(ist(2024, 3, 1, 0, 0) - 1) == "2024-02-29");
  }

  TEST_CASE("clock times are HH:MM in 24 hours") {
    CHECK(parse_clock_time("15:15") == 915);
    CHECK_FALSE(parse_clock_time("24:00").has_value());
    CHECK_FALSE(parse_clock_time("9:15").has_value());
    CHECK(format_clock_time(at(9, 5)) == "09:05");
  }
}
