#include "sandbox/fill_rules.hpp"

#include <algorithm>

namespace oa::sandbox {
namespace {

using Kind = FillDecision::Kind;

bool trigger_touched(const Order& order, const PriceRange& seen) {
  return order.action == Action::Buy ? seen.high >= order.trigger_price
                                     : seen.low <= order.trigger_price;
}

bool within_limit(Action action, double price, double limit) {
  return action == Action::Buy ? price <= limit : price >= limit;
}

FillDecision take_with_limit(const Order& order, const Quote& quote) {
  const double price = taker_price(order.action, quote);
  if (within_limit(order.action, price, order.price)) return {Kind::Fill, price};
  return {Kind::None, 0};
}

// A triggered stop takes the market, but no better than its trigger: when
// merged ticks went through the trigger and came back, the fill stays where
// the market was when the stop fired.
FillDecision stop(const Order& order, const Quote& quote, const PriceRange& seen) {
  if (!trigger_touched(order, seen)) return {Kind::None, 0};
  const double taker = taker_price(order.action, quote);
  const double price = order.action == Action::Buy ? std::max(taker, order.trigger_price)
                                                   : std::min(taker, order.trigger_price);
  if (order.price_type == PriceType::StopMarket) return {Kind::Fill, price};
  if (within_limit(order.action, price, order.price)) return {Kind::Fill, price};
  return {Kind::Triggered, 0};
}

}  // namespace

double taker_price(Action action, const Quote& quote) {
  const double side = action == Action::Buy ? quote.ask : quote.bid;
  return side > 0 ? side : quote.ltp;
}

FillDecision on_arrival(const Order& order, const Quote& quote) {
  if (!(quote.ltp > 0)) return {Kind::None, 0};
  switch (order.price_type) {
    case PriceType::Market:
      return {Kind::Fill, taker_price(order.action, quote)};
    case PriceType::Limit:
      return take_with_limit(order, quote);
    case PriceType::StopLimit:
    case PriceType::StopMarket:
      if (order.status == OrderStatus::TriggerPending) {
        return stop(order, quote, PriceRange::of(quote));
      }
      // Triggered already: SL rests as a LIMIT, SL-M is a MARKET order.
      if (order.price_type == PriceType::StopLimit) return take_with_limit(order, quote);
      return {Kind::Fill, taker_price(order.action, quote)};
  }
  return {Kind::None, 0};
}

FillDecision on_quote(const Order& order, const Quote& quote, const PriceRange& seen) {
  if (!(quote.ltp > 0)) return {Kind::None, 0};
  const bool rests_as_limit =
      order.price_type == PriceType::Limit ||
      (order.price_type == PriceType::StopLimit && order.status == OrderStatus::Open);
  if (rests_as_limit) {
    const double crossing = order.action == Action::Buy ? seen.low : seen.high;
    if (within_limit(order.action, crossing, order.price)) return {Kind::Fill, order.price};
    return {Kind::None, 0};
  }
  if (order.status == OrderStatus::TriggerPending) return stop(order, quote, seen);
  return on_arrival(order, quote);
}

}  // namespace oa::sandbox
