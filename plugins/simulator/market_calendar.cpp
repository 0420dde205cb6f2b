#include "market_calendar.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

namespace oa::simulator {
namespace {

constexpr std::int64_t kIstOffsetSeconds = 5 * 3600 + 30 * 60;
constexpr std::int64_t kSecondsPerDay = 86400;
constexpr std::array<const char*, 12> kMonths = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                 "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

constexpr Session kEquitySession{9 * 3600 + 15 * 60, 15 * 3600 + 30 * 60};
constexpr Session kCurrencySession{9 * 3600, 17 * 3600};
constexpr Session kCommoditySession{9 * 3600, 23 * 3600 + 30 * 60};

}  // namespace

Session session_of(std::string_view exchange) {
  if (exchange == "CDS" || exchange == "BCD") return kCurrencySession;
  if (exchange == "MCX") return kCommoditySession;
  return kEquitySession;
}

SessionPoint session_point(const Session& session, std::int64_t epoch_ms) {
  std::int64_t ist_seconds = floor_div(epoch_ms, 1000) + kIstOffsetSeconds;
  Day day = floor_div(ist_seconds, kSecondsPerDay);
  std::int64_t second_of_day = ist_seconds - day * kSecondsPerDay;
  if (!is_trading_day(day) || second_of_day < session.open_second)
    return {previous_trading_day(day), session.length() - 1, false};
  auto second = static_cast<std::int32_t>(second_of_day - session.open_second);
  if (second >= session.length()) return {day, session.length() - 1, false};
  return {day, second, true};
}

std::int64_t session_epoch_seconds(Day day, const Session& session, std::int32_t second) {
  return day * kSecondsPerDay + session.open_second + second - kIstOffsetSeconds;
}

Day ist_day(std::int64_t epoch_ms) { return floor_div(floor_div(epoch_ms, 1000) + kIstOffsetSeconds, kSecondsPerDay); }

Weekday weekday(Day day) { return static_cast<Weekday>(day + 4 - 7 * floor_div(day + 4, 7)); }

bool is_trading_day(Day day) {
  Weekday w = weekday(day);
  return w != kSaturday && w != kSunday;
}

Day previous_trading_day(Day day) {
  do --day;
  while (!is_trading_day(day));
  return day;
}

Day week_start(Day day) { return day - (weekday(day) + 6) % 7; }

std::int64_t trading_day_index(Day day) {
  // Count from Monday 1969-12-29 (day -3), then drop its three weekdays before day 0.
  std::int64_t from_monday = day + 3;
  std::int64_t weeks = floor_div(from_monday, 7);
  std::int64_t rest = from_monday - weeks * 7;
  return weeks * 5 + std::min<std::int64_t>(rest, 5) - 3;
}

// Howard Hinnant's days_from_civil / civil_from_days.
Day day_from_civil(int year, unsigned month, unsigned day_of_month) {
  year -= month <= 2;
  const std::int64_t era = floor_div(year, 400);
  const auto year_of_era = static_cast<unsigned>(year - era * 400);
  const unsigned day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day_of_month - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<std::int64_t>(day_of_era) - 719468;
}

CivilDate civil_from_day(Day day) {
  day += 719468;
  const std::int64_t era = floor_div(day, 146097);
  const auto day_of_era = static_cast<unsigned>(day - era * 146097);
  const unsigned year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const unsigned day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const unsigned mp = (5 * day_of_year + 2) / 153;
  const unsigned day_of_month = day_of_year - (153 * mp + 2) / 5 + 1;
  const unsigned month = mp < 10 ? mp + 3 : mp - 9;
  const auto year = static_cast<int>(static_cast<std::int64_t>(year_of_era) + era * 400 + (month <= 2));
  return {year, month, day_of_month};
}

Day last_day_of_month(int year, unsigned month) {
  return month == 12 ? day_from_civil(year + 1, 1, 1) - 1 : day_from_civil(year, month + 1, 1) - 1;
}

std::optional<Day> parse_iso_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  auto number = [&](std::size_t from, std::size_t count) {
    int value = 0;
    for (std::size_t i = from; i < from + count; ++i) value = value * 10 + (text[i] - '0');
    return value;
  };
  const int year = number(0, 4), month = number(5, 2), day_of_month = number(8, 2);
  if (month < 1 || month > 12 || day_of_month < 1) return std::nullopt;
  Day day = day_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day_of_month));
  if (civil_from_day(day).month != static_cast<unsigned>(month)) return std::nullopt;
  return day;
}

std::string symbol_date(Day day) {
  CivilDate date = civil_from_day(day);
  char text[16];
  std::snprintf(text, sizeof text, "%02u%s%02d", date.day, kMonths[date.month - 1], date.year % 100);
  return text;
}

std::string expiry_text(Day day) {
  CivilDate date = civil_from_day(day);
  char text[16];
  std::snprintf(text, sizeof text, "%02u-%s-%02d", date.day, kMonths[date.month - 1], date.year % 100);
  return text;
}

}  // namespace oa::simulator
