// symbols.hpp — OpenAlgo symbol <-> Kite tradingsymbol through the host's
// instrument table (filled by master_contract), and the number fields of
// OpenAlgo's request documents, which arrive as numbers or numeric strings.
#pragma once

#include <string>
#include <string_view>

#include "openalgo_plugin.hpp"

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

// A request member that is a non-empty string, else `fallback`.
std::string text_or(const json::object& request, std::string_view key, std::string_view fallback);

// A request member that is a number or a numeric string, as text ("0" when absent).
std::string number_text(const json::object& request, std::string_view key);
double number_of(const json::value* value);

}  // namespace oa::zerodha
