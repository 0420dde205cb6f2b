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

// The store's timestamps are written and read for every paper order, and
// snprintf/sscanf interpreting their format strings were ~7 % of the sandbox
// engine's instructions per order: these are written out by hand instead.

// `value` as exactly `width` decimal digits, zero-padded; `value` must fit.
char* put_digits(char* out, std::int64_t value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return out + width;
}

// The `width` digits at `text`, or -1 if any is not a digit.
int read_digits(std::string_view text, std::size_t at, std::size_t width) {
  int value = 0;
  for (std::size_t i = at; i < at + width; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

// YYYY-MM-DD into `out` (10 characters), years 0 to 9999.
char* put_date(char* out, const std::chrono::year_month_day& date) {
  out = put_digits(out, static_cast<int>(date.year()), 4);
  *out++ = '-';
  out = put_digits(out, static_cast<unsigned>(date.month()), 2);
  *out++ = '-';
  return put_digits(out, static_cast<unsigned>(date.day()), 2);
}

bool four_digit_year(const std::chrono::year_month_day& date) {
  return static_cast<int>(date.year()) >= 0 && static_cast<int>(date.year()) <= 9999;
}

std::string format_date(const std::chrono::year_month_day& date) {
  if (!four_digit_year(date)) {
    char text[24];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
    return text;
  }
  char text[10];
  put_date(text, date);
  return std::string(text, sizeof text);
}

// The layout format_utc_iso writes: YYYY-MM-DDTHH:MM:SS.mmmZ.
std::optional<std::int64_t> parse_exact_utc_iso(std::string_view text) {
  if (text.size() != 24 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
      text[16] != ':' || text[19] != '.' || text[23] != 'Z')
    return std::nullopt;
  const int year = read_digits(text, 0, 4), month = read_digits(text, 5, 2), day = read_digits(text, 8, 2);
  const int hour = read_digits(text, 11, 2), minute = read_digits(text, 14, 2);
  const int second = read_digits(text, 17, 2), millis = read_digits(text, 20, 3);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || minute < 0 || second < 0 ||
      millis < 0)
    return std::nullopt;
  return days_since_epoch(year, month, day) * kDayMs + hour * kHourMs + minute * kMinuteMs + second * 1000 +
         millis;
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
  char clock[9] = {' '};
  char* out = put_digits(clock + 1, seconds / 3600, 2);
  *out++ = ':';
  out = put_digits(out, seconds / 60 % 60, 2);
  *out++ = ':';
  put_digits(out, seconds % 60, 2);
  return format_date(time.date) + std::string(clock, sizeof clock);
}

std::string format_ist_date(std::int64_t ms) { return format_date(civil(ms + kIstOffsetMs).date); }

std::string format_utc_iso(std::int64_t ms) {
  const CivilTime time = civil(ms);
  const std::int64_t millis = time.ms_of_day;
  if (four_digit_year(time.date)) {
    char text[24];
    char* out = put_date(text, time.date);
    *out++ = 'T';
    out = put_digits(out, millis / kHourMs, 2);
    *out++ = ':';
    out = put_digits(out, millis / kMinuteMs % 60, 2);
    *out++ = ':';
    out = put_digits(out, millis / 1000 % 60, 2);
    *out++ = '.';
    out = put_digits(out, millis % 1000, 3);
    *out = 'Z';
    return std::string(text, sizeof text);
  }
  char clock[24];
  std::snprintf(clock, sizeof clock, "T%02d:%02d:%02d.%03dZ", static_cast<int>(millis / kHourMs),
                static_cast<int>(millis / kMinuteMs % 60), static_cast<int>(millis / 1000 % 60),
                static_cast<int>(millis % 1000));
  return format_date(time.date) + clock;
}

std::optional<std::int64_t> parse_utc_iso(std::string_view text) {
  if (const auto exact = parse_exact_utc_iso(text)) return exact;
  // Anything else the store may hold (rows written by hand, say) is read as it always was.
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
