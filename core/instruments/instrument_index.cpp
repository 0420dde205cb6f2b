#include "instruments/instrument_index.hpp"

namespace oa::instruments {

std::string InstrumentIndex::key(std::string_view exchange, std::string_view value) {
  std::string out;
  out.reserve(exchange.size() + value.size() + 1);
  out.append(exchange).push_back('|');
  out.append(value);
  return out;
}

InstrumentIndex::InstrumentIndex(std::vector<Instrument> rows) : rows_(std::move(rows)) {
  by_symbol_.reserve(rows_.size());
  by_token_.reserve(rows_.size());
  by_brsymbol_.reserve(rows_.size());
  // emplace keeps the first row for a duplicated key, as OpenAlgo's lookups return the first match.
  for (std::size_t i = 0; i < rows_.size(); ++i) {
    const auto& row = rows_[i];
    by_symbol_.emplace(key(row.exchange, row.symbol), i);
    if (!row.token.empty()) by_token_.emplace(key(row.exchange, row.token), i);
    if (!row.brsymbol.empty()) by_brsymbol_.emplace(key(row.exchange, row.brsymbol), i);
  }
}

const Instrument* InstrumentIndex::find(const Keyed& map, std::string_view exchange, std::string_view value) const {
  auto found = map.find(key(exchange, value));
  return found == map.end() ? nullptr : &rows_[found->second];
}

const Instrument* InstrumentIndex::by_symbol(std::string_view symbol, std::string_view exchange) const {
  return find(by_symbol_, exchange, symbol);
}

const Instrument* InstrumentIndex::by_token(std::string_view token, std::string_view exchange) const {
  return find(by_token_, exchange, token);
}

const Instrument* InstrumentIndex::by_brsymbol(std::string_view brsymbol, std::string_view exchange) const {
  return find(by_brsymbol_, exchange, brsymbol);
}

std::shared_ptr<const InstrumentIndex> InstrumentTable::current(const std::string& broker) const {
  std::lock_guard lock(mutex_);
  auto found = indexes_.find(broker);
  return found == indexes_.end() ? nullptr : found->second;
}

void InstrumentTable::replace(const std::string& broker, std::shared_ptr<const InstrumentIndex> index) {
  std::lock_guard lock(mutex_);
  indexes_[broker] = std::move(index);
}

}  // namespace oa::instruments
