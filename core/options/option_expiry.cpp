#include "options/option_expiry.hpp"

#include <array>
#include <cctype>
#include <chrono>
#include <stdexcept>

#include <fmt/format.h>

namespace oa::options {
namespace {

constexpr std::array<std::string_view, 12> kMonths{"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                   "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
constexpr std::array<std::string_view, 12> kMonthTitles{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::int64_t kIstOffsetSeconds = 5 * 3600 + 30 * 60;
constexpr double kSecondsPerDay = 86400;
constexpr double kMinimumYears = 0.0001;

bool is_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

int two_digits(std::string_view text) { return (text[0] - '0') * 10 + (text[1] - '0'); }

std::optional<unsigned> month_number(std::string_view name) {
  std::string upper(name);
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (std::size_t i = 0; i < kMonths.size(); ++i)
    if (kMonths[i] == upper) return static_cast<unsigned>(i + 1);
  return std::nullopt;
}

std::optional<ExpiryDate> make_date(std::string_view day, std::string_view month, std::string_view year) {
  if (day.size() != 2 || year.size() != 2 || !is_digits(day) || !is_digits(year)) return std::nullopt;
  auto month_index = month_number(month);
  if (!month_index) return std::nullopt;
  ExpiryDate date{2000 + two_digits(year), *month_index, static_cast<unsigned>(two_digits(day))};
  std::chrono::year_month_day civil{std::chrono::year(date.year), std::chrono::month(date.month),
                                    std::chrono::day(date.day)};
  if (!civil.ok()) return std::nullopt;
  return date;
}

// Python's int() on one side of "HH:MM": surrounding blanks and a sign allowed.
std::optional<int> python_int(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  bool negative = !text.empty() && text.front() == '-';
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) text.remove_prefix(1);
  if (!is_digits(text) || text.size() > 6) return std::nullopt;
  int value = 0;
  for (char c : text) value = value * 10 + (c - '0');
  return negative ? -value : value;
}

}  // namespace

std::optional<ExpiryDate> parse_expiry_code(std::string_view code) {
  if (code.size() != 7) return std::nullopt;
  return make_date(code.substr(0, 2), code.substr(2, 3), code.substr(5, 2));
}

std::optional<ExpiryDate> parse_master_expiry(std::string_view text) {
  if (text.size() != 9 || text[2] != '-' || text[6] != '-') return std::nullopt;
  return make_date(text.substr(0, 2), text.substr(3, 3), text.substr(7, 2));
}

std::string expiry_code(const ExpiryDate& date) {
  return fmt::format("{:02}{}{:02}", date.day, kMonths[date.month - 1], date.year % 100);
}

std::string display_expiry(const ExpiryDate& date) {
  return fmt::format("{:02}-{}-{:04}", date.day, kMonthTitles[date.month - 1], date.year);
}

ClockTime expiry_cutoff(std::string_view exchange) {
  if (exchange == "MCX") return {23, 30};
  if (exchange == "CDS") return {12, 30};
  return {15, 30};
}

ClockTime parse_clock_time(std::string_view text) {
  auto colon = text.find(':');
  if (colon == std::string_view::npos || text.find(':', colon + 1) != std::string_view::npos)
    throw std::invalid_argument(
        fmt::format("Invalid expiry_time format: {}. Use HH:MM format (e.g., '15:30', '19:00')", text));
  for (auto part : {text.substr(0, colon), text.substr(colon + 1)})
    if (!python_int(part))
      throw std::invalid_argument(
          fmt::format("Failed to parse expiry_time '{}': invalid literal for int() with base 10: '{}'", text, part));
  ClockTime time{*python_int(text.substr(0, colon)), *python_int(text.substr(colon + 1))};
  if (time.hour < 0 || time.hour > 23 || time.minute < 0 || time.minute > 59)
    throw std::invalid_argument(
        fmt::format("Invalid expiry_time values: {}. Hour must be 0-23, minute must be 0-59", text));
  return time;
}

std::int64_t ist_epoch_seconds(const ExpiryDate& date, ClockTime time) {
  std::chrono::sys_days day = std::chrono::year_month_day{std::chrono::year(date.year), std::chrono::month(date.month),
                                                          std::chrono::day(date.day)};
  return static_cast<std::int64_t>(day.time_since_epoch().count()) * 86400 + time.hour * 3600 + time.minute * 60 -
         kIstOffsetSeconds;
}

ExpiryDate ist_date(std::int64_t epoch_seconds) {
  auto ist = epoch_seconds + kIstOffsetSeconds;
  auto days = ist >= 0 ? ist / 86400 : (ist - 86399) / 86400;
  std::chrono::year_month_day civil{std::chrono::sys_days(std::chrono::days(days))};
  return {static_cast<int>(civil.year()), static_cast<unsigned>(civil.month()), static_cast<unsigned>(civil.day())};
}

TimeToExpiry time_to_expiry(std::int64_t expiry_epoch_seconds, double now_epoch_seconds) {
  const double seconds = static_cast<double>(expiry_epoch_seconds) - now_epoch_seconds;
  if (seconds < 0) return {};
  TimeToExpiry left{seconds / kSecondsPerDay / 365.0, seconds / kSecondsPerDay};
  if (left.years < kMinimumYears) left = {kMinimumYears, kMinimumYears * 365.0};
  return left;
}

}  // namespace oa::options
