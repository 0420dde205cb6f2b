#pragma once
// The arithmetic of OpenAlgo's composite orders (rest_api.md D.1, D.2): what a
// smart order places to reach its target position, how a split divides its
// quantity, and in which order a basket's items go out. Pure functions: the
// endpoints send what these decide.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace oa::orders {

// What a smart order does. `place` false: nothing to send, `message` says why.
struct SmartOrderPlan {
  bool place = false;
  std::string action;  // BUY or SELL
  double quantity = 0;
  std::string message;
};

inline constexpr std::string_view kPositionsMatched = "Positions Already Matched. No Action needed.";
inline constexpr std::string_view kNoOpenPosition = "No OpenPosition Found. Not placing Exit order.";

// D.1's decision table. `action` (BUY/SELL, any case) and `quantity` are the
// request's and count only when both target and current are flat; `target`
// is position_size truncated toward zero; `current` the net position now.
// A matched position with quantity 0 is a success ("No OpenPosition Found"),
// as in OpenAlgo's sandbox: its Angel-family brokers answer that case 500.
SmartOrderPlan plan_smart_order(std::string_view action, double quantity, double target, double current);

// OpenAlgo's cap on the orders one split (or one options leg) may send.
inline constexpr std::size_t kMaxSplitOrders = 100;
inline constexpr std::string_view kTooManySplitOrders = "Total number of orders would exceed maximum limit of 100";

// D.2: full orders of `size`, then the remainder; nullopt beyond kMaxSplitOrders.
// `size` must be positive.
std::optional<std::vector<std::int64_t>> split_quantities(std::int64_t total, std::int64_t size);

// Positions into `actions`: every BUY first, then every SELL, each group in
// request order (case-insensitive).
std::vector<std::size_t> buys_then_sells(const std::vector<std::string>& actions);

// The client_order_id of one order a composite request sends: `parent` (the
// request's own id, or empty for none) and the order's stable label within
// it ("order3", "leg2.1"). Empty when the parent has none.
std::string child_client_order_id(const std::string& parent, const std::string& label);

}  // namespace oa::orders
