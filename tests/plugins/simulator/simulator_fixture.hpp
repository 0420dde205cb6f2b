// simulator_fixture.hpp — what the simulator's test cases share: a fixed
// market clock, and readers for the plugin's documents.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "fake_host.hpp"

namespace oa::test {

namespace json = boost::json;

// Wednesday 19 Nov 2025, 11:00:30 IST: the NSE session is open. The month's
// last Tuesday is the 25th.
inline const std::int64_t kSessionOpen = ist_ms(2025, 11, 19, 11, 0, 30);

inline double number(const json::value& value) { return value.to_number<double>(); }
inline double number(const json::value& document, std::string_view key) { return number(document.at(key)); }

inline std::vector<const oa::sdk::Instrument*> rows_on(const Outcome& master, std::string_view exchange) {
  std::vector<const oa::sdk::Instrument*> rows;
  for (const auto& row : master.rows)
    if (row.exchange == exchange) rows.push_back(&row);
  return rows;
}

inline const oa::sdk::Instrument* row_named(const Outcome& master, std::string_view symbol, std::string_view exchange) {
  for (const auto& row : master.rows)
    if (row.symbol == symbol && row.exchange == exchange) return &row;
  return nullptr;
}

inline json::array candles(const Outcome& history) { return history.document().at("candles").as_array(); }

}  // namespace oa::test
