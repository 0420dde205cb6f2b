#pragma once
// A resting order of one unit, as the fill-rule and price-ladder tests make them.
#include "sandbox/sandbox_types.hpp"

namespace oa::sandbox::test {

inline Order resting(Action action, PriceType type, double price, double trigger = 0,
                     OrderStatus status = OrderStatus::Open) {
  Order order;
  order.action = action;
  order.price_type = type;
  order.price = price;
  order.trigger_price = trigger;
  order.status = status;
  order.quantity = 1;
  return order;
}

}  // namespace oa::sandbox::test
