#pragma once
// One symbol's resting orders, each kept at the price where a quote first
// moves it (fills a LIMIT, touches a stop's trigger), so a price looks only
// at the orders it may move. Walking every resting order of the symbol on
// each price cost O(orders resting) per price, which grew without bound
// with a book of orders far from the market.
//
// The fill rules (fill_rules.hpp) still decide each order it returns; the
// ladder only leaves out orders whose decision is certainly "nothing".
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "sandbox/sandbox_types.hpp"

namespace oa::sandbox {

class PriceLadder {
 public:
  // `order` as it rests now; remove it with the same fields before changing them.
  void add(const Order& order);
  void remove(const Order& order);
  bool empty() const { return down_to_.empty() && up_to_.empty() && any_price_.empty(); }

  // The orders a quote whose LTPs spanned `seen` may move, by order id.
  std::vector<std::string> reached_by(const PriceRange& seen) const;

 private:
  using Rung = std::pair<double, std::string>;  // price, order id
  std::set<Rung> down_to_;  // moved once the low reaches the price: BUY limits, SELL stops
  std::set<Rung> up_to_;    // moved once the high reaches the price: SELL limits, BUY stops
  std::set<std::string> any_price_;  // MARKET and triggered SL-M orders: every price moves them
};

}  // namespace oa::sandbox
