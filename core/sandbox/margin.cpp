#include "sandbox/margin.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "sandbox/positions.hpp"

namespace oa::sandbox {
namespace {

constexpr double kMinLeverage = 1;
constexpr double kMaxLeverage = 50;

std::string rupees(Paise amount) { return fmt::format("₹{:.2f}", to_rupees(amount)); }

double taker_price(Action action, const Quote& quote) {
  const double side = action == Action::Buy ? quote.ask : quote.bid;
  return side > 0 ? side : quote.ltp;
}

}  // namespace

std::optional<std::string> check_leverage(const Leverage& leverage) {
  const std::pair<const char*, double> values[] = {
      {"equity_mis_leverage", leverage.equity_mis}, {"equity_cnc_leverage", leverage.equity_cnc},
      {"futures_leverage", leverage.futures},       {"option_buy_leverage", leverage.option_buy},
      {"option_sell_leverage", leverage.option_sell}};
  for (const auto& [name, value] : values) {
    if (!(value >= kMinLeverage && value <= kMaxLeverage)) {
      return fmt::format("{} must be between 1 and 50, not {}", name, value);
    }
  }
  return std::nullopt;
}

double leverage_for(const Leverage& leverage, ContractKind kind, Product product, Action action) {
  switch (kind) {
    case ContractKind::Equity:
      return product == Product::Mis ? leverage.equity_mis : leverage.equity_cnc;
    case ContractKind::Future:
      return leverage.futures;
    case ContractKind::Option:
      return action == Action::Buy ? leverage.option_buy : leverage.option_sell;
    case ContractKind::Other:
      break;
  }
  return 1;
}

bool requires_margin(ContractKind kind, Product product, Action action) {
  if (action == Action::Buy) return true;
  if (kind == ContractKind::Future || kind == ContractKind::Option) return true;
  return product != Product::Cnc;
}

Paise margin_for(double quantity, double price, double leverage) {
  return to_paise(std::fabs(quantity) * price / leverage);
}

Paise margin_to_hold(const Leverage& leverage, const Instrument& instrument, Product product,
                     Action action, double position_quantity, double quantity, double price) {
  const ContractKind kind = contract_kind(instrument);
  if (!requires_margin(kind, product, action)) return 0;
  const double opening = net_against(position_quantity, action, quantity).opening;
  return margin_for(opening, price, leverage_for(leverage, kind, product, action));
}

std::optional<double> margin_price(PriceType type, Action action, double price,
                                   double trigger_price, const std::optional<Quote>& quote) {
  double chosen = 0;
  switch (type) {
    case PriceType::Market:
      chosen = quote ? taker_price(action, *quote) : 0;
      break;
    case PriceType::Limit:
      chosen = price;
      break;
    case PriceType::StopLimit:
      chosen = std::max(price, trigger_price);
      break;
    case PriceType::StopMarket:
      chosen = trigger_price;
      break;
  }
  if (!(chosen > 0)) return std::nullopt;
  return chosen;
}

std::string insufficient_funds_message(Paise required, Paise available) {
  return fmt::format("Insufficient funds. Required: {}, Available: {}, Shortage: {}",
                     rupees(required), rupees(available), rupees(required - available));
}

}  // namespace oa::sandbox
