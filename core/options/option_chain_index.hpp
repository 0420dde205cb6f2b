#pragma once
// A broker's option contracts grouped for the option services: the listed
// strikes of one underlying, expiry and side, and the nearest future of an
// underlying. Built once from a master-contract snapshot, then immutable.
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "instruments/instrument_index.hpp"
#include "options/black_scholes.hpp"
#include "options/option_expiry.hpp"

namespace oa::options {

class OptionChainIndex {
 public:
  // A null master (none downloaded yet) lists nothing.
  explicit OptionChainIndex(std::shared_ptr<const instruments::InstrumentIndex> master);

  const instruments::InstrumentIndex* master() const { return master_.get(); }
  // The row with this symbol on this exchange, or null.
  const instruments::Instrument* find(std::string_view symbol, std::string_view exchange) const;

  // D.6 step 6: the distinct strikes, ascending, of the rows on `exchange` of
  // instrument type CE or PE whose symbol is <base><expiry_code>…<CE|PE> and
  // whose expiry column is that date.
  const std::vector<double>& strikes(std::string_view base, std::string_view expiry_code, OptionType type,
                                     std::string_view exchange) const;

  // C.7.2: the future exactly <base><DDMMMYY>FUT on `exchange` with the
  // earliest expiry on or after `today`; null when there is none.
  const instruments::Instrument* nearest_future(std::string_view base, std::string_view exchange,
                                                const ExpiryDate& today) const;

 private:
  void add_option(const instruments::Instrument& row);
  void add_future(const instruments::Instrument& row);

  std::shared_ptr<const instruments::InstrumentIndex> master_;    // owns the rows pointed to below
  std::unordered_map<std::string, std::vector<double>> strikes_;  // exchange|type|expiry code|base
  std::unordered_map<std::string, std::vector<std::pair<ExpiryDate, const instruments::Instrument*>>>
      futures_;  // exchange|base -> by expiry
};

// The index of each broker's current master, rebuilt when the master is
// replaced. Thread-safe.
class OptionChainCache {
 public:
  std::shared_ptr<const OptionChainIndex> index_for(const std::string& broker,
                                                    std::shared_ptr<const instruments::InstrumentIndex> master);

 private:
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const OptionChainIndex>> by_broker_;
};

}  // namespace oa::options
