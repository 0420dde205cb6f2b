#pragma once
// OpenAlgo's Greeks answers built from prices already fetched (rest_api.md
// C.7.2, C.7.4, C.7.5): Black-76 on the forward, rate in percent (default 0),
// time to the exchange's expiry cut-off in 365-day years. Pure: no I/O.
#include <optional>
#include <string>

#include <boost/json/object.hpp>

#include "options/option_expiry.hpp"
#include "options/option_symbols.hpp"

namespace oa::api {

struct GreeksRequest {
  std::string symbol;  // as sent
  std::string exchange;
  options::OptionSymbol option;
  options::ClockTime cutoff;  // the exchange's, or the client's expiry_time
  double forward = 0;         // the underlying price the model uses
  double option_price = 0;
  std::optional<double> interest_rate;  // percent; absent reads as 0
  double now_epoch_seconds = 0;
};

struct GreeksReport {
  int status = 200;
  boost::json::object body;  // the success body, or {"status":"error","message":...}
  bool expired = false;      // failed only because the option has expired
};

// C.7.4: IV and Greeks; at or near zero time value (or when the IV has no
// solution) the theoretical Greeks with a note instead of an error.
GreeksReport greeks_report(const GreeksRequest& request);

// C.7.5: what multioptiongreeks reports for an expired option: success, zero
// Greeks, a note.
boost::json::object expired_greeks_report(const GreeksRequest& request);

// The figures one leg of an option chain carries (C.7.2).
struct LegGreeks {
  boost::json::value implied_volatility, delta, gamma, theta, vega;
};

// None when the leg has no price (or no strike): the chain then omits the fields.
std::optional<LegGreeks> chain_leg_greeks(options::OptionType type, double strike, double price, double forward,
                                          double years, double rate_percent);

}  // namespace oa::api
