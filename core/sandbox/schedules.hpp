#pragma once
// When the sandbox's time-driven work is due, as pure functions of the IST
// clock: MIS square-off and the MIS blackout, F&O expiry, T+1 settlement,
// the daily P&L snapshot and reset, and the optional weekly fund reset.
// Each daily or weekly job is due when its latest boundary lies after the
// job's last run, so one run after any downtime catches up once.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "sandbox/ist_time.hpp"
#include "sandbox/sandbox_types.hpp"

namespace oa::sandbox {

struct ScheduleOptions {
  // MIS positions are closed from this time (IST) until midnight. OpenAlgo's
  // table has no NCO or CRYPTO entry, so MIS positions there were never
  // squared off; NCO closes with MCX here, and CRYPTO at the end of the IST day.
  std::map<std::string, MinuteOfDay, std::less<>> square_off{
      {"NSE", at(15, 15)}, {"BSE", at(15, 15)},   {"NFO", at(15, 15)},   {"BFO", at(15, 15)},
      {"CDS", at(16, 45)}, {"BCD", at(16, 45)},   {"MCX", at(23, 30)},   {"NCDEX", at(17, 0)},
      {"NCO", at(23, 30)}, {"CRYPTO", at(23, 59)}};
  // New MIS orders are refused from square-off until this time the next day.
  MinuteOfDay market_open = at(9, 0);
  std::map<std::string, MinuteOfDay, std::less<>> market_open_by_exchange{{"CRYPTO", at(0, 0)}};
  // A contract counts as expired from its exchange's close on expiry day.
  std::map<std::string, MinuteOfDay, std::less<>> expiry_close{
      {"NFO", at(15, 40)},   {"BFO", at(15, 40)}, {"CDS", at(17, 0)}, {"BCD", at(17, 0)},
      {"MCX", at(23, 30)},   {"NCDEX", at(17, 0)}, {"NCO", at(23, 30)}, {"CRYPTO", at(23, 59)}};
  MinuteOfDay default_expiry_close = at(15, 30);
  bool expire_next_day = false;         // expiry_settlement_timing = next_day
  bool options_expire_worthless = false;  // option_expiry_settlement = zero
  MinuteOfDay settlement_time = at(0, 0);    // T+1 CNC settlement into holdings
  MinuteOfDay session_boundary = at(3, 0);   // SESSION_EXPIRY_TIME: today's P&L resets
  MinuteOfDay snapshot_time = at(23, 59);    // daily P&L snapshot (weekdays)
  std::optional<int> reset_weekday;          // 0 Monday ... 6 Sunday; nullopt is "Never"
  MinuteOfDay reset_time = at(0, 0);
};

// A message naming the first bad value, or nullopt.
std::optional<std::string> check_schedule(const ScheduleOptions& options);

std::optional<MinuteOfDay> square_off_time(const ScheduleOptions& options,
                                           std::string_view exchange);

// IST time of day is at or after the exchange's square-off time.
bool past_square_off(const ScheduleOptions& options, std::string_view exchange,
                     std::int64_t now_ms);

// New MIS exposure is refused: at or after square-off, or before the open.
bool in_mis_blackout(const ScheduleOptions& options, std::string_view exchange,
                     std::int64_t now_ms);

// The contract's expiry date from the first DDMMMYY in its symbol, else from
// the master contract's DD-MMM-YY or DD-MMM-YYYY; nullopt for contracts that
// do not expire (equity, perpetuals).
struct ExpiryDate {
  int year = 0, month = 0, day = 0;
};
std::optional<ExpiryDate> contract_expiry(const Instrument& instrument);

// The instant from which a derivative counts as expired; nullopt when it
// never does or is not a derivative.
std::optional<std::int64_t> expired_from(const ScheduleOptions& options,
                                         const Instrument& instrument);

// A daily job at `minute` IST, last run at `last_run_ms`, is due at `now_ms`.
bool daily_due(std::int64_t last_run_ms, std::int64_t now_ms, MinuteOfDay minute);

// The latest instant <= now at `minute` IST on `weekday` (0 Monday).
std::int64_t last_weekly_boundary(std::int64_t now_ms, int weekday, MinuteOfDay minute);
bool weekly_due(std::int64_t last_run_ms, std::int64_t now_ms, int weekday, MinuteOfDay minute);

// Where today's trading session began: the last SESSION_EXPIRY_TIME boundary.
std::int64_t session_start(const ScheduleOptions& options, std::int64_t now_ms);

bool is_weekend(std::int64_t ms);

}  // namespace oa::sandbox
