#include "symbols.hpp"

namespace oa::angel {

sdk::Instrument resolve(const sdk::Host& host, std::string_view symbol, std::string_view exchange) {
  auto row = host.find_instrument(0, symbol, exchange);
  if (!row) throw sdk::Error(OA_ERR_NOT_FOUND, "Symbol " + std::string(symbol) + " not found on " + std::string(exchange));
  return *row;
}

std::string openalgo_symbol(const sdk::Host& host, std::string_view token, std::string_view tradingsymbol,
                            std::string_view exchange) {
  if (!token.empty())
    if (auto row = host.find_instrument(1, token, exchange)) return row->symbol;
  if (auto row = host.find_instrument(2, tradingsymbol, exchange)) return row->symbol;
  return std::string(tradingsymbol);
}

}  // namespace oa::angel
