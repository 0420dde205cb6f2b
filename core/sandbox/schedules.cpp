#include "sandbox/schedules.hpp"

#include <array>
#include <cctype>

#include "sandbox/segments.hpp"

namespace oa::sandbox {
namespace {

constexpr std::array<std::string_view, 12> kMonths{"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                   "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

int two_digits(std::string_view text, std::size_t at) {
  return (text[at] - '0') * 10 + (text[at + 1] - '0');
}

std::optional<int> month_number(std::string_view text) {
  std::string upper(text);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    if (kMonths[i] == upper) return static_cast<int>(i) + 1;
  }
  return std::nullopt;
}

// DDMMMYY anywhere in the symbol, the first one wins.
std::optional<ExpiryDate> expiry_in_symbol(std::string_view symbol) {
  for (std::size_t i = 0; i + 7 <= symbol.size(); ++i) {
    if (!is_digit(symbol[i]) || !is_digit(symbol[i + 1]) || !is_digit(symbol[i + 5]) ||
        !is_digit(symbol[i + 6])) {
      continue;
    }
    const auto month = month_number(symbol.substr(i + 2, 3));
    if (!month) continue;
    const int day = two_digits(symbol, i);
    if (day < 1 || day > 31) continue;
    return ExpiryDate{2000 + two_digits(symbol, i + 5), *month, day};
  }
  return std::nullopt;
}

// DD-MMM-YY or DD-MMM-YYYY.
std::optional<ExpiryDate> expiry_in_master(std::string_view text) {
  if ((text.size() != 9 && text.size() != 11) || text[2] != '-' || text[6] != '-') {
    return std::nullopt;
  }
  for (std::size_t i = 7; i < text.size(); ++i) {
    if (!is_digit(text[i])) return std::nullopt;
  }
  if (!is_digit(text[0]) || !is_digit(text[1])) return std::nullopt;
  const auto month = month_number(text.substr(3, 3));
  if (!month) return std::nullopt;
  const int year = text.size() == 9 ? 2000 + two_digits(text, 7) : std::stoi(std::string(text.substr(7)));
  return ExpiryDate{year, *month, two_digits(text, 0)};
}

template <typename Map>
std::optional<MinuteOfDay> lookup(const Map& map, std::string_view exchange) {
  const auto found = map.find(exchange);
  if (found == map.end()) return std::nullopt;
  return found->second;
}

bool valid_minute(MinuteOfDay minute) { return minute >= 0 && minute < 24 * 60; }

}  // namespace

std::optional<std::string> check_schedule(const ScheduleOptions& options) {
  for (const auto& [exchange, minute] : options.square_off) {
    if (!valid_minute(minute)) return "square-off time for " + exchange + " is not a time of day";
  }
  for (const auto& [exchange, minute] : options.expiry_close) {
    if (!valid_minute(minute)) return "expiry close for " + exchange + " is not a time of day";
  }
  for (MinuteOfDay minute : {options.market_open, options.default_expiry_close,
                             options.settlement_time, options.session_boundary,
                             options.snapshot_time, options.reset_time}) {
    if (!valid_minute(minute)) return "a schedule time is not a time of day";
  }
  if (options.reset_weekday && (*options.reset_weekday < 0 || *options.reset_weekday > 6)) {
    return "the reset day must be Monday to Sunday or Never";
  }
  return std::nullopt;
}

std::optional<MinuteOfDay> square_off_time(const ScheduleOptions& options,
                                           std::string_view exchange) {
  return lookup(options.square_off, exchange);
}

bool past_square_off(const ScheduleOptions& options, std::string_view exchange,
                     std::int64_t now_ms) {
  const auto square_off = square_off_time(options, exchange);
  return square_off && ist_minute_of_day(now_ms) >= *square_off;
}

bool in_mis_blackout(const ScheduleOptions& options, std::string_view exchange,
                     std::int64_t now_ms) {
  if (!square_off_time(options, exchange)) return false;
  const MinuteOfDay open =
      lookup(options.market_open_by_exchange, exchange).value_or(options.market_open);
  return past_square_off(options, exchange, now_ms) || ist_minute_of_day(now_ms) < open;
}

std::optional<ExpiryDate> contract_expiry(const Instrument& instrument) {
  if (auto date = expiry_in_symbol(instrument.symbol)) return date;
  return expiry_in_master(instrument.expiry);
}

std::optional<std::int64_t> expired_from(const ScheduleOptions& options,
                                         const Instrument& instrument) {
  if (!is_derivative_exchange(instrument.exchange)) return std::nullopt;
  const auto date = contract_expiry(instrument);
  if (!date) return std::nullopt;
  const std::int64_t expiry_midnight = ist_instant(date->year, date->month, date->day, 0);
  if (options.expire_next_day) return expiry_midnight + kDayMs;
  const MinuteOfDay close =
      lookup(options.expiry_close, instrument.exchange).value_or(options.default_expiry_close);
  return expiry_midnight + close * kMinuteMs;
}

bool daily_due(std::int64_t last_run_ms, std::int64_t now_ms, MinuteOfDay minute) {
  return last_daily_boundary(now_ms, minute) > last_run_ms;
}

std::int64_t last_weekly_boundary(std::int64_t now_ms, int weekday, MinuteOfDay minute) {
  std::int64_t boundary = last_daily_boundary(now_ms, minute);
  while (ist_day(boundary).weekday != weekday) boundary -= kDayMs;
  return boundary;
}

bool weekly_due(std::int64_t last_run_ms, std::int64_t now_ms, int weekday, MinuteOfDay minute) {
  return last_weekly_boundary(now_ms, weekday, minute) > last_run_ms;
}

std::int64_t session_start(const ScheduleOptions& options, std::int64_t now_ms) {
  return last_daily_boundary(now_ms, options.session_boundary);
}

bool is_weekend(std::int64_t ms) { return ist_day(ms).weekday >= 5; }

}  // namespace oa::sandbox
