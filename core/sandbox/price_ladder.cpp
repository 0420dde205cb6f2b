#include "sandbox/price_ladder.hpp"

#include <algorithm>

namespace oa::sandbox {
namespace {

enum class Side { DownTo, UpTo, AnyPrice };

// Where fill_rules.cpp's on_quote first says something other than "nothing".
std::pair<Side, double> rung_of(const Order& order) {
  const bool buy = order.action == Action::Buy;
  const bool rests_as_limit = order.price_type == PriceType::Limit ||
                              (order.price_type == PriceType::StopLimit && order.status == OrderStatus::Open);
  // A BUY LIMIT fills once the lowest LTP is at or below its limit.
  if (rests_as_limit) return {buy ? Side::DownTo : Side::UpTo, order.price};
  // A BUY stop triggers once the highest LTP is at or above its trigger.
  if (order.status == OrderStatus::TriggerPending) return {buy ? Side::UpTo : Side::DownTo, order.trigger_price};
  return {Side::AnyPrice, 0};
}

}  // namespace

void PriceLadder::add(const Order& order) {
  const auto [side, price] = rung_of(order);
  if (side == Side::DownTo) down_to_.emplace(price, order.orderid);
  if (side == Side::UpTo) up_to_.emplace(price, order.orderid);
  if (side == Side::AnyPrice) any_price_.insert(order.orderid);
}

void PriceLadder::remove(const Order& order) {
  const auto [side, price] = rung_of(order);
  if (side == Side::DownTo) down_to_.erase({price, order.orderid});
  if (side == Side::UpTo) up_to_.erase({price, order.orderid});
  if (side == Side::AnyPrice) any_price_.erase(order.orderid);
}

std::vector<std::string> PriceLadder::reached_by(const PriceRange& seen) const {
  std::vector<std::string> reached(any_price_.begin(), any_price_.end());
  for (auto rung = down_to_.lower_bound({seen.low, std::string()}); rung != down_to_.end(); ++rung)
    reached.push_back(rung->second);
  for (auto rung = up_to_.begin(); rung != up_to_.end() && rung->first <= seen.high; ++rung)
    reached.push_back(rung->second);
  std::sort(reached.begin(), reached.end());
  return reached;
}

}  // namespace oa::sandbox
