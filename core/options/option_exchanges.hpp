#pragma once
// Where an option's underlying is quoted and where its options are listed
// (rest_api.md D.6 steps 2 and 5, C.7.2, C.7.4). Exchange codes are
// case-sensitive, as everywhere in OpenAlgo.
#include <string>
#include <string_view>

namespace oa::options {

// D.6 step 2: for NFO and BFO the index names map to NSE_INDEX / BSE_INDEX and
// other names to the cash market (NSE / BSE); any other exchange is kept.
std::string quote_exchange(std::string_view base, std::string_view exchange);

// D.6 step 5: NSE / NSE_INDEX -> NFO, BSE / BSE_INDEX -> BFO; MCX, CDS, NCO,
// BCD, NCDEX and CRYPTO list options on themselves; anything else -> NFO.
std::string options_exchange(std::string_view quote_exchange);

// MCX, CDS, BCD, NCDEX, NCO list no spot instrument: their options are priced
// against the nearest unexpired future.
bool has_no_spot(std::string_view exchange);

// C.7.4: the exchange whose quote stands for an option's underlying when the
// client names none.
std::string greeks_underlying_exchange(std::string_view base, std::string_view options_exchange);

}  // namespace oa::options
