#include "options/option_chain_index.hpp"

#include <algorithm>

#include "options/option_symbols.hpp"

namespace oa::options {
namespace {

std::string strikes_key(std::string_view exchange, std::string_view type, std::string_view expiry_code,
                        std::string_view base) {
  std::string key;
  key.reserve(exchange.size() + type.size() + expiry_code.size() + base.size() + 3);
  key.append(exchange).append("|").append(type).append("|").append(expiry_code).append("|").append(base);
  return key;
}

std::string futures_key(std::string_view exchange, std::string_view base) {
  return std::string(exchange) + "|" + std::string(base);
}

}  // namespace

OptionChainIndex::OptionChainIndex(std::shared_ptr<const instruments::InstrumentIndex> master)
    : master_(std::move(master)) {
  if (!master_) return;
  for (const auto& row : master_->rows()) {
    if (row.instrumenttype == "CE" || row.instrumenttype == "PE")
      add_option(row);
    else if (row.instrumenttype == "FUT")
      add_future(row);
  }
  for (auto& [_, list] : strikes_) {
    std::sort(list.begin(), list.end());
    list.erase(std::unique(list.begin(), list.end()), list.end());
  }
  for (auto& [_, list] : futures_)
    std::stable_sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
}

// The base is what precedes the expiry code in the symbol, so the group is
// the one OpenAlgo's LIKE '<base><expiry>%<type>' query finds.
void OptionChainIndex::add_option(const instruments::Instrument& row) {
  auto expiry = parse_master_expiry(row.expiry);
  if (!expiry || !row.symbol.ends_with(row.instrumenttype)) return;
  const std::string code = expiry_code(*expiry);
  const auto at = row.symbol.find(code);
  if (at == std::string::npos || at == 0 || at + code.size() + row.instrumenttype.size() > row.symbol.size()) return;
  strikes_[strikes_key(row.exchange, row.instrumenttype, code, std::string_view(row.symbol).substr(0, at))].push_back(
      row.strike);
}

void OptionChainIndex::add_future(const instruments::Instrument& row) {
  auto expiry = parse_master_expiry(row.expiry);
  if (!expiry) return;
  auto underlying = parse_underlying(row.symbol);
  if (!underlying.expiry || underlying.base + *underlying.expiry + "FUT" != row.symbol) return;
  futures_[futures_key(row.exchange, underlying.base)].emplace_back(*expiry, &row);
}

const instruments::Instrument* OptionChainIndex::find(std::string_view symbol, std::string_view exchange) const {
  return master_ ? master_->by_symbol(symbol, exchange) : nullptr;
}

const std::vector<double>& OptionChainIndex::strikes(std::string_view base, std::string_view expiry_code,
                                                     OptionType type, std::string_view exchange) const {
  static const std::vector<double> none;
  auto found = strikes_.find(strikes_key(exchange, type_code(type), expiry_code, base));
  return found == strikes_.end() ? none : found->second;
}

const instruments::Instrument* OptionChainIndex::nearest_future(std::string_view base, std::string_view exchange,
                                                                const ExpiryDate& today) const {
  auto found = futures_.find(futures_key(exchange, base));
  if (found == futures_.end()) return nullptr;
  for (const auto& [expiry, row] : found->second)
    if (expiry >= today) return row;
  return nullptr;
}

std::shared_ptr<const OptionChainIndex> OptionChainCache::index_for(
    const std::string& broker, std::shared_ptr<const instruments::InstrumentIndex> master) {
  std::lock_guard lock(mutex_);
  auto& cached = by_broker_[broker];
  if (!cached || cached->master() != master.get()) cached = std::make_shared<const OptionChainIndex>(std::move(master));
  return cached;
}

}  // namespace oa::options
