#include "symbols.hpp"

namespace oa::zerodha {

sdk::Instrument resolve(const sdk::Host& host, std::string_view symbol, std::string_view exchange) {
  auto row = host.find_instrument(0, symbol, exchange);
  if (!row) throw sdk::Error(OA_ERR_NOT_FOUND, "Symbol " + std::string(symbol) + " not found on " + std::string(exchange));
  return *row;
}

std::string openalgo_symbol(const sdk::Host& host, std::string_view tradingsymbol, std::string_view exchange) {
  auto row = host.find_instrument(2, tradingsymbol, exchange);
  return row ? row->symbol : std::string(tradingsymbol);
}

std::string quote_key(const sdk::Instrument& row) { return row.brexchange + ":" + row.brsymbol; }

std::string instrument_token(const sdk::Instrument& row) { return row.token.substr(0, row.token.find("::::")); }

}  // namespace oa::zerodha
