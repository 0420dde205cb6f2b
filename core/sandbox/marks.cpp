#include "sandbox/marks.hpp"

#include "sandbox/books.hpp"
#include "sandbox/positions.hpp"

namespace oa::sandbox {
namespace {

SymbolKey symbol_of(const Position& position) { return {position.key.symbol, position.key.exchange}; }

double ltp_or(const Marks& marks, const SymbolKey& key, double stored_ltp) {
  const auto found = marks.find(key);
  return found != marks.end() && found->second.ltp ? *found->second.ltp : stored_ltp;
}

double contract_value(const Marks& marks, const SymbolKey& key) {
  const auto found = marks.find(key);
  return found != marks.end() ? found->second.contract_value : 1;
}

}  // namespace

MarkNeeds funds_needs(const std::vector<Position>& open_positions) {
  MarkNeeds needs;
  for (const Position& p : open_positions) needs.priced.insert(symbol_of(p));
  needs.sized = needs.priced;
  return needs;
}

MarkNeeds position_book_needs(const std::vector<Position>& shown) {
  MarkNeeds needs;
  for (const Position& p : shown) {
    if (p.quantity != 0) needs.priced.insert(symbol_of(p));
    needs.sized.insert(symbol_of(p));
  }
  return needs;
}

MarkNeeds holdings_needs(const std::vector<Holding>& holdings) {
  MarkNeeds needs;
  for (const Holding& h : holdings) needs.priced.insert({h.symbol, h.exchange});
  return needs;
}

Reply funds_reply(const Funds& ledger, const std::vector<Position>& open_positions, const Marks& marks) {
  double unrealized = 0;
  for (const Position& p : open_positions) {
    const SymbolKey key = symbol_of(p);
    unrealized += unrealized_pnl(p, ltp_or(marks, key, p.ltp), contract_value(marks, key));
  }
  return {200, funds_body(ledger, unrealized)};
}

Reply position_book_reply(const std::vector<Position>& shown, const Marks& marks) {
  std::vector<MarkedPosition> marked;
  for (const Position& p : shown) {
    const SymbolKey key = symbol_of(p);
    marked.push_back({p, p.quantity != 0 ? ltp_or(marks, key, p.ltp) : p.ltp, contract_value(marks, key)});
  }
  return {200, position_book_body(marked)};
}

Reply holdings_reply(const std::vector<Holding>& holdings, const Marks& marks) {
  std::vector<MarkedHolding> marked;
  for (const Holding& h : holdings) marked.push_back({h, ltp_or(marks, {h.symbol, h.exchange}, h.ltp)});
  return {200, holdings_body(marked)};
}

}  // namespace oa::sandbox
