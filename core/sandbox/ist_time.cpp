#include "sandbox/ist_time.hpp"

#include <cstdio>

namespace oa::sandbox {
namespace {

constexpr std::int64_t kIstOffsetMs = 330 * kMinuteMs;

store::CivilTime ist_civil(std::int64_t ms) { return store::civil_time(ms + kIstOffsetMs); }

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
  const store::CivilTime time = ist_civil(ms);
  const std::chrono::weekday weekday{std::chrono::sys_days{time.date}};
  return {static_cast<int>(time.date.year()), static_cast<int>(static_cast<unsigned>(time.date.month())),
          static_cast<int>(static_cast<unsigned>(time.date.day())),
          static_cast<int>((weekday.c_encoding() + 6) % 7)};
}

MinuteOfDay ist_minute_of_day(std::int64_t ms) {
  return static_cast<MinuteOfDay>(ist_civil(ms).ms_of_day / kMinuteMs);
}

std::int64_t ist_midnight(std::int64_t ms) { return ms - ist_civil(ms).ms_of_day; }

std::int64_t ist_instant(int year, int month, int day, MinuteOfDay minute) {
  return store::days_since_epoch(year, month, day) * kDayMs + minute * kMinuteMs - kIstOffsetMs;
}

std::int64_t last_daily_boundary(std::int64_t ms, MinuteOfDay minute) {
  const std::int64_t today = ist_midnight(ms) + minute * kMinuteMs;
  return today <= ms ? today : today - kDayMs;
}

std::string format_ist_timestamp(std::int64_t ms) {
  const store::CivilTime time = ist_civil(ms);
  const std::int64_t seconds = time.ms_of_day / 1000;
  std::string text = store::format_iso_date(time.date);
  text += ' ';
  store::append_digits(text, seconds / 3600, 2);
  text += ':';
  store::append_digits(text, seconds / 60 % 60, 2);
  text += ':';
  store::append_digits(text, seconds % 60, 2);
  return text;
}

std::string format_ist_date(std::int64_t ms) { return store::format_iso_date(ist_civil(ms).date); }

}  // namespace oa::sandbox
