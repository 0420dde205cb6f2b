#include "sandbox/market_board.hpp"

namespace oa::sandbox {

void MarketBoard::set_quote(const SymbolKey& key, const Quote& quote) {
  std::lock_guard lock(mutex_);
  quotes_[key] = quote;
}

std::optional<Quote> MarketBoard::quote(const SymbolKey& key) const {
  std::lock_guard lock(mutex_);
  const auto found = quotes_.find(key);
  if (found == quotes_.end()) return std::nullopt;
  return found->second;
}

void MarketBoard::set_instrument(const SymbolKey& key, const Instrument& instrument) {
  std::lock_guard lock(mutex_);
  instruments_[key] = instrument;
}

std::optional<Instrument> MarketBoard::instrument(const SymbolKey& key) const {
  std::lock_guard lock(mutex_);
  const auto found = instruments_.find(key);
  if (found == instruments_.end()) return std::nullopt;
  return found->second;
}

}  // namespace oa::sandbox
