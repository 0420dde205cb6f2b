// value_maps.hpp — OpenAlgo's vocabulary against SmartAPI's, one table per
// kind of value (brokers.md §3.2). Every value either side may send is listed,
// so a value Angel does not take is refused by name instead of sent through.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "openalgo_sdk/value_map.hpp"

namespace oa::angel {

using sdk::ValueMap;
using sdk::ValuePair;

// Order exchanges: Angel spells them as OpenAlgo does. Index "exchanges" take
// no orders; data requests use the instrument's own exch_seg (brexchange).
inline constexpr ValueMap kExchanges{"exchange", std::array<ValuePair, 6>{{{"NSE", "NSE"},
                                                                           {"BSE", "BSE"},
                                                                           {"NFO", "NFO"},
                                                                           {"BFO", "BFO"},
                                                                           {"CDS", "CDS"},
                                                                           {"MCX", "MCX"}}}};

inline constexpr ValueMap kProducts{
    "product", std::array<ValuePair, 3>{{{"CNC", "DELIVERY"}, {"NRML", "CARRYFORWARD"}, {"MIS", "INTRADAY"}}}};

// GTT rules take DELIVERY and MARGIN only (SmartAPI's GTT documentation).
inline constexpr ValueMap kGttProducts{"GTT product", std::array<ValuePair, 2>{{{"CNC", "DELIVERY"}, {"NRML", "MARGIN"}}}};

// SmartAPI's ordertype for each OpenAlgo price type ...
inline constexpr ValueMap kPriceTypes{"price type", std::array<ValuePair, 4>{{{"MARKET", "MARKET"},
                                                                               {"LIMIT", "LIMIT"},
                                                                               {"SL", "STOPLOSS_LIMIT"},
                                                                               {"SL-M", "STOPLOSS_MARKET"}}}};
// ... and the variety it must travel with: stop-loss orders are their own variety.
inline constexpr ValueMap kVarieties{
    "price type", std::array<ValuePair, 4>{{{"MARKET", "NORMAL"}, {"LIMIT", "NORMAL"}, {"SL", "STOPLOSS"}, {"SL-M", "STOPLOSS"}}}};

inline constexpr ValueMap kActions{"action", std::array<ValuePair, 2>{{{"BUY", "BUY"}, {"SELL", "SELL"}}}};

// OpenAlgo orders carry no validity and mean DAY.
inline constexpr ValueMap kDurations{"validity", std::array<ValuePair, 2>{{{"DAY", "DAY"}, {"IOC", "IOC"}}}};

// Angel's order statuses are lower-case already. The in-flight states
// OpenAlgo passes through raw are an order still working: "open".
inline constexpr ValueMap kOrderStatuses{"order status", std::array<ValuePair, 15>{{
    {"complete", "complete"},
    {"rejected", "rejected"},
    {"cancelled", "cancelled"},
    {"trigger pending", "trigger pending"},
    {"open", "open"},
    {"open", "open pending"},
    {"open", "validation pending"},
    {"open", "put order req received"},
    {"open", "modify validation pending"},
    {"open", "modify pending"},
    {"open", "modified"},
    {"open", "not modified"},
    {"open", "cancel pending"},
    {"open", "not cancelled"},
    {"open", "after market order req received"},
}}};
// A status Angel adds later is still an order in flight.
inline constexpr std::string_view kUnknownStatus = "open";

// The order-status WebSocket's transition codes (websocket.md §6.2); the
// others (AB04 modified, AB06-AB09, AB11) are read from the order's status.
inline constexpr ValueMap kOrderStatusCodes{"order status code", std::array<ValuePair, 5>{{{"open", "AB01"},
                                                                                        {"cancelled", "AB02"},
                                                                                        {"rejected", "AB03"},
                                                                                        {"complete", "AB05"},
                                                                                        {"trigger pending", "AB10"}}}};

// History intervals: OpenAlgo's name, SmartAPI's.
inline constexpr ValueMap kIntervals{"interval", std::array<ValuePair, 8>{{{"1m", "ONE_MINUTE"},
                                                                           {"3m", "THREE_MINUTE"},
                                                                           {"5m", "FIVE_MINUTE"},
                                                                           {"10m", "TEN_MINUTE"},
                                                                           {"15m", "FIFTEEN_MINUTE"},
                                                                           {"30m", "THIRTY_MINUTE"},
                                                                           {"1h", "ONE_HOUR"},
                                                                           {"D", "ONE_DAY"}}}};

// SmartAPI's largest date range (days) per getCandleData request, by its interval.
int history_chunk_days(std::string_view angel_interval);
// The bar length in seconds of a SmartAPI interval (ONE_DAY = 86400).
int interval_seconds(std::string_view angel_interval);

// SmartStream's exchangeType code for an OpenAlgo exchange (indices stream on
// their cash segment), or nullopt for an exchange the feed does not carry.
std::optional<int> stream_exchange_type(std::string_view openalgo_exchange);
// SmartStream wire mode for OpenAlgo's 1 LTP / 2 Quote / 3 Depth (SnapQuote: 5 levels).
int stream_mode(int openalgo_mode);
// What a price on the feed is divided by: paise everywhere except currency
// derivatives, which Angel sends in units of 10^-7 rupee (OpenAlgo divides by
// 100 everywhere; brokers.md §6.2 quirk).
double stream_price_divisor(int exchange_type);

}  // namespace oa::angel
