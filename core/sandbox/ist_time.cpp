#include "sandbox/ist_time.hpp"

#include <chrono>
#include <cstdio>

namespace oa::sandbox {
namespace {

constexpr std::int64_t kIstOffsetMs = 330 * kMinuteMs;

std::int64_t floor_div(std::int64_t value, std::int64_t divisor) {
  const std::int64_t quotient = value / divisor;
  return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient;
}

struct CivilTime {
  std::chrono::year_month_day date;
  std::int64_t ms_of_day;
};

CivilTime civil(std::int64_t shifted_ms) {
  const std::int64_t days = floor_div(shifted_ms, kDayMs);
  const std::chrono::sys_days day{std::chrono::days{days}};
  return {std::chrono::year_month_day{day}, shifted_ms - days * kDayMs};
}

std::int64_t days_since_epoch(int year, int month, int day) {
  const std::chrono::year_month_day date{std::chrono::year{year},
                                         std::chrono::month{static_cast<unsigned>(month)},
                                         std::chrono::day{static_cast<unsigned>(day)}};
  return std::chrono::sys_days{date}.time_since_epoch().count();
}

std::string format_date(const std::chrono::year_month_day& date) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return text;
}

}  // namespace

std::optional<MinuteOfDay> parse_clock_time(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  for (std::size_t i : {0u, 1u, 3u, 4u}) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  const int hour = (text[0] - '0') * 10 + (text[1] - '0');
  const int minute = (text[3] - '0') * 10 + (text[4] - '0');
  if (hour > 23 || minute > 59) return std::nullopt;
  return at(hour, minute);
}

std::string format_clock_time(MinuteOfDay minute) {
  char text[16];
  std::snprintf(text, sizeof text, "%02d:%02d", minute / 60, minute % 60);
  return text;
}

IstCalendarDay ist_day(std::int64_t ms) {
  const CivilTime time = civil(ms + kIstOffsetMs);
  const std::chrono::weekday weekday{std::chrono::sys_days{time.date}};
  return {static_cast<int>(time.date.year()), static_cast<int>(static_cast<unsigned>(time.date.month())),
          static_cast<int>(static_cast<unsigned>(time.date.day())),
          static_cast<int>((weekday.c_encoding() + 6) % 7)};
}

MinuteOfDay ist_minute_of_day(std::int64_t ms) {
  return static_cast<MinuteOfDay>(civil(ms + kIstOffsetMs).ms_of_day / kMinuteMs);
}

std::int64_t ist_midnight(std::int64_t ms) {
  const std::int64_t shifted = ms + kIstOffsetMs;
  return floor_div(shifted, kDayMs) * kDayMs - kIstOffsetMs;
}

std::int64_t ist_instant(int year, int month, int day, MinuteOfDay minute) {
  return days_since_epoch(year, month, day) * kDayMs + minute * kMinuteMs - kIstOffsetMs;
}

std::int64_t last_daily_boundary(std::int64_t ms, MinuteOfDay minute) {
  const std::int64_t today = ist_midnight(ms) + minute * kMinuteMs;
  return today <= ms ? today : today - kDayMs;
}

std::string format_ist_timestamp(std::int64_t ms) {
  const CivilTime time = civil(ms + kIstOffsetMs);
  const std::int64_t seconds = time.ms_of_day / 1000;
  char clock[16];
  std::snprintf(clock, sizeof clock, " %02d:%02d:%02d", static_cast<int>(seconds / 3600),
                static_cast<int>(seconds / 60 % 60), static_cast<int>(seconds % 60));
  return format_date(time.date) + clock;
}

std::string format_ist_date(std::int64_t ms) { return format_date(civil(ms + kIstOffsetMs).date); }

std::string format_utc_iso(std::int64_t ms) {
  const CivilTime time = civil(ms);
  const std::int64_t millis = time.ms_of_day;
  char clock[24];
  std::snprintf(clock, sizeof clock, "T%02d:%02d:%02d.%03dZ", static_cast<int>(millis / kHourMs),
                static_cast<int>(millis / kMinuteMs % 60), static_cast<int>(millis / 1000 % 60),
                static_cast<int>(millis % 1000));
  return format_date(time.date) + clock;
}

std::optional<std::int64_t> parse_utc_iso(std::string_view text) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, millis = 0;
  const std::string copy(text);
  if (std::sscanf(copy.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ", &year, &month, &day, &hour,
                  &minute, &second, &millis) != 7) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31) return std::nullopt;
  return days_since_epoch(year, month, day) * kDayMs + hour * kHourMs + minute * kMinuteMs +
         second * 1000 + millis;
}

}  // namespace oa::sandbox
