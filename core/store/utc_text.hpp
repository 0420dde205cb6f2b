#pragma once
// The store's timestamp text: UTC ISO-8601 with milliseconds, e.g.
// 2025-01-31T09:15:00.123Z, whose text order is time order. The SQL defaults
// (strftime('%Y-%m-%dT%H:%M:%fZ') in SQLite, to_char in PostgreSQL) write the
// same. Instants are milliseconds since the Unix epoch.
//
// Written out by hand rather than through snprintf or fmt: every paper order
// writes several, and interpreting a format string for each was ~7 % of the
// sandbox engine's instructions per order.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace oa::store {

// An instant as its calendar day and the milliseconds into that day (UTC;
// shift the instant first for another fixed offset).
struct CivilTime {
  std::chrono::year_month_day date;
  std::int64_t ms_of_day = 0;
};
CivilTime civil_time(std::int64_t ms);
std::int64_t days_since_epoch(int year, int month, int day);

// `value` as exactly `width` zero-padded digits at the end of `out`; `value` must fit.
void append_digits(std::string& out, std::int64_t value, int width);
// YYYY-MM-DD.
std::string format_iso_date(const std::chrono::year_month_day& date);

std::string format_utc_iso(std::int64_t ms);
std::optional<std::int64_t> parse_utc_iso(std::string_view text);
// The system clock's now, as format_utc_iso writes it.
std::string utc_now_iso();

}  // namespace oa::store
