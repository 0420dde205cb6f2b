#pragma once
// The option chain of one underlying and expiry (rest_api.md C.7.2): the
// listed strikes around the at-the-money one, each side labelled and quoted
// with one multiquotes call, optionally with IV and Greeks (Black-76 on the
// forward implied by the ATM pair). Asynchronous; nothing here waits.
#include <cstddef>
#include <functional>
#include <optional>
#include <string>

#include <boost/json/object.hpp>

#include "api/options_market.hpp"

namespace oa::api {

struct ChainQuery {
  std::string underlying;  // as sent; an embedded expiry wins over expiry_date
  std::string exchange;
  std::string expiry_date;                  // DDMMMYY
  std::optional<std::size_t> strike_count;  // strikes each side of ATM; all when empty
  bool with_greeks = false;
  std::optional<double> interest_rate;  // percent, Greeks only
};

struct ChainAnswer {
  int status = 200;
  boost::json::object body;  // the chain, or {"status":"error","message":...}
};

void option_chain(const MarketView& view, ChainQuery query, std::function<void(ChainAnswer)> done);

}  // namespace oa::api
