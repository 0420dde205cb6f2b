#pragma once
// The views whose P&L moves with prices (funds, position book, holdings):
// what each needs marked, and its answer composed from its rows and marks.
// The marks come from the market board on the caller's thread when they are
// recent (BookReader::fresh_marks), else from the engine once it fetched them.
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "sandbox/event_loop.hpp"
#include "sandbox/sandbox_types.hpp"

namespace oa::sandbox {

struct Mark {
  std::optional<double> ltp;  // none: no price is known, the row's stored LTP stands
  double contract_value = 1;
};
using Marks = std::map<SymbolKey, Mark>;

// A recent price for each of `priced`, the contract value of each of `sized`.
struct MarkNeeds {
  std::set<SymbolKey> priced, sized;
};

MarkNeeds funds_needs(const std::vector<Position>& open_positions);
MarkNeeds position_book_needs(const std::vector<Position>& shown);
MarkNeeds holdings_needs(const std::vector<Holding>& holdings);

Reply funds_reply(const Funds& ledger, const std::vector<Position>& open_positions, const Marks& marks);
Reply position_book_reply(const std::vector<Position>& shown, const Marks& marks);
Reply holdings_reply(const std::vector<Holding>& holdings, const Marks& marks);

}  // namespace oa::sandbox
