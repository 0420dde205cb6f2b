#include "sandbox/positions.hpp"

#include <algorithm>
#include <cmath>

namespace oa::sandbox {
namespace {

// P&L of closing `closed` units of a position with signed `quantity`.
Paise realized_on_close(double quantity, double average_price, double price, double closed,
                        double contract_value) {
  const double per_unit = quantity > 0 ? price - average_price : average_price - price;
  return to_paise(per_unit * closed * contract_value);
}

Paise proportional_release(Paise margin, double closed, double held) {
  if (closed >= held) return margin;
  return static_cast<Paise>(std::llround(static_cast<double>(margin) * closed / held));
}

}  // namespace

Netting net_against(double position_quantity, Action action, double quantity) {
  const bool opposite = (position_quantity > 0 && action == Action::Sell) ||
                        (position_quantity < 0 && action == Action::Buy);
  if (!opposite) return {0, quantity};
  const double closing = std::min(std::fabs(position_quantity), quantity);
  return {closing, normalize_quantity(quantity - closing)};
}

FillEffect apply_fill(const Position& before, Action action, double quantity, double price,
                      double contract_value, Paise opening_margin, std::int64_t now_ms) {
  FillEffect effect{before, 0, 0};
  Position& after = effect.after;
  after.updated_ms = now_ms;
  const Netting netting = net_against(before.quantity, action, quantity);
  const double held = std::fabs(before.quantity);

  if (netting.closing > 0) {
    effect.realized = realized_on_close(before.quantity, before.average_price, price,
                                        netting.closing, contract_value);
    effect.margin_released = proportional_release(before.margin_blocked, netting.closing, held);
    after.margin_blocked -= effect.margin_released;
    after.realized_pnl += effect.realized;
    after.today_realized_pnl += effect.realized;
    after.quantity = normalize_quantity(before.quantity + signed_quantity(action, netting.closing));
    if (after.quantity == 0) after.margin_blocked = 0;
  }
  if (netting.opening <= 0) return effect;

  const double open_before = std::fabs(after.quantity);
  if (open_before == 0) {
    after.average_price = price;
    after.opened_ms = now_ms;
  } else {
    after.average_price =
        (open_before * after.average_price + netting.opening * price) / (open_before + netting.opening);
  }
  after.quantity = normalize_quantity(after.quantity + signed_quantity(action, netting.opening));
  after.margin_blocked += opening_margin;
  return effect;
}

FillEffect settle(const Position& before, double price, double contract_value, bool count_today,
                  std::int64_t now_ms) {
  FillEffect effect{before, 0, before.margin_blocked};
  if (before.quantity == 0) {
    effect.margin_released = 0;
    return effect;
  }
  effect.realized = realized_on_close(before.quantity, before.average_price, price,
                                      std::fabs(before.quantity), contract_value);
  Position& after = effect.after;
  after.quantity = 0;
  after.margin_blocked = 0;
  after.ltp = price;
  after.realized_pnl += effect.realized;
  if (count_today) after.today_realized_pnl += effect.realized;
  after.updated_ms = now_ms;
  return effect;
}

double unrealized_pnl(const Position& position, double ltp, double contract_value) {
  if (position.quantity == 0 || !(ltp > 0)) return 0;
  return (ltp - position.average_price) * position.quantity * contract_value;
}

double pnl_percent(double average_price, double ltp, double quantity) {
  if (quantity == 0 || !(average_price > 0) || !(ltp > 0)) return 0;
  const double percent = (ltp - average_price) / average_price * 100;
  return quantity > 0 ? percent : -percent;
}

}  // namespace oa::sandbox
