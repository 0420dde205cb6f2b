// market_data.hpp — the simulator's market-data documents (quotes, depth,
// history) and the snapshot that quotes, depth and streamed ticks share, so
// all three agree at the same instant.
#pragma once

#include <array>
#include <boost/json.hpp>
#include <cstdint>
#include <string_view>

#include "instrument_master.hpp"
#include "price_model.hpp"

namespace oa::simulator {

// The history intervals served, in OpenAlgo's notation; NULL-terminated for
// the manifest.
extern const char* const kHistoryIntervals[];
// Enough for a week of 1s bars of an NSE session (6 x 22 500), the widest
// request openalgod's plugin conformance check makes.
inline constexpr std::int64_t kMaxCandles = 150'000;

struct Level {
  double price = 0;
  std::int64_t quantity = 0;
  std::int64_t orders = 0;
};

// The market of one listing at one instant. Indices have no order book:
// their levels, ltq and totals are zero.
struct Snapshot {
  std::int64_t exchange_time_ms = 0;
  double ltp = 0, open = 0, high = 0, low = 0, prev_close = 0, average_price = 0;
  std::int64_t ltq = 0, volume = 0, oi = 0, total_buy_quantity = 0, total_sell_quantity = 0;
  std::array<Level, 5> bids{}, asks{};  // best first
};

Snapshot take_snapshot(const PriceModel& model, const Series& series, const Listing& listing, std::int64_t now_ms);

// {ask, bid, high, low, ltp, open, prev_close, volume, oi}
boost::json::object quote_document(const Snapshot& snapshot);
// {bids[5], asks[5], high, low, ltp, ltq, oi, open, prev_close, totalbuyqty, totalsellqty, volume}
boost::json::object depth_document(const Snapshot& snapshot);

// {"candles": [{timestamp, open, high, low, close, volume, oi}]} for the
// trading days in [start, end] up to `now_ms`. Intraday bars start at the
// session open and are stamped with their true epoch; D, W and M bars with
// 00:00 UTC of their first trading date. Throws oa::sdk::Error
// (INVALID_ARGUMENT) for an unknown interval or more than kMaxCandles bars.
boost::json::object history_document(const PriceModel& model, const Series& series, const Listing& listing,
                                     std::string_view interval, Day start, Day end, std::int64_t now_ms);

}  // namespace oa::simulator
