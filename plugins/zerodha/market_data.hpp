// market_data.hpp — quotes, multiquotes (Kite's 500-instrument batches),
// depth (always 5 levels a side) and history (every Kite interval, the
// range cut into Kite's per-interval limits, chunks meeting without a gap).
#pragma once

#include "kite_client.hpp"

namespace oa::zerodha {

inline constexpr std::size_t kQuoteBatch = 500;  // Kite's limit of instruments per /quote

json::value quotes(KiteClient& kite, const sdk::Call& call, const json::object& request);
json::value multiquotes(KiteClient& kite, const sdk::Call& call, const json::object& request);
json::value depth(KiteClient& kite, const sdk::Call& call, const json::object& request);
json::value history(KiteClient& kite, const sdk::Call& call, const json::object& request);

// "2024-01-05T09:15:00+0530" -> Unix seconds; daily bars (`daily`) become
// 00:00 UTC of their date, as the ABI wants. nullopt when malformed.
std::optional<std::int64_t> candle_time(std::string_view text, bool daily);

}  // namespace oa::zerodha
