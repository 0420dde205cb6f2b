// The store's timestamp text.
#include "store/utc_text.hpp"

#include <doctest/doctest.h>

using namespace oa::store;

namespace {

constexpr std::int64_t kDayMs = 86'400'000;

}  // namespace

TEST_SUITE("store") {
  TEST_CASE("store timestamps keep their layout from before the epoch to a leap day's last millisecond") {
    CHECK(format_utc_iso(0) == "1970-01-01T00:00:00.000Z");
    CHECK(format_utc_iso(-1) == "1969-12-31T23:59:59.999Z");
    CHECK(format_utc_iso(days_since_epoch(2024, 3, 1) * kDayMs - 1) == "2024-02-29T23:59:59.999Z");
    CHECK(format_utc_iso(days_since_epoch(2025, 1, 31) * kDayMs + 33'300'123) == "2025-01-31T09:15:00.123Z");
    CHECK(utc_now_iso().size() == 24);
  }

  TEST_CASE("store timestamps read back to the millisecond over forty years") {
    for (std::int64_t at = -kDayMs; at < 40 * 365 * kDayMs; at += 7 * kDayMs + 3'661'001) {
      CAPTURE(at);
      REQUIRE(parse_utc_iso(format_utc_iso(at)) == at);
    }
  }

  TEST_CASE("store timestamps in another layout are read as before, and nonsense is refused") {
    const std::int64_t at = days_since_epoch(2025, 1, 31) * kDayMs + 13'500'007;
    CHECK(parse_utc_iso("2025-01-31T03:45:00.007Z") == at);
    CHECK(parse_utc_iso("2025-1-31T3:45:0.7Z") == at);  // sscanf's leniency, kept
    CHECK_FALSE(parse_utc_iso("2025-13-31T03:45:00.000Z").has_value());
    CHECK_FALSE(parse_utc_iso("2025-01-00T03:45:00.000Z").has_value());
    CHECK_FALSE(parse_utc_iso("2025-01-31 03:45:00").has_value());
    CHECK_FALSE(parse_utc_iso("yesterday").has_value());
    CHECK_FALSE(parse_utc_iso("").has_value());
  }
}
