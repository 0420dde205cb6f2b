#include "api/date_text.hpp"

#include <array>
#include <cctype>
#include <charconv>

#include <fmt/format.h>

namespace oa::api {
namespace {

using namespace std::chrono;

constexpr auto kIstOffset = hours(5) + minutes(30);

bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

std::optional<int> number(std::string_view text) {
  if (!all_digits(text)) return std::nullopt;
  int value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

// strptime's %m and %d: one or two digits; %d also takes a space before a single digit.
std::optional<int> month_or_day(std::string_view text) {
  if (text.size() == 2 && text[0] == ' ') text.remove_prefix(1);
  if (text.empty() || text.size() > 2) return std::nullopt;
  return number(text);
}

std::optional<Date> valid(int year_number, int month_number, int day_number) {
  if (year_number < 1 || month_number < 1 || month_number > 12 || day_number < 1 || day_number > 31)
    return std::nullopt;
  Date date{year(year_number), month(static_cast<unsigned>(month_number)), day(static_cast<unsigned>(day_number))};
  if (!date.ok()) return std::nullopt;
  return date;
}

std::optional<int> month_from_abbreviation(std::string_view text) {
  static constexpr std::array<std::string_view, 12> kMonths{"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                            "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
  if (text.size() != 3) return std::nullopt;
  std::string upper(text);
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (std::size_t i = 0; i < kMonths.size(); ++i)
    if (upper == kMonths[i]) return static_cast<int>(i + 1);
  return std::nullopt;
}

// strptime's %y: 69-99 are 1969-1999, 00-68 are 2000-2068.
std::optional<int> expiry_year(std::string_view text) {
  auto value = number(text);
  if (!value || (text.size() != 2 && text.size() != 4)) return std::nullopt;
  if (text.size() == 4) return value;
  return *value + (*value >= 69 ? 1900 : 2000);
}

}  // namespace

std::optional<Date> parse_iso_date(std::string_view text) {
  auto first = text.find('-');
  auto second = first == std::string_view::npos ? first : text.find('-', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  auto year_text = text.substr(0, first);
  auto year_number = year_text.size() == 4 ? number(year_text) : std::nullopt;
  auto month_number = month_or_day(text.substr(first + 1, second - first - 1));
  auto day_number = month_or_day(text.substr(second + 1));
  if (!year_number || !month_number || !day_number) return std::nullopt;
  return valid(*year_number, *month_number, *day_number);
}

std::string iso_date_text(Date date) {
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                     static_cast<unsigned>(date.day()));
}

std::optional<Date> parse_expiry_date(std::string_view text) {
  if (text.size() < 9 || text[2] != '-' || text[6] != '-') return std::nullopt;
  auto day_number = number(text.substr(0, 2));
  auto month_number = month_from_abbreviation(text.substr(3, 3));
  auto year_number = expiry_year(text.substr(7));
  if (!day_number || !month_number || !year_number) return std::nullopt;
  return valid(*year_number, *month_number, *day_number);
}

Date ist_date(sys_seconds instant) { return Date{floor<days>(instant + kIstOffset)}; }

std::string ist_time_text(sys_seconds instant) {
  auto local = instant + kIstOffset;
  hh_mm_ss time{local - floor<days>(local)};
  return fmt::format("{:02}:{:02}:{:02}", time.hours().count(), time.minutes().count(), time.seconds().count());
}

}  // namespace oa::api
