#include "api/expiry_dates.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>

namespace oa::api {
namespace {

using instruments::Instrument;

// The instrument types each exchange's contracts of a kind carry: the
// normalised FUT/CE/PE and the legacy broker values. Empty: any type (NCO).
std::vector<std::string_view> instrument_types(std::string_view exchange, ContractKind kind) {
  bool futures = kind == ContractKind::Futures;
  if (exchange == "NFO" || exchange == "BFO")
    return futures ? std::vector<std::string_view>{"FUTSTK", "FUTIDX", "FUT"}
                   : std::vector<std::string_view>{"OPTSTK", "OPTIDX", "CE", "PE"};
  if (exchange == "MCX" || exchange == "NCDEX")
    return futures ? std::vector<std::string_view>{"FUTCOM", "FUTENR", "FUT"}
                   : std::vector<std::string_view>{"OPTFUT", "CE", "PE"};
  if (exchange == "CDS" || exchange == "BCD")
    return futures ? std::vector<std::string_view>{"FUTCUR", "FUTIRC", "FUT"}
                   : std::vector<std::string_view>{"OPTCUR", "OPTIRC", "CE", "PE"};
  if (exchange == "CRYPTO")
    return futures ? std::vector<std::string_view>{"FUT", "PERPFUT"} : std::vector<std::string_view>{"CE", "PE"};
  return {};
}

// What may follow the underlying in a symbol, strictest first: '9' a digit,
// 'A' a capital letter, anything else itself; the rest of the symbol is free.
const std::vector<std::string_view>& date_patterns(ContractKind kind) {
  static const std::vector<std::string_view> futures{"99AAA99", "99AAAFUT", "9999AAAFUT", "AAA99FUT", "AAA9999FUT"};
  static const std::vector<std::string_view> options{"99AAA99", "99AAA", "9999AAA", "AAA99", "AAA9999"};
  return kind == ContractKind::Futures ? futures : options;
}

bool starts_with_pattern(std::string_view text, std::string_view pattern) {
  if (text.size() < pattern.size()) return false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    bool ok = pattern[i] == '9'   ? std::isdigit(c) != 0
              : pattern[i] == 'A' ? (c >= 'A' && c <= 'Z')
                                  : text[i] == pattern[i];
    if (!ok) return false;
  }
  return true;
}

std::vector<const Instrument*> candidates(const instruments::InstrumentIndex& index, std::string_view underlying,
                                          std::string_view exchange, ContractKind kind) {
  auto types = instrument_types(exchange, kind);
  std::vector<const Instrument*> out;
  for (const Instrument* row : index.on_exchange(exchange)) {
    bool typed = types.empty() || std::find(types.begin(), types.end(), row->instrumenttype) != types.end();
    if (typed && !row->expiry.empty() && row->symbol.starts_with(underlying)) out.push_back(row);
  }
  return out;
}

// Unreadable dates sort last, and are kept: OpenAlgo cannot tell they passed.
bool earlier(const std::pair<std::optional<Date>, std::string>& a,
             const std::pair<std::optional<Date>, std::string>& b) {
  if (a.first && b.first) return *a.first < *b.first;
  return a.first.has_value() && !b.first.has_value();
}

}  // namespace

std::vector<std::string> expiry_dates(const instruments::InstrumentIndex& index, std::string_view underlying,
                                      std::string_view exchange, ContractKind kind, Date today) {
  auto rows = candidates(index, underlying, exchange, kind);
  std::set<std::string> expiries;
  for (auto pattern : date_patterns(kind)) {
    for (const Instrument* row : rows)
      if (starts_with_pattern(std::string_view(row->symbol).substr(underlying.size()), pattern))
        expiries.insert(row->expiry);
    if (!expiries.empty()) break;
  }
  std::vector<std::pair<std::optional<Date>, std::string>> dated;
  for (const auto& expiry : expiries) {
    auto date = parse_expiry_date(expiry);
    if (!date || *date >= today) dated.emplace_back(date, expiry);
  }
  std::stable_sort(dated.begin(), dated.end(), earlier);
  std::vector<std::string> out;
  out.reserve(dated.size());
  for (auto& [date, text] : dated) out.push_back(std::move(text));
  return out;
}

}  // namespace oa::api
