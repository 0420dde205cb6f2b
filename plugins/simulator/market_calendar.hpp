// market_calendar.hpp — Indian market dates and sessions for the simulator:
// IST calendar days, Mon–Fri trading days (no holiday list), the session of
// each exchange, and the date texts of OpenAlgo's symbology.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace oa::simulator {

// An IST calendar date as days since 1970-01-01.
using Day = std::int64_t;

enum Weekday { kSunday = 0, kMonday, kTuesday, kWednesday, kThursday, kFriday, kSaturday };

// A trading session in seconds after IST midnight: [open_second, close_second).
struct Session {
  std::int32_t open_second = 0;
  std::int32_t close_second = 0;
  std::int32_t length() const { return close_second - open_second; }
};

// NSE, BSE and their F&O and index segments 09:15–15:30; CDS/BCD 09:00–17:00;
// MCX 09:00–23:30.
Session session_of(std::string_view exchange);

// Where a market stands at an instant: the trading day it shows and the last
// session second reached (0 .. length-1). Outside the session that is the
// close of the latest session that ended.
struct SessionPoint {
  Day day = 0;
  std::int32_t second = 0;
  bool live = false;
};
SessionPoint session_point(const Session& session, std::int64_t epoch_ms);

// Unix epoch seconds of second `second` of the session on `day`.
std::int64_t session_epoch_seconds(Day day, const Session& session, std::int32_t second);

Day ist_day(std::int64_t epoch_ms);
Weekday weekday(Day day);
bool is_trading_day(Day day);
Day previous_trading_day(Day day);
// The Monday on or before `day`.
Day week_start(Day day);
// Trading days (Mon–Fri) before `day` since 1970-01-01: consecutive trading
// days have consecutive indices.
std::int64_t trading_day_index(Day day);

Day day_from_civil(int year, unsigned month, unsigned day_of_month);
struct CivilDate {
  int year;
  unsigned month;
  unsigned day;
};
CivilDate civil_from_day(Day day);
Day last_day_of_month(int year, unsigned month);

// "2025-11-25" -> Day, nullopt when malformed.
std::optional<Day> parse_iso_date(std::string_view text);
// "25NOV25", as inside OpenAlgo symbols.
std::string symbol_date(Day day);
// "25-NOV-25", the instrument master's expiry column.
std::string expiry_text(Day day);

}  // namespace oa::simulator
