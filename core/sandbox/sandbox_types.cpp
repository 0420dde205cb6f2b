#include "sandbox/sandbox_types.hpp"

#include <array>
#include <cmath>
#include <utility>

#include "sandbox/enum_names.hpp"

namespace oa::sandbox {
namespace {

constexpr std::array<std::pair<Action, std::string_view>, 2> kActions{{
    {Action::Buy, "BUY"},
    {Action::Sell, "SELL"},
}};
constexpr std::array<std::pair<PriceType, std::string_view>, 4> kPriceTypes{{
    {PriceType::Market, "MARKET"},
    {PriceType::Limit, "LIMIT"},
    {PriceType::StopLimit, "SL"},
    {PriceType::StopMarket, "SL-M"},
}};
constexpr std::array<std::pair<Product, std::string_view>, 3> kProducts{{
    {Product::Cnc, "CNC"},
    {Product::Nrml, "NRML"},
    {Product::Mis, "MIS"},
}};
constexpr std::array<std::pair<OrderStatus, std::string_view>, 5> kStatuses{{
    {OrderStatus::Open, "open"},
    {OrderStatus::TriggerPending, "trigger pending"},
    {OrderStatus::Complete, "complete"},
    {OrderStatus::Cancelled, "cancelled"},
    {OrderStatus::Rejected, "rejected"},
}};

}  // namespace

Paise to_paise(double rupees) { return static_cast<Paise>(std::llround(rupees * 100.0)); }

double to_rupees(Paise amount) { return static_cast<double>(amount) / 100.0; }

double normalize_quantity(double quantity) {
  const double rounded = std::round(quantity * 1e8) / 1e8;
  return rounded == 0 ? 0.0 : rounded;  // no -0.0
}

std::string_view to_string(Action action) { return name_of(kActions, action); }
std::string_view to_string(PriceType type) { return name_of(kPriceTypes, type); }
std::string_view to_string(Product product) { return name_of(kProducts, product); }
std::string_view to_string(OrderStatus status) { return name_of(kStatuses, status); }

std::optional<Action> parse_action(std::string_view text) { return parse_name(kActions, text); }
std::optional<PriceType> parse_price_type(std::string_view text) {
  return parse_name(kPriceTypes, text);
}
std::optional<Product> parse_product(std::string_view text) { return parse_name(kProducts, text); }
std::optional<OrderStatus> parse_order_status(std::string_view text) {
  return parse_name(kStatuses, text);
}

}  // namespace oa::sandbox
