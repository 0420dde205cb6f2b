#pragma once
// An immutable in-memory index of one broker's master contract: lookups by
// OpenAlgo symbol, broker token and broker symbol, each with the OpenAlgo
// exchange (case-sensitive, as in OpenAlgo). Built once per download and
// swapped in whole, so readers never see a half-built table.
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/instruments.hpp"

namespace oa::instruments {

using Instrument = store::Instrument;

class InstrumentIndex {
 public:
  explicit InstrumentIndex(std::vector<Instrument> rows);

  const Instrument* by_symbol(std::string_view symbol, std::string_view exchange) const;
  const Instrument* by_token(std::string_view token, std::string_view exchange) const;
  const Instrument* by_brsymbol(std::string_view brsymbol, std::string_view exchange) const;
  const std::vector<Instrument>& rows() const { return rows_; }
  std::size_t size() const { return rows_.size(); }
  // The 1-based position of a row of this index: OpenAlgo's symtoken id.
  std::int64_t id_of(const Instrument& row) const { return &row - rows_.data() + 1; }

  // The rows of one exchange, in master-contract order.
  std::vector<const Instrument*> on_exchange(std::string_view exchange) const;

  // OpenAlgo's symbol search (rest_api.md C.6.2). A row matches when every
  // whitespace-separated term of `query` is inside its symbol, broker symbol or
  // name (ignoring case) or its token, or, for a numeric term, equals its
  // strike. Best first: the symbol equals the query, starts with it, holds
  // every term, the rest; then shorter symbols, then by symbol. At most
  // `limit` rows; `exchange` empty searches every exchange.
  std::vector<const Instrument*> search(std::string_view query, std::string_view exchange, std::size_t limit) const;

 private:
  using Keyed = std::unordered_map<std::string, std::size_t>;
  static std::string key(std::string_view exchange, std::string_view value);
  const Instrument* find(const Keyed& map, std::string_view exchange, std::string_view value) const;

  std::vector<Instrument> rows_;
  Keyed by_symbol_, by_token_, by_brsymbol_;
  std::unordered_map<std::string, std::vector<std::size_t>> by_exchange_;  // exchange -> row positions
};

// The current index of every broker. Thread-safe; readers keep the snapshot
// they got for as long as they use it.
class InstrumentTable {
 public:
  std::shared_ptr<const InstrumentIndex> current(const std::string& broker) const;
  void replace(const std::string& broker, std::shared_ptr<const InstrumentIndex> index);

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const InstrumentIndex>> indexes_;
};

}  // namespace oa::instruments
