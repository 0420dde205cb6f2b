#pragma once

#include "store/store.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace oa::store {

// One row of a broker's master contract: OpenAlgo's symtoken columns.
struct Instrument {
  std::string symbol;    // OpenAlgo's symbol
  std::string brsymbol;  // the broker's symbol
  std::string name;
  std::string exchange;  // OpenAlgo's exchange code
  std::string brexchange;
  std::string token;
  std::string expiry;  // as OpenAlgo writes it, e.g. 26-DEC-24
  double strike = 0;
  int lotsize = 0;
  std::string instrumenttype;
  double tick_size = 0;
  double contract_value = 0;

  friend bool operator==(const Instrument&, const Instrument&) = default;
};

// The master contracts of every broker, each replaced whole on download.
class Instruments {
 public:
  // Rows per round trip when writing, and per page when streaming.
  static constexpr std::size_t kBatchSize = 1000;

  explicit Instruments(Store& store) : store_(store) {}

  // Replaces every instrument of `broker` in one transaction: readers see the
  // old list or the new one, never a mix. Throws std::invalid_argument for an
  // empty list, which is far likelier a failed download than a broker with
  // nothing to trade, and leaves the old list in place.
  void replace_for_broker(const std::string& broker, const std::vector<Instrument>& instruments);

  std::int64_t count(const std::string& broker) const;

  // The first instrument stored with this symbol and exchange.
  std::optional<Instrument> find(const std::string& symbol, const std::string& exchange) const;

  // Calls `visit` on each instrument of `broker` in storage order, holding
  // one page in memory at a time, all from one snapshot of the table.
  void for_each(const std::string& broker,
                const std::function<void(const Instrument&)>& visit) const;

 private:
  Store& store_;
};

}  // namespace oa::store
