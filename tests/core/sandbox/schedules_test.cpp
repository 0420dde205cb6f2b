// Schedules: square-off, blackout, expiry and job boundaries.
#include <doctest/doctest.h>

#include "sandbox/schedules.hpp"
#include "sandbox_fixture.hpp"

using namespace oa::sandbox;
using oa::sandbox::test::ist;

namespace {

Instrument equity(const std::string& symbol = "SBIN") { return {symbol, "NSE", "EQ", "", 1, 0.05, 1}; }

Instrument nifty_future() { return {"NIFTY28AUG25FUT", "NFO", "FUT", "28-AUG-25", 75, 0.1, 1}; }

Instrument nifty_call() { return {"NIFTY28AUG2524000CE", "NFO", "CE", "28-AUG-25", 75, 0.05, 1}; }

}  // namespace

TEST_SUITE("sandbox") {
  TEST_CASE("every exchange with MIS has a square-off time, NCO and CRYPTO included") {
    const ScheduleOptions schedule;
    CHECK(square_off_time(schedule, "NFO") == at(15, 15));
    CHECK(square_off_time(schedule, "CDS") == at(16, 45));
    CHECK(square_off_time(schedule, "MCX") == at(23, 30));
    CHECK(square_off_time(schedule, "NCDEX") == at(17, 0));
    CHECK(square_off_time(schedule, "NCO") == at(23, 30));
    CHECK(square_off_time(schedule, "CRYPTO").has_value());
    CHECK_FALSE(in_mis_blackout(schedule, "CRYPTO", ist(2025, 8, 22, 3, 0)));
  }

  TEST_CASE("expiry comes from the symbol's date, else the master contract's") {
    CHECK(contract_expiry(nifty_call())->day == 28);
    const auto from_master = contract_expiry({"726GS2033FUT", "NFO", "FUT", "25-APR-2024", 1, 1, 1});
    REQUIRE(from_master.has_value());
    CHECK(from_master->year == 2024);
    CHECK(from_master->month == 4);
    CHECK_FALSE(contract_expiry(equity()).has_value());
  }

  TEST_CASE("NFO contracts expire at 15:40 IST on expiry day, or the next day if configured") {
    ScheduleOptions schedule;
    CHECK(expired_from(schedule, nifty_future()) == ist(2025, 8, 28, 15, 40));
    CHECK(expired_from(schedule, {"USDINR29AUG25FUT", "CDS", "FUT", "", 1, 1, 1}) ==
          ist(2025, 8, 29, 17, 0));
    schedule.expire_next_day = true;
    CHECK(expired_from(schedule, nifty_future()) == ist(2025, 8, 29, 0, 0));
    CHECK_FALSE(expired_from(schedule, equity()).has_value());
  }

  TEST_CASE("a daily job is due once per boundary however long the gap") {
    const std::int64_t last = ist(2025, 8, 20, 0, 0);
    CHECK_FALSE(daily_due(last, ist(2025, 8, 20, 23, 59), at(0, 0)));
    CHECK(daily_due(last, ist(2025, 8, 21, 0, 0), at(0, 0)));
    CHECK(daily_due(last, ist(2025, 8, 25, 10, 0), at(0, 0)));
  }

  TEST_CASE("the weekly reset is due after the configured weekday and time") {
    // 2025-08-24 is a Sunday (weekday 6).
    CHECK(last_weekly_boundary(ist(2025, 8, 26, 12, 0), 6, at(0, 0)) == ist(2025, 8, 24, 0, 0));
    CHECK(weekly_due(ist(2025, 8, 23, 12, 0), ist(2025, 8, 24, 0, 1), 6, at(0, 0)));
    CHECK_FALSE(weekly_due(ist(2025, 8, 24, 0, 1), ist(2025, 8, 30, 23, 0), 6, at(0, 0)));
  }

  TEST_CASE("the trading session starts at SESSION_EXPIRY_TIME in IST") {
    const ScheduleOptions schedule;
    CHECK(session_start(schedule, ist(2025, 8, 22, 2, 59)) == ist(2025, 8, 21, 3, 0));
    CHECK(session_start(schedule, ist(2025, 8, 22, 10, 0)) == ist(2025, 8, 22, 3, 0));
  }
}
