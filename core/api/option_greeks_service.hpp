#pragma once
// IV and Greeks of options named by symbol (rest_api.md C.7.4, C.7.5), priced
// off the forward: the client's forward_price, else the per-expiry synthetic
// future, else the underlying's LTP. Asynchronous; nothing here waits.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "api/option_greeks_report.hpp"
#include "api/options_market.hpp"

namespace oa::api {

struct GreeksQuery {
  std::string symbol;                   // an option symbol, e.g. NIFTY28NOV2424000CE
  std::string exchange;                 // its F&O exchange
  std::optional<double> interest_rate;  // percent
  std::optional<double> forward_price;  // skips every underlying quote when non-zero
  std::optional<std::string> underlying_symbol, underlying_exchange;
  std::optional<std::string> expiry_time;  // HH:MM, overrides the exchange's cut-off
};

// C.7.4: the report, or an error in OpenAlgo's words and status.
void single_option_greeks(const MarketView& view, GreeksQuery query, std::function<void(GreeksReport)> done);

// C.7.5: one result per query in request order, a summary, and a status of
// success, partial or error; always answered with 200. The per-query
// interest_rate and expiry_time are the batch's.
void multi_option_greeks(const MarketView& view, std::vector<GreeksQuery> queries,
                         std::function<void(boost::json::object)> done);

}  // namespace oa::api
