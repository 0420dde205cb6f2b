#include "api/market_data_format.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>

#include <boost/json.hpp>

#include "api/json_text.hpp"

namespace oa::api {
namespace {

namespace json = boost::json;

// Daily-convention bars: timestamps at 00:00 UTC of the trading date.
bool is_daily(std::string_view interval) { return interval == "D" || interval == "W" || interval == "M"; }

int leading_number(const std::string& interval) {
  int value = 0;
  for (char c : interval) {
    if (!std::isdigit(static_cast<unsigned char>(c))) break;
    value = value * 10 + (c - '0');
  }
  return value;
}

json::array sorted_by_leading_number(std::vector<std::string> intervals) {
  std::stable_sort(intervals.begin(), intervals.end(),
                   [](const std::string& a, const std::string& b) { return leading_number(a) < leading_number(b); });
  return json::array(intervals.begin(), intervals.end());
}

std::optional<std::int64_t> timestamp_of(const json::value& candle) {
  const json::value* timestamp = candle.is_object() ? candle.get_object().if_contains("timestamp") : nullptr;
  if (!timestamp || !timestamp->is_number()) return std::nullopt;
  return timestamp->is_double() ? static_cast<std::int64_t>(timestamp->get_double())
                                : timestamp->to_number<std::int64_t>();
}

// The candle with its keys in jsonify's (alphabetical) order and "oi" added when missing.
json::object tidy_candle(const json::object& candle, std::int64_t timestamp) {
  std::vector<std::pair<std::string_view, json::value>> fields;
  for (const auto& [key, value] : candle) fields.emplace_back(key, key == "timestamp" ? json::value(timestamp) : value);
  if (!candle.contains("oi")) fields.emplace_back("oi", 0);
  std::sort(fields.begin(), fields.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  json::object out;
  for (auto& [key, value] : fields) out.emplace(key, std::move(value));
  return out;
}

// Python's str() of a pandas row value: rows mix floats and ints, so pandas
// holds them all as float64.
std::string price_text(const json::value* value) {
  return to_json_text(json::value(value && value->is_number() ? value->to_number<double>() : 0.0));
}

std::string volume_text(const json::value* value) {
  if (!value || !value->is_number()) return "0";
  return std::to_string(value->is_double() ? static_cast<std::int64_t>(value->get_double())
                                           : value->to_number<std::int64_t>());
}

}  // namespace

void pad_depth(json::object& depth) {
  constexpr std::size_t kLevels = 5;
  for (const char* side : {"bids", "asks"}) {
    json::value& levels = depth[side];
    if (levels.is_null()) levels = json::array{};
    if (!levels.is_array()) continue;
    auto& list = levels.get_array();
    while (list.size() < kLevels) list.push_back(json::object{{"price", 0}, {"quantity", 0}});
  }
}

const std::vector<std::string>& history_intervals() {
  static const std::vector<std::string> intervals{"1s", "5s", "10s", "15s", "30s", "45s", "1m", "2m",
                                                  "3m", "5m", "10m", "15m", "20m", "30m", "1h", "2h",
                                                  "3h", "4h", "D",   "W",   "M",   "Q",   "Y"};
  return intervals;
}

std::optional<json::array> tidy_candles(const json::array& candles) {
  std::vector<std::pair<std::int64_t, const json::object*>> ordered;
  ordered.reserve(candles.size());
  for (const auto& candle : candles) {
    auto timestamp = timestamp_of(candle);
    if (!timestamp) return std::nullopt;
    ordered.emplace_back(*timestamp, &candle.get_object());
  }
  std::stable_sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  auto last =
      std::unique(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) { return a.first == b.first; });
  json::array out;
  out.reserve(static_cast<std::size_t>(last - ordered.begin()));
  for (auto it = ordered.begin(); it != last; ++it) out.push_back(tidy_candle(*it->second, it->first));
  return out;
}

json::object interval_groups(const std::vector<std::string>& intervals) {
  std::vector<std::string> seconds, minutes, hours, days, weeks, months;
  for (const auto& interval : intervals) {
    if (interval == "D")
      days.push_back(interval);
    else if (interval == "W")
      weeks.push_back(interval);
    else if (interval == "M")
      months.push_back(interval);
    else if (interval.ends_with('s'))
      seconds.push_back(interval);
    else if (interval.ends_with('m'))
      minutes.push_back(interval);
    else if (interval.ends_with('h'))
      hours.push_back(interval);
  }
  return {{"days", sorted_by_leading_number(days)},       {"hours", sorted_by_leading_number(hours)},
          {"minutes", sorted_by_leading_number(minutes)}, {"months", sorted_by_leading_number(months)},
          {"seconds", sorted_by_leading_number(seconds)}, {"weeks", sorted_by_leading_number(weeks)}};
}

Date ticker_start(std::string_view interval, Date start, Date end) {
  const std::chrono::days reach{is_daily(interval) ? 3650 : 30};
  Date earliest{std::chrono::sys_days(end) - reach};
  return start < earliest ? earliest : start;
}

std::string ticker_text(std::string_view exchange, std::string_view symbol, std::string_view interval,
                        const json::array& candles) {
  const std::string ticker = std::string(exchange) + ":" + std::string(symbol);
  std::string out;
  for (const auto& value : candles) {
    const auto& candle = value.get_object();
    std::chrono::sys_seconds instant{std::chrono::seconds(timestamp_of(value).value_or(0))};
    if (!out.empty()) out += '\n';
    out += ticker + "," + iso_date_text(ist_date(instant));
    if (!is_daily(interval)) out += "," + ist_time_text(instant);
    for (const char* price : {"open", "high", "low", "close"}) out += "," + price_text(candle.if_contains(price));
    out += "," + volume_text(candle.if_contains("volume"));
  }
  return out;
}

}  // namespace oa::api
