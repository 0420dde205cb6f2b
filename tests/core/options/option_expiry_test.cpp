// Expiry codes, the exchange cut-offs and time to expiry (rest_api.md B.7, C.7.2, C.7.4).
#include <doctest/doctest.h>

#include <stdexcept>

#include "options/option_expiry.hpp"

using namespace oa::options;

TEST_SUITE("options: expiry") {
  TEST_CASE("expiry codes are read in any case and must be real dates") {
    CHECK(parse_expiry_code("28NOV25") == ExpiryDate{2025, 11, 28});
    CHECK(parse_expiry_code("28nov25") == ExpiryDate{2025, 11, 28});
    CHECK(parse_expiry_code("29FEB28") == ExpiryDate{2028, 2, 29});
    for (const char* bad : {"", "28NOV2025", "31NOV25", "29FEB25", "00JAN25", "28XYZ25", "2025-11-28", "8NOV25"}) {
      CAPTURE(bad);
      CHECK_FALSE(parse_expiry_code(bad).has_value());
    }
    CHECK(parse_master_expiry("25-AUG-26") == ExpiryDate{2026, 8, 25});
    CHECK_FALSE(parse_master_expiry("25AUG26").has_value());
  }

  TEST_CASE("expiries are written as symbols, and as the Greeks endpoints show them") {
    CHECK(expiry_code({2025, 12, 2}) == "02DEC25");
    CHECK(display_expiry({2025, 12, 2}) == "02-Dec-2025");
  }

  TEST_CASE("each exchange stops trading its options at its own cut-off, IST") {
    CHECK(expiry_cutoff("NFO").hour == 15);
    CHECK(expiry_cutoff("NFO").minute == 30);
    CHECK(expiry_cutoff("BFO").hour == 15);
    CHECK(expiry_cutoff("CDS").hour == 12);
    CHECK(expiry_cutoff("MCX").hour == 23);
    // 28 Nov 2025 15:30 IST is 10:00 UTC.
    CHECK(ist_epoch_seconds({2025, 11, 28}, {15, 30}) == 1764324000);
    CHECK(ist_date(1764324000) == ExpiryDate{2025, 11, 28});
    CHECK(ist_date(1764324000 + 9 * 3600) == ExpiryDate{2025, 11, 29});  // 00:30 IST next day
  }

  TEST_CASE("a client's expiry time is HH:MM, refused with OpenAlgo's messages otherwise") {
    CHECK(parse_clock_time("19:00").hour == 19);
    CHECK(parse_clock_time("9:05").minute == 5);
    CHECK_THROWS_WITH_AS(parse_clock_time("1900"),
                         "Invalid expiry_time format: 1900. Use HH:MM format (e.g., '15:30', '19:00')",
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(parse_clock_time("ab:00"),
                         "Failed to parse expiry_time 'ab:00': invalid literal for int() with base 10: 'ab'",
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(parse_clock_time("24:00"),
                         "Invalid expiry_time values: 24:00. Hour must be 0-23, minute must be 0-59",
                         std::invalid_argument);
  }

  TEST_CASE("time to expiry is in 365-day years, floored near expiry and zero once past") {
    const std::int64_t expiry = 1764324000;
    auto day_before = time_to_expiry(expiry, expiry - 86400.0);
    CHECK(day_before.days == doctest::Approx(1.0));
    CHECK(day_before.years == doctest::Approx(1.0 / 365));
    auto minutes_before = time_to_expiry(expiry, expiry - 600.0);
    CHECK(minutes_before.years == 0.0001);
    CHECK(minutes_before.days == doctest::Approx(0.0365));
    CHECK_FALSE(minutes_before.expired());
    CHECK(time_to_expiry(expiry, expiry + 1.0).expired());
  }
}
