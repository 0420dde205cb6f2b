#include "sandbox/segments.hpp"

#include <algorithm>
#include <array>

namespace oa::sandbox {
namespace {

constexpr std::array<std::string_view, 8> kDerivativeExchanges{"NFO", "BFO", "MCX", "CDS",
                                                                "BCD", "NCDEX", "NCO", "CRYPTO"};

bool contains(auto const& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::optional<ContractKind> kind_from_type(std::string_view type) {
  if (type == "CE" || type == "PE" || type.starts_with("OPT")) return ContractKind::Option;
  if (type.starts_with("FUT") || ends_with(type, "FUT")) return ContractKind::Future;
  return std::nullopt;
}

}  // namespace

bool is_equity_exchange(std::string_view exchange) {
  return exchange == "NSE" || exchange == "BSE";
}

bool is_derivative_exchange(std::string_view exchange) {
  return contains(kDerivativeExchanges, exchange);
}

ContractKind contract_kind(const Instrument& instrument) {
  if (is_equity_exchange(instrument.exchange)) return ContractKind::Equity;
  if (!is_derivative_exchange(instrument.exchange)) return ContractKind::Other;
  if (auto kind = kind_from_type(instrument.instrument_type)) return *kind;
  const std::string_view symbol = instrument.symbol;
  if (ends_with(symbol, "CE") || ends_with(symbol, "PE")) return ContractKind::Option;
  if (instrument.exchange == "CRYPTO" || ends_with(symbol, "FUT")) return ContractKind::Future;
  return ContractKind::Other;
}

}  // namespace oa::sandbox
