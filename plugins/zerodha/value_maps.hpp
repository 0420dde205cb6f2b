// value_maps.hpp — OpenAlgo's vocabulary against Kite Connect's, one table per
// kind of value (brokers.md §3.1). Most values are spelled the same on both
// sides; the tables still list each one, so a value Kite does not take is
// refused by name instead of being sent through.
#pragma once

#include <string_view>

#include "openalgo_sdk/value_map.hpp"

namespace oa::zerodha {

using sdk::ValueMap;
using sdk::ValuePair;

// Order exchanges. Index "exchanges" take no orders; their data requests use
// the instrument's own Kite exchange (brexchange) instead.
inline constexpr ValueMap kExchanges{"exchange", std::array<ValuePair, 7>{{{"NSE", "NSE"},
                                                                           {"BSE", "BSE"},
                                                                           {"NFO", "NFO"},
                                                                           {"BFO", "BFO"},
                                                                           {"CDS", "CDS"},
                                                                           {"BCD", "BCD"},
                                                                           {"MCX", "MCX"}}}};

inline constexpr ValueMap kProducts{"product", std::array<ValuePair, 3>{{{"CNC", "CNC"}, {"NRML", "NRML"}, {"MIS", "MIS"}}}};

inline constexpr ValueMap kPriceTypes{
    "price type", std::array<ValuePair, 4>{{{"MARKET", "MARKET"}, {"LIMIT", "LIMIT"}, {"SL", "SL"}, {"SL-M", "SL-M"}}}};

inline constexpr ValueMap kActions{"action", std::array<ValuePair, 2>{{{"BUY", "BUY"}, {"SELL", "SELL"}}}};

// OpenAlgo orders carry no validity and mean DAY; the table says what Kite takes.
inline constexpr ValueMap kValidities{"validity", std::array<ValuePair, 3>{{{"DAY", "DAY"}, {"IOC", "IOC"}, {"TTL", "TTL"}}}};

// Kite's order statuses. OpenAlgo's own map stops at five and leaves the
// intermediate states unmapped (brokers.md §3.1 quirk); every state Kite
// documents is listed here, the in-flight ones as "open".
inline constexpr ValueMap kOrderStatuses{"order status", std::array<ValuePair, 14>{{
    {"complete", "COMPLETE"},
    {"rejected", "REJECTED"},
    {"cancelled", "CANCELLED"},
    {"trigger pending", "TRIGGER PENDING"},
    {"open", "OPEN"},
    {"open", "OPEN PENDING"},
    {"open", "VALIDATION PENDING"},
    {"open", "PUT ORDER REQ RECEIVED"},
    {"open", "MODIFY VALIDATION PENDING"},
    {"open", "MODIFY PENDING"},
    {"open", "MODIFIED"},
    {"open", "CANCEL PENDING"},
    {"open", "AMO REQ RECEIVED"},
    {"open", "UPDATE"},
}}};
// A status Kite adds later is still an order in flight.
inline constexpr std::string_view kUnknownStatus = "open";

// History intervals: OpenAlgo's name, Kite's name.
inline constexpr ValueMap kIntervals{"interval", std::array<ValuePair, 9>{{{"1m", "minute"},
                                                                           {"3m", "3minute"},
                                                                           {"5m", "5minute"},
                                                                           {"10m", "10minute"},
                                                                           {"15m", "15minute"},
                                                                           {"30m", "30minute"},
                                                                           {"60m", "60minute"},
                                                                           {"1h", "60minute"},
                                                                           {"D", "day"}}}};

// Kite's largest date range per historical request, by Kite interval.
int history_chunk_days(std::string_view kite_interval);

// Stream modes: OpenAlgo's 1/2/3 and Kite's mode names.
std::string_view kite_mode(int openalgo_mode);

}  // namespace oa::zerodha
