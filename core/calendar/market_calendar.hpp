#pragma once
// The market calendar: regular session times per exchange and the holidays
// and special sessions of each year, read from a JSON file an operator can
// edit (config/market_calendar.json). Everything is in IST (UTC+05:30, no
// daylight saving), whatever the server's own time zone.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace oa::calendar {

using Date = std::chrono::year_month_day;

// A file that cannot be read or does not describe a calendar; the message
// names the file and the entry at fault.
class CalendarError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class HolidayType {
  Trading,         // TRADING_HOLIDAY: the listed exchanges are closed or keep only the listed sessions
  Settlement,      // SETTLEMENT_HOLIDAY: no clearing, trading as usual
  SpecialSession,  // SPECIAL_SESSION: e.g. Muhurat trading on Diwali
};
std::string_view holiday_type_name(HolidayType type);

// A window of one exchange's day, as offsets from midnight IST. `end` may pass
// 24:00 for a session that runs past midnight.
struct Window {
  std::string exchange;
  std::chrono::milliseconds start{};
  std::chrono::milliseconds end{};
};

// One exchange's trading window on a date, in epoch milliseconds.
struct Session {
  std::string exchange;
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
};

struct Holiday {
  Date date;
  std::string description;
  HolidayType type = HolidayType::Trading;
  std::vector<std::string> closed_exchanges;
  std::vector<Window> open_exchanges;  // special hours that day; an exchange may appear twice

  std::vector<Session> open_sessions() const;
};

// Epoch milliseconds of midnight IST at the start of `date`.
std::int64_t ist_midnight_ms(Date date);
// Today in IST.
Date ist_today();
// "2026-01-26" (a month and day of one digit are accepted, as Python's strptime does); nullopt otherwise.
std::optional<Date> parse_date(std::string_view text);
// "2026-01-26".
std::string date_text(Date date);

// One version of the calendar file. Immutable.
class Calendar {
 public:
  // `origin` names the text in error messages (the file path).
  static Calendar parse(std::string_view json_text, std::string_view origin);
  static Calendar load(const std::filesystem::path& file);

  // The year's holiday entries, by date.
  std::vector<const Holiday*> holidays_in(int year) const;
  const Holiday* holiday_on(Date date) const;
  // Every exchange's trading windows on `date`, in the file's session order,
  // then special sessions of exchanges without regular hours. An exchange a
  // holiday lists as open gets its special hours; one it lists as closed gets
  // none; any other keeps its regular hours. On Saturday and Sunday only the
  // exchanges marked "weekends": true trade, unless a holiday gives special hours.
  std::vector<Session> sessions_on(Date date) const;
  // True when `exchange` has no trading window on `date` (holiday or weekend).
  bool is_holiday(Date date, std::string_view exchange) const;

  const std::vector<Window>& regular_sessions() const { return regular_; }

 private:
  std::vector<Window> regular_;
  std::vector<std::string> weekend_exchanges_;  // trade on Saturday and Sunday too (crypto)
  std::map<std::chrono::sys_days, Holiday> holidays_;

  bool trades_on_weekends(std::string_view exchange) const;
};

// The calendar the daemon serves, replaceable while requests read it: each
// request works on the snapshot it took.
class MarketCalendar {
 public:
  // Reads `file` and, when it is a valid calendar, serves it from now on.
  // On failure keeps the calendar it had and throws CalendarError.
  void load(const std::filesystem::path& file);
  // Null until a load succeeded.
  std::shared_ptr<const Calendar> current() const;

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const Calendar> current_;
};

}  // namespace oa::calendar
