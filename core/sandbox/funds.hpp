#pragma once
// The funds ledger of one user, in paise. Every operation either applies in
// full or changes nothing and says why, so the invariant
//   available + used_margin + money in holdings == total_capital + realized_pnl
// holds after any sequence of them, and neither available nor used_margin
// is driven below zero by a block or a release.
#include <cstdint>
#include <optional>
#include <string>

#include "sandbox/sandbox_types.hpp"

namespace oa::sandbox {

// The capitals OpenAlgo's settings offer: ₹1L, ₹5L, ₹10L, ₹25L, ₹50L, ₹1Cr.
bool is_allowed_starting_capital(double rupees);

Funds opening_funds(std::int64_t user_id, Paise capital, std::int64_t now_ms);

// Moves `amount` (> 0) from available to used margin; refused with
// OpenAlgo's "Insufficient funds..." text when available is short.
[[nodiscard]] std::optional<std::string> block(Funds& funds, Paise amount);

// Moves `amount` (0 <= amount <= used) back to available and books
// `realized` (any sign) into available and both realised figures. The P&L is
// booked whether or not margin comes back: OpenAlgo dropped it when the
// position held no margin.
[[nodiscard]] std::optional<std::string> release(Funds& funds, Paise amount, Paise realized);

// Books P&L of an earlier day (catch-up settlement): all-time only.
[[nodiscard]] std::optional<std::string> release_for_earlier_day(Funds& funds, Paise amount,
                                                                 Paise realized);

// T+1: `margin` (<= used) leaves used margin for holdings; `extra` more
// (>= 0, the part of the purchase the margin did not cover when CNC leverage
// is above 1) is paid from available, which may go below zero as a broker's
// debit balance would.
[[nodiscard]] std::optional<std::string> move_to_holdings(Funds& funds, Paise margin, Paise extra);

// T+1 for shares sold from holdings: the proceeds come into available and
// the difference to the cost the holding carried is realised.
[[nodiscard]] std::optional<std::string> credit_sale(Funds& funds, Paise proceeds, Paise cost);

// The weekly or manual reset: capital back to `capital`, P&L and margin to 0.
void reset(Funds& funds, Paise capital, std::int64_t now_ms);

}  // namespace oa::sandbox
