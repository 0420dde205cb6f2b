#include "sandbox/funds.hpp"

#include <fmt/format.h>

#include "sandbox/margin.hpp"

namespace oa::sandbox {
namespace {

std::string rupees(Paise amount) { return fmt::format("₹{:.2f}", to_rupees(amount)); }

std::optional<std::string> check_release(const Funds& funds, Paise amount) {
  if (amount < 0) return "Release amount cannot be negative, got " + rupees(amount);
  if (amount > funds.used_margin) {
    return "Cannot release " + rupees(amount) + ": only " + rupees(funds.used_margin) +
           " is reserved";
  }
  return std::nullopt;
}

}  // namespace

bool is_allowed_starting_capital(double rupees) {
  for (double allowed : {100000.0, 500000.0, 1000000.0, 2500000.0, 5000000.0, 10000000.0}) {
    if (rupees == allowed) return true;
  }
  return false;
}

Funds opening_funds(std::int64_t user_id, Paise capital, std::int64_t now_ms) {
  Funds funds;
  funds.user_id = user_id;
  funds.total_capital = capital;
  funds.available = capital;
  funds.last_reset_ms = now_ms;
  return funds;
}

std::optional<std::string> block(Funds& funds, Paise amount) {
  if (amount <= 0) return "Block amount must be positive, got " + rupees(amount);
  if (amount > funds.available) return insufficient_funds_message(amount, funds.available);
  funds.available -= amount;
  funds.used_margin += amount;
  return std::nullopt;
}

std::optional<std::string> release(Funds& funds, Paise amount, Paise realized) {
  if (auto refused = check_release(funds, amount)) return refused;
  funds.used_margin -= amount;
  funds.available += amount + realized;
  funds.realized_pnl += realized;
  funds.today_realized_pnl += realized;
  return std::nullopt;
}

std::optional<std::string> release_for_earlier_day(Funds& funds, Paise amount, Paise realized) {
  if (auto refused = check_release(funds, amount)) return refused;
  funds.used_margin -= amount;
  funds.available += amount + realized;
  funds.realized_pnl += realized;
  return std::nullopt;
}

std::optional<std::string> move_to_holdings(Funds& funds, Paise margin, Paise extra) {
  if (auto refused = check_release(funds, margin)) return refused;
  if (extra < 0) return "Settlement top-up cannot be negative, got " + rupees(extra);
  funds.used_margin -= margin;
  funds.available -= extra;
  return std::nullopt;
}

std::optional<std::string> credit_sale(Funds& funds, Paise proceeds, Paise cost) {
  if (proceeds <= 0) return "Sale proceeds must be positive, got " + rupees(proceeds);
  funds.available += proceeds;
  funds.realized_pnl += proceeds - cost;
  return std::nullopt;
}

void reset(Funds& funds, Paise capital, std::int64_t now_ms) {
  const std::int64_t resets = funds.reset_count + 1;
  funds = opening_funds(funds.user_id, capital, now_ms);
  funds.reset_count = resets;
}

}  // namespace oa::sandbox
