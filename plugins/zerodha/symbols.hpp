// symbols.hpp — OpenAlgo symbol <-> Kite tradingsymbol through the host's
// instrument table (filled by master_contract).
#pragma once

#include <string>
#include <string_view>

#include "openalgo_plugin.hpp"
#include "openalgo_sdk/numbers.hpp"

namespace oa::zerodha {

namespace json = boost::json;

// The instrument row of an OpenAlgo symbol, or Error(OA_ERR_NOT_FOUND).
sdk::Instrument resolve(const sdk::Host& host, std::string_view symbol, std::string_view exchange);

// The OpenAlgo symbol of a Kite tradingsymbol on an OpenAlgo exchange; the
// tradingsymbol itself when the table does not know it.
std::string openalgo_symbol(const sdk::Host& host, std::string_view tradingsymbol, std::string_view exchange);

// Kite's "EXCHANGE:tradingsymbol" instrument key for quotes.
std::string quote_key(const sdk::Instrument& row);

// The Kite instrument_token of a row (the token column is "instrument_token::::exchange_token").
std::string instrument_token(const sdk::Instrument& row);

// Request and answer numbers, shared with the other plugins through the SDK.
using sdk::number_of;
using sdk::number_text;
using sdk::text_or;

}  // namespace oa::zerodha
