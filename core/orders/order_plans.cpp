#include "orders/order_plans.hpp"

#include <cmath>

namespace oa::orders {
namespace {

bool is_buy(std::string_view action) { return action == "BUY" || action == "buy"; }

SmartOrderPlan place(bool buy, double quantity) { return {true, buy ? "BUY" : "SELL", std::fabs(quantity), {}}; }

}  // namespace

SmartOrderPlan plan_smart_order(std::string_view action, double quantity, double target, double current) {
  if (target == 0 && current == 0 && quantity != 0) return place(is_buy(action), quantity);
  if (target == current) return {false, {}, 0, std::string(quantity == 0 ? kNoOpenPosition : kPositionsMatched)};
  return place(target > current, target - current);
}

std::optional<std::vector<std::int64_t>> split_quantities(std::int64_t total, std::int64_t size) {
  const std::int64_t full = total / size, rest = total % size;
  const std::int64_t count = full + (rest != 0 ? 1 : 0);
  if (count > static_cast<std::int64_t>(kMaxSplitOrders)) return std::nullopt;
  std::vector<std::int64_t> quantities(static_cast<std::size_t>(full), size);
  if (rest != 0) quantities.push_back(rest);
  return quantities;
}

std::vector<std::size_t> buys_then_sells(const std::vector<std::string>& actions) {
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < actions.size(); ++i)
    if (is_buy(actions[i])) order.push_back(i);
  for (std::size_t i = 0; i < actions.size(); ++i)
    if (!is_buy(actions[i])) order.push_back(i);
  return order;
}

std::string child_client_order_id(const std::string& parent, const std::string& label) {
  if (parent.empty()) return {};
  return parent + "#" + label;
}

}  // namespace oa::orders
