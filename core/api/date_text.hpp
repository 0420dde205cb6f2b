#pragma once
// Dates as OpenAlgo reads and writes them: request dates "YYYY-MM-DD",
// master-contract expiries "DD-MMM-YY", and market times in IST (UTC+5:30,
// no daylight saving).
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace oa::api {

using Date = std::chrono::year_month_day;

// As marshmallow's Date field with format "%Y-%m-%d" reads it (Python's
// strptime): a four-digit year, a one- or two-digit month and day, a real date.
std::optional<Date> parse_iso_date(std::string_view text);
std::string iso_date_text(Date date);  // "2025-04-01"

// A master-contract expiry, "28-NOV-24" (or "28-NOV-2024"), month in any case.
std::optional<Date> parse_expiry_date(std::string_view text);

Date ist_date(std::chrono::sys_seconds instant);
std::string ist_time_text(std::chrono::sys_seconds instant);  // "09:15:00"

}  // namespace oa::api
