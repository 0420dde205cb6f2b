#pragma once
// What the engine has learnt of the market, readable from any thread: the
// latest quote of each symbol (ticks and fetched quotes) and the instruments
// it looked up. The engine thread writes it; the account views read it on
// the caller's thread to mark positions without a trip to the engine.
#include <map>
#include <mutex>
#include <optional>

#include "sandbox/event_loop.hpp"
#include "sandbox/sandbox_types.hpp"

namespace oa::sandbox {

class MarketBoard {
 public:
  void set_quote(const SymbolKey& key, const Quote& quote);
  std::optional<Quote> quote(const SymbolKey& key) const;

  void set_instrument(const SymbolKey& key, const Instrument& instrument);
  std::optional<Instrument> instrument(const SymbolKey& key) const;

 private:
  mutable std::mutex mutex_;
  std::map<SymbolKey, Quote> quotes_;
  std::map<SymbolKey, Instrument> instruments_;
};

}  // namespace oa::sandbox
