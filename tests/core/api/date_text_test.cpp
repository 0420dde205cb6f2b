#include <doctest/doctest.h>

#include "api/date_text.hpp"

using namespace oa::api;
using namespace std::chrono;

TEST_SUITE("api") {
  TEST_CASE("request dates read as Python's strptime %Y-%m-%d reads them") {
    CHECK(parse_iso_date("2025-04-01") == Date{year(2025), April, day(1)});
    CHECK(parse_iso_date("2025-4-1") == Date{year(2025), April, day(1)});
    CHECK(parse_iso_date("2024-02-29").has_value());
    CHECK_FALSE(parse_iso_date("2025-02-29").has_value());
    CHECK_FALSE(parse_iso_date("2025-13-01").has_value());
    CHECK_FALSE(parse_iso_date("25-04-01").has_value());
    CHECK_FALSE(parse_iso_date("2025-04-01T00:00").has_value());
    CHECK_FALSE(parse_iso_date("2025/04/01").has_value());
    CHECK_FALSE(parse_iso_date("").has_value());
    CHECK(iso_date_text(*parse_iso_date("2025-4-1")) == "2025-04-01");
  }

  TEST_CASE("master-contract expiries read in either year form and any case") {
    CHECK(parse_expiry_date("28-NOV-24") == Date{year(2024), November, day(28)});
    CHECK(parse_expiry_date("28-nov-2024") == Date{year(2024), November, day(28)});
    CHECK(parse_expiry_date("01-JAN-70") == Date{year(1970), January, day(1)});
    CHECK_FALSE(parse_expiry_date("31-NOV-24").has_value());
    CHECK_FALSE(parse_expiry_date("28NOV24").has_value());
  }

  TEST_CASE("instants are shown in IST") {
    sys_seconds instant = sys_days{year(2025) / April / 1} + hours(3) + minutes(45);  // 09:15 IST
    CHECK(ist_date(instant) == Date{year(2025), April, day(1)});
    CHECK(ist_time_text(instant) == "09:15:00");
    CHECK(ist_date(sys_days{year(2025) / April / 1} + hours(19)) == Date{year(2025), April, day(2)});
  }
}
