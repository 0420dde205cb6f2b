#include "store/utc_text.hpp"

#include <cstdio>

namespace oa::store {
namespace {

constexpr std::int64_t kMinuteMs = 60'000;
constexpr std::int64_t kHourMs = 60 * kMinuteMs;
constexpr std::int64_t kDayMs = 24 * kHourMs;

std::int64_t floor_div(std::int64_t value, std::int64_t divisor) {
  const std::int64_t quotient = value / divisor;
  return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient;
}

bool four_digit_year(const std::chrono::year_month_day& date) {
  return static_cast<int>(date.year()) >= 0 && static_cast<int>(date.year()) <= 9999;
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

// Exactly the layout format_utc_iso writes.
std::optional<std::int64_t> parse_exact(std::string_view text) {
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

CivilTime civil_time(std::int64_t ms) {
  const std::int64_t days = floor_div(ms, kDayMs);
  const std::chrono::sys_days day{std::chrono::days{days}};
  return {std::chrono::year_month_day{day}, ms - days * kDayMs};
}

std::int64_t days_since_epoch(int year, int month, int day) {
  const std::chrono::year_month_day date{std::chrono::year{year},
                                         std::chrono::month{static_cast<unsigned>(month)},
                                         std::chrono::day{static_cast<unsigned>(day)}};
  return std::chrono::sys_days{date}.time_since_epoch().count();
}

void append_digits(std::string& out, std::int64_t value, int width) {
  out.resize(out.size() + width);
  for (auto at = out.end() - 1; width-- > 0; --at) {
    *at = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

std::string format_iso_date(const std::chrono::year_month_day& date) {
  std::string text;
  if (!four_digit_year(date)) {
    char wide[24];
    std::snprintf(wide, sizeof wide, "%04d-%02u-%02u", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
    return wide;
  }
  text.reserve(24);
  append_digits(text, static_cast<int>(date.year()), 4);
  text += '-';
  append_digits(text, static_cast<unsigned>(date.month()), 2);
  text += '-';
  append_digits(text, static_cast<unsigned>(date.day()), 2);
  return text;
}

std::string format_utc_iso(std::int64_t ms) {
  const CivilTime time = civil_time(ms);
  const std::int64_t millis = time.ms_of_day;
  std::string text = format_iso_date(time.date);
  text += 'T';
  append_digits(text, millis / kHourMs, 2);
  text += ':';
  append_digits(text, millis / kMinuteMs % 60, 2);
  text += ':';
  append_digits(text, millis / 1000 % 60, 2);
  text += '.';
  append_digits(text, millis % 1000, 3);
  text += 'Z';
  return text;
}

std::optional<std::int64_t> parse_utc_iso(std::string_view text) {
  if (const auto exact = parse_exact(text)) return exact;
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

std::string utc_now_iso() {
  const auto now = std::chrono::system_clock::now();
  return format_utc_iso(std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count());
}

}  // namespace oa::store
