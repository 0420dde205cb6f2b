// symbols.hpp — OpenAlgo symbols against Angel's tradingsymbol and token,
// through the host's instrument table (filled by master_contract).
#pragma once

#include <string>
#include <string_view>

#include "openalgo_plugin.hpp"

namespace oa::angel {

// The instrument row of an OpenAlgo symbol, or Error(OA_ERR_NOT_FOUND).
sdk::Instrument resolve(const sdk::Host& host, std::string_view symbol, std::string_view exchange);

// The OpenAlgo symbol of an Angel token on an OpenAlgo exchange; Angel's
// tradingsymbol when the table does not know the token.
std::string openalgo_symbol(const sdk::Host& host, std::string_view token, std::string_view tradingsymbol,
                            std::string_view exchange);

}  // namespace oa::angel
