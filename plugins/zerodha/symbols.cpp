#include "symbols.hpp"

#include <cmath>
#include <cstdio>

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

std::string text_or(const json::object& request, std::string_view key, std::string_view fallback) {
  const auto* value = request.if_contains(key);
  return value && value->is_string() && !value->get_string().empty() ? std::string(value->get_string())
                                                                      : std::string(fallback);
}

double number_of(const json::value* value) {
  if (!value) return 0;
  if (value->is_number()) return value->to_number<double>();
  if (value->is_string()) {
    std::string text(value->get_string());
    char* end = nullptr;
    double number = std::strtod(text.c_str(), &end);
    if (end != text.c_str() && *end == '\0') return number;
  }
  return 0;
}

std::string number_text(const json::object& request, std::string_view key) {
  const auto* value = request.if_contains(key);
  if (value && value->is_string() && !value->get_string().empty()) return std::string(value->get_string());
  double number = number_of(value);
  if (number == std::floor(number) && std::fabs(number) < 1e15) return std::to_string(static_cast<long long>(number));
  char text[32];
  std::snprintf(text, sizeof text, "%.10g", number);
  return text;
}

}  // namespace oa::zerodha
