#pragma once
// Option expiries: the DDMMMYY code inside symbols and requests (28NOV25), the
// DD-MMM-YY text of the instrument master (28-NOV-25), and the instant an
// option stops having time value: the expiry day at the exchange's cut-off,
// India Standard Time (UTC+05:30, no daylight saving).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace oa::options {

struct ExpiryDate {
  int year = 0;
  unsigned month = 0;  // 1..12
  unsigned day = 0;    // 1..31
  friend bool operator==(const ExpiryDate&, const ExpiryDate&) = default;
  friend auto operator<=>(const ExpiryDate&, const ExpiryDate&) = default;
};

// "28NOV25" in any case; nullopt unless two digits, a month name and two
// digits (20YY) that make a real date.
std::optional<ExpiryDate> parse_expiry_code(std::string_view code);
// "28-NOV-25" in any case, the master's expiry column.
std::optional<ExpiryDate> parse_master_expiry(std::string_view text);
std::string expiry_code(const ExpiryDate& date);     // "28NOV25"
std::string display_expiry(const ExpiryDate& date);  // "28-Nov-2025", as OpenAlgo's Greeks answer

struct ClockTime {
  int hour = 15;
  int minute = 30;
};

// The exchange's expiry cut-off, IST: CDS 12:30, MCX 23:30, NFO, BFO and
// everything else 15:30 (rest_api.md C.7.2).
ClockTime expiry_cutoff(std::string_view exchange);
// "HH:MM", a client's override of the cut-off. Throws std::invalid_argument
// with OpenAlgo's messages.
ClockTime parse_clock_time(std::string_view text);

// Unix seconds of `time` IST on `date`.
std::int64_t ist_epoch_seconds(const ExpiryDate& date, ClockTime time);
// The IST calendar date at a Unix instant.
ExpiryDate ist_date(std::int64_t epoch_seconds);

struct TimeToExpiry {
  double years = 0;  // in 365-day years
  double days = 0;
  bool expired() const { return years <= 0; }
};

// From `now` to the expiry instant; zero once it has passed. Before that never
// less than 0.0001 years (about 53 minutes), OpenAlgo's floor that keeps the
// model away from zero time.
TimeToExpiry time_to_expiry(std::int64_t expiry_epoch_seconds, double now_epoch_seconds);

}  // namespace oa::options
