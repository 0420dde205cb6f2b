#include "instruments/instrument_index.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <tuple>

namespace oa::instruments {
namespace {

std::string upper(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// `needle` is upper case already.
bool contains_ignoring_case(std::string_view haystack, std::string_view needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(), [](char a, char b) {
           return static_cast<char>(std::toupper(static_cast<unsigned char>(a))) == b;
         }) != haystack.end();
}

// Python's float(term), for matching a term against strikes.
std::optional<double> as_number(const std::string& term) {
  char* end = nullptr;
  double value = std::strtod(term.c_str(), &end);
  if (end != term.c_str() + term.size() || std::isnan(value)) return std::nullopt;
  return value;
}

struct SearchTerm {
  std::string text;  // upper case
  std::optional<double> number;
};

std::vector<SearchTerm> search_terms(std::string_view query) {
  std::vector<SearchTerm> terms;
  std::size_t at = 0;
  while (at < query.size()) {
    while (at < query.size() && std::isspace(static_cast<unsigned char>(query[at]))) ++at;
    std::size_t end = at;
    while (end < query.size() && !std::isspace(static_cast<unsigned char>(query[end]))) ++end;
    if (end > at) {
      auto text = upper(query.substr(at, end - at));
      auto number = as_number(text);
      terms.push_back({std::move(text), number});
    }
    at = end;
  }
  return terms;
}

bool term_matches(const Instrument& row, const SearchTerm& term) {
  return contains_ignoring_case(row.symbol, term.text) || contains_ignoring_case(row.brsymbol, term.text) ||
         contains_ignoring_case(row.name, term.text) || row.token.find(term.text) != std::string::npos ||
         (term.number && row.strike != 0 && *term.number == row.strike);
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

}  // namespace

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
    by_exchange_[row.exchange].push_back(i);
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

std::vector<const Instrument*> InstrumentIndex::on_exchange(std::string_view exchange) const {
  std::vector<const Instrument*> out;
  auto found = by_exchange_.find(std::string(exchange));
  if (found == by_exchange_.end()) return out;
  out.reserve(found->second.size());
  for (auto position : found->second) out.push_back(&rows_[position]);
  return out;
}

std::vector<const Instrument*> InstrumentIndex::search(std::string_view query, std::string_view exchange,
                                                       std::size_t limit) const {
  const auto terms = search_terms(query);
  if (terms.empty()) return {};
  const auto whole_query = upper(trimmed(query));
  // (rank, symbol length, upper-case symbol, master order, row): sorted as a
  // tuple, the row never decides as master order is unique.
  using Scored = std::tuple<int, std::size_t, std::string, std::size_t, const Instrument*>;
  std::vector<Scored> scored;
  auto consider = [&](const Instrument& row, std::size_t position) {
    bool every_term_in_symbol = true;
    for (const auto& term : terms) {
      if (!term_matches(row, term)) return;
      every_term_in_symbol = every_term_in_symbol && contains_ignoring_case(row.symbol, term.text);
    }
    auto symbol = upper(row.symbol);
    int rank = symbol == whole_query ? 0 : symbol.starts_with(whole_query) ? 1 : every_term_in_symbol ? 2 : 3;
    scored.emplace_back(rank, symbol.size(), std::move(symbol), position, &row);
  };
  if (exchange.empty()) {
    for (std::size_t i = 0; i < rows_.size(); ++i) consider(rows_[i], i);
  } else if (auto found = by_exchange_.find(std::string(exchange)); found != by_exchange_.end()) {
    for (auto position : found->second) consider(rows_[position], position);
  }
  auto kept = std::min(limit, scored.size());
  std::partial_sort(scored.begin(), scored.begin() + static_cast<std::ptrdiff_t>(kept), scored.end());
  std::vector<const Instrument*> out;
  out.reserve(kept);
  for (std::size_t i = 0; i < kept; ++i) out.push_back(std::get<4>(scored[i]));
  return out;
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
