#pragma once
// The expiry dates /expiry lists (rest_api.md C.6.3), read from the master
// contract.
#include <string>
#include <string_view>
#include <vector>

#include "api/date_text.hpp"
#include "instruments/instrument_index.hpp"

namespace oa::api {

enum class ContractKind { Futures, Options };

// The distinct expiries ("DD-MMM-YY") of `underlying`'s futures or options on
// `exchange` (an F&O exchange), earliest first, none before `today`.
// `underlying` is upper case. A contract counts when its symbol is the
// underlying followed by a date (NIFTY28NOV24...), so NIFTY does not collect
// NIFTYNXT50's expiries; brokers whose symbols carry the date differently are
// matched by looser patterns when the strict one finds nothing.
std::vector<std::string> expiry_dates(const instruments::InstrumentIndex& index, std::string_view underlying,
                                      std::string_view exchange, ContractKind kind, Date today);

}  // namespace oa::api
