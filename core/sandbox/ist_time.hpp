#pragma once
// India Standard Time (UTC+5:30, no daylight saving) for the sandbox's
// schedules and displays. Instants are milliseconds since the Unix epoch.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/utc_text.hpp"

namespace oa::sandbox {

constexpr std::int64_t kMinuteMs = 60'000;
constexpr std::int64_t kHourMs = 60 * kMinuteMs;
constexpr std::int64_t kDayMs = 24 * kHourMs;

// A time of day in IST as minutes after midnight, e.g. 15:15 is 915.
using MinuteOfDay = int;
constexpr MinuteOfDay at(int hour, int minute) { return hour * 60 + minute; }

// "HH:MM" (24-hour) to minutes; nullopt when malformed.
std::optional<MinuteOfDay> parse_clock_time(std::string_view text);
std::string format_clock_time(MinuteOfDay minute);

struct IstCalendarDay {
  int year = 1970, month = 1, day = 1;
  int weekday = 0;  // 0 Monday ... 6 Sunday
};

IstCalendarDay ist_day(std::int64_t ms);
MinuteOfDay ist_minute_of_day(std::int64_t ms);

// The instant the IST day holding `ms` began.
std::int64_t ist_midnight(std::int64_t ms);

// The instant of an IST date and time of day.
std::int64_t ist_instant(int year, int month, int day, MinuteOfDay minute);

// The latest instant <= ms that falls at `minute` IST.
std::int64_t last_daily_boundary(std::int64_t ms, MinuteOfDay minute);

// "YYYY-MM-DD HH:MM:SS" and "YYYY-MM-DD" in IST, as OpenAlgo shows them.
std::string format_ist_timestamp(std::int64_t ms);
std::string format_ist_date(std::int64_t ms);

// The store's timestamp text (store/utc_text.hpp), used all over the sandbox.
using store::format_utc_iso;
using store::parse_utc_iso;

}  // namespace oa::sandbox
