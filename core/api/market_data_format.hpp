#pragma once
// How the market-data endpoints shape what a broker plugin answers
// (rest_api.md C.5): depth padded to five levels, tidy candles, the broker's
// intervals grouped by unit, and /ticker's date range and text lines.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/date_text.hpp"

namespace oa::api {

// Depth with at least five bid and five ask levels, missing ones as
// {"price":0,"quantity":0}, as OpenAlgo's brokers pad them.
void pad_depth(boost::json::object& depth);

// OpenAlgo's history intervals (B.6): the choices of the interval field.
const std::vector<std::string>& history_intervals();

// Candles ascending by timestamp, one per timestamp (the first one sent), each
// with "oi" (0 when the broker has none), timestamps as whole epoch seconds.
// nullopt when a candle is not an object with a numeric timestamp.
std::optional<boost::json::array> tidy_candles(const boost::json::array& candles);

// {"seconds":[...],"minutes":[...],"hours":[...],"days":["D"],"weeks":["W"],
// "months":["M"]}, each unit sorted by the interval's leading number.
boost::json::object interval_groups(const std::vector<std::string>& intervals);

// /ticker keeps a request small: D, W and M reach back at most 3650 days from
// `end`, every other interval 30 days. Returns the start to use.
Date ticker_start(std::string_view interval, Date start, Date end);

// /ticker?format=txt: one line per candle, "NSE:SBIN,2025-04-01,o,h,l,c,volume"
// for D, W and M, "NSE:SBIN,2025-04-01,09:15:00,o,h,l,c,volume" otherwise
// (IST), prices as Python floats, joined by '\n' with no newline at the end.
std::string ticker_text(std::string_view exchange, std::string_view symbol, std::string_view interval,
                        const boost::json::array& candles);

}  // namespace oa::api
