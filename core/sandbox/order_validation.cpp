#include "sandbox/order_validation.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include <fmt/format.h>

#include "sandbox/segments.hpp"

namespace oa::sandbox {
namespace {

constexpr const char* kTradableExchanges = "NSE, BSE, NFO, BFO, CDS, BCD, MCX, NCDEX, NCO, CRYPTO";

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

bool is_tradable(std::string_view exchange) {
  return is_equity_exchange(exchange) || is_derivative_exchange(exchange);
}

bool is_whole(double value) { return std::floor(value) == value; }

std::optional<std::string> missing_field(const OrderRequest& request) {
  const std::pair<const char*, bool> fields[] = {
      {"symbol", request.symbol.empty()},     {"exchange", request.exchange.empty()},
      {"action", request.action.empty()},     {"quantity", request.quantity == 0},
      {"price_type", request.pricetype.empty()}, {"product", request.product.empty()}};
  for (const auto& [name, missing] : fields) {
    if (missing) return std::string("Missing required field: ") + name;
  }
  return std::nullopt;
}

std::optional<std::string> check_product_for_segment(const std::string& exchange, Product product) {
  if (is_equity_exchange(exchange) && product == Product::Nrml) {
    return "NRML product not allowed for " + exchange +
           " equity segment. Use CNC for delivery or MIS for intraday.";
  }
  if (is_derivative_exchange(exchange) && product == Product::Cnc) {
    return "CNC product not allowed for " + exchange +
           " derivatives segment. Use NRML for carryforward or MIS for intraday.";
  }
  return std::nullopt;
}

std::optional<std::string> check_quantity(const std::string& exchange, double quantity) {
  if (!(quantity > 0)) return "Quantity must be positive";
  if (exchange != "CRYPTO" && !is_whole(quantity)) {
    return fmt::format("Fractional quantity ({}) is not allowed for non-crypto exchanges.",
                       quantity);
  }
  return std::nullopt;
}

std::optional<std::string> check_prices(std::string_view type_name, PriceType type, double price,
                                        double trigger_price) {
  if (type == PriceType::Limit || type == PriceType::StopLimit) {
    if (price == 0) return std::string(type_name) + " orders require price";
    if (!(price > 0)) return "Price must be positive";
  }
  if (type == PriceType::StopLimit || type == PriceType::StopMarket) {
    if (trigger_price == 0) return std::string(type_name) + " orders require trigger_price";
    if (!(trigger_price > 0)) return "Trigger price must be positive";
  }
  return std::nullopt;
}

// Keeps only the prices the order type uses.
void drop_unused_prices(ValidRequest& order) {
  if (order.price_type == PriceType::Market || order.price_type == PriceType::StopMarket) {
    order.price = 0;
  }
  if (order.price_type == PriceType::Market || order.price_type == PriceType::Limit) {
    order.trigger_price = 0;
  }
}

bool only_reduces(double position_quantity, Action action, double quantity) {
  if (action == Action::Buy) return position_quantity < 0 && quantity <= -position_quantity;
  return position_quantity > 0 && quantity <= position_quantity;
}

}  // namespace

std::variant<ValidRequest, RequestError> check_request(const OrderRequest& request) {
  if (auto missing = missing_field(request)) return RequestError{400, *missing};
  const auto action = parse_action(upper(request.action));
  if (!action) return RequestError{400, "Invalid action. Must be BUY or SELL"};
  const std::string type_name = upper(request.pricetype);
  const auto type = parse_price_type(type_name);
  if (!type) return RequestError{400, "Invalid price_type. Must be MARKET, LIMIT, SL, or SL-M"};
  const auto product = parse_product(upper(request.product));
  if (!product) return RequestError{400, "Invalid product. Must be CNC, NRML, or MIS"};
  if (auto refused = check_product_for_segment(request.exchange, *product)) {
    return RequestError{400, *refused};
  }
  if (auto refused = check_quantity(request.exchange, request.quantity)) {
    return RequestError{400, *refused};
  }
  if (auto refused = check_prices(type_name, *type, request.price, request.trigger_price)) {
    return RequestError{400, *refused};
  }
  if (!is_tradable(request.exchange)) {
    return RequestError{400, std::string("Invalid exchange. Must be one of ") + kTradableExchanges};
  }
  ValidRequest valid{request.strategy, request.symbol,   request.exchange, *action, *type,
                     *product,         request.quantity, request.price,    request.trigger_price};
  drop_unused_prices(valid);
  return valid;
}

std::optional<std::string> check_lot_size(double quantity, const Instrument& instrument) {
  if (!is_derivative_exchange(instrument.exchange)) return std::nullopt;
  const double lot = instrument.lot_size > 0 ? instrument.lot_size : 1;
  const double lots = quantity / lot;
  if (std::fabs(lots - std::round(lots)) <= 1e-9 * std::max(1.0, std::fabs(lots))) {
    return std::nullopt;
  }
  return "Quantity must be in multiples of lot size " + format_quantity(lot);
}

std::optional<std::string> check_mis_blackout(const ScheduleOptions& schedule,
                                              const ValidRequest& request,
                                              double position_quantity, std::int64_t now_ms) {
  if (request.product != Product::Mis) return std::nullopt;
  if (!in_mis_blackout(schedule, request.exchange, now_ms)) return std::nullopt;
  if (only_reduces(position_quantity, request.action, request.quantity)) return std::nullopt;
  const MinuteOfDay square_off = *square_off_time(schedule, request.exchange);
  return "MIS orders cannot be placed after square-off time (" + format_clock_time(square_off) +
         " IST). Trading resumes at 09:00 AM IST.";
}

std::optional<std::string> check_cnc_sell(const ValidRequest& request, double position_quantity,
                                          double holding_quantity, double reserved_quantity) {
  if (request.product != Product::Cnc || request.action != Action::Sell) return std::nullopt;
  const double holdings = std::max(holding_quantity, 0.0);
  const double available = normalize_quantity(position_quantity + holdings - reserved_quantity);
  if (available <= 0) {
    return "Cannot sell " + request.symbol +
           " in CNC. No positions or holdings available. CNC (delivery) requires existing "
           "shares. Use MIS for intraday short selling.";
  }
  if (request.quantity <= available) return std::nullopt;
  std::string message = "Cannot sell " + format_quantity(request.quantity) + " shares of " +
                        request.symbol + " in CNC. Only " + format_quantity(available) +
                        " shares available (Position: " + format_quantity(position_quantity) +
                        ", Holdings: " + format_quantity(holdings);
  if (reserved_quantity > 0) message += ", Pending sell orders: " + format_quantity(reserved_quantity);
  return message + ")";
}

std::string format_quantity(double quantity) {
  if (is_whole(quantity) && std::fabs(quantity) < 1e15) {
    return fmt::format("{}", static_cast<std::int64_t>(quantity));
  }
  return fmt::format("{}", quantity);
}

}  // namespace oa::sandbox
