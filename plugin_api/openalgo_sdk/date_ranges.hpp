// date_ranges.hpp — calendar dates for history requests: parsing OpenAlgo's
// YYYY-MM-DD, and splitting a range into the broker's largest allowed chunks
// so that the chunks meet end to start with no day left out.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "openalgo_plugin.hpp"

namespace oa::sdk {

using Date = std::chrono::sys_days;

inline std::optional<Date> parse_date(std::string_view text) {
  int year = 0;
  unsigned month = 0, day = 0;
  char tail = 0;
  if (text.size() != 10 || std::sscanf(std::string(text).c_str(), "%4d-%2u-%2u%c", &year, &month, &day, &tail) != 3)
    return std::nullopt;
  std::chrono::year_month_day ymd{std::chrono::year(year), std::chrono::month(month), std::chrono::day(day)};
  if (!ymd.ok()) return std::nullopt;
  return Date(ymd);
}

inline std::string format_date(Date date) {
  std::chrono::year_month_day ymd(date);
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day()));
  return text;
}

// A request field holding a date, or Error(OA_ERR_INVALID_ARGUMENT).
inline Date date_field(const json::object& request, std::string_view key) {
  auto text = text_field(request, key);
  auto date = parse_date(text);
  if (!date) throw Error(OA_ERR_INVALID_ARGUMENT, "'" + std::string(key) + "' must be a date YYYY-MM-DD, not '" +
                                                      std::string(text) + "'");
  return *date;
}

struct DateRange {
  Date first, last;  // both inclusive
};

// [first, last] in chunks of at most `max_days` days each, in order. Empty
// when last < first.
inline std::vector<DateRange> split_dates(Date first, Date last, int max_days) {
  std::vector<DateRange> chunks;
  if (max_days < 1) max_days = 1;
  for (Date start = first; start <= last; start += std::chrono::days(max_days)) {
    Date end = start + std::chrono::days(max_days - 1);
    chunks.push_back({start, end < last ? end : last});
  }
  return chunks;
}

}  // namespace oa::sdk
