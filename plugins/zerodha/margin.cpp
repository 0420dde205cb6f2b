#include "margin.hpp"

#include <cmath>

#include "symbols.hpp"
#include "value_maps.hpp"

namespace oa::zerodha {
namespace {

json::object kite_order(const sdk::Host& host, const json::object& position) {
  auto exchange = sdk::text_field(position, "exchange");
  auto row = resolve(host, sdk::text_field(position, "symbol"), exchange);
  return {{"exchange", kExchanges.to_broker(exchange)},
          {"tradingsymbol", row.brsymbol},
          {"transaction_type", kActions.to_broker(text_or(position, "action", ""))},
          {"variety", "regular"},
          {"product", kProducts.to_broker(text_or(position, "product", "MIS"))},
          {"order_type", kPriceTypes.to_broker(text_or(position, "pricetype", "MARKET"))},
          {"quantity", std::llround(number_of(position.if_contains("quantity")))},
          {"price", number_of(position.if_contains("price"))},
          {"trigger_price", number_of(position.if_contains("trigger_price"))}};
}

double figure(const json::object& margins, std::string_view key) { return number_of(margins.if_contains(key)); }

json::object openalgo_margin(double span, double exposure, double total) {
  return {{"span_margin", span}, {"exposure_margin", exposure}, {"total_margin_required", total}};
}

}  // namespace

json::value margin(KiteClient& kite, const sdk::Call& call, const json::object& request) {
  const auto* positions = request.if_contains("positions");
  if (!positions || !positions->is_array() || positions->as_array().empty())
    throw sdk::Error(OA_ERR_INVALID_ARGUMENT, "'positions' must be a non-empty list");
  json::array orders;
  for (const auto& position : positions->as_array()) {
    if (!position.is_object()) throw sdk::Error(OA_ERR_INVALID_ARGUMENT, "each position must be an object");
    orders.push_back(kite_order(kite.host(), position.as_object()));
  }
  if (orders.size() == 1) {
    auto data = kite.request_json(call, kite.limits().other, "POST", "/margins/orders", orders);
    const auto* rows = data.if_array();
    if (!rows || rows->empty() || !rows->front().is_object())
      throw sdk::Error(OA_ERR_BROKER, "Kite's margin answer has no order");
    const auto& one = rows->front().as_object();
    return openalgo_margin(figure(one, "span"), figure(one, "exposure"), figure(one, "total"));
  }
  auto data = kite.request_json(call, kite.limits().other, "POST", "/margins/basket?consider_positions=true", orders);
  const auto* basket = data.if_object();
  const auto* final_margins = basket ? basket->if_contains("final") : nullptr;
  if (!final_margins || !final_margins->is_object()) throw sdk::Error(OA_ERR_BROKER, "Kite's basket margin has no final figures");
  const auto& totals = final_margins->as_object();
  return openalgo_margin(figure(totals, "span"), figure(totals, "exposure"), figure(totals, "total"));
}

}  // namespace oa::zerodha
