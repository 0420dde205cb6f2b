#pragma once
// Netting fills into positions keyed by (user, symbol, exchange, product):
// average price, realised and unrealised P&L, and the margin a position
// holds. Pure functions; the engine writes the results in one transaction.
#include <cstdint>

#include "sandbox/sandbox_types.hpp"

namespace oa::sandbox {

// How an order of `quantity` on `action` meets a position of signed
// `position_quantity`: the part that closes it, and the part that opens or
// adds to one (the excess of a reversal included).
struct Netting {
  double closing = 0;
  double opening = 0;
};
Netting net_against(double position_quantity, Action action, double quantity);

struct FillEffect {
  Position after;
  Paise realized = 0;         // booked by this fill (0 when nothing closed)
  Paise margin_released = 0;  // what the position gives back to the ledger
};

// One complete fill. The closed part books (fill - average) x qty x
// contract_value for a long, the reverse for a short, and releases the
// position's margin in proportion (all of it on a full close). The opened
// part attaches `opening_margin` to the position: added on an add, the whole
// margin of a new or reversed position. A reversal's remainder starts at the
// fill price. A position that reaches 0 keeps its row, its realised P&L and
// its today's figure.
FillEffect apply_fill(const Position& before, Action action, double quantity, double price,
                      double contract_value, Paise opening_margin, std::int64_t now_ms);

// Closes the whole position at `price` without an order (expiry, MIS catch-up
// after downtime). `count_today` books the P&L into today's figure as well
// as the all-time one; a catch-up for an earlier day does not.
FillEffect settle(const Position& before, double price, double contract_value, bool count_today,
                  std::int64_t now_ms);

// (ltp - average) x quantity x contract_value; 0 when there is no price yet.
double unrealized_pnl(const Position& position, double ltp, double contract_value);

// (ltp - average) / average x 100, sign-flipped for a short.
double pnl_percent(double average_price, double ltp, double quantity);

}  // namespace oa::sandbox
