#include "margin.hpp"

#include <cmath>

#include "openalgo_sdk/numbers.hpp"
#include "symbols.hpp"
#include "value_maps.hpp"

namespace oa::angel {
namespace {

json::object angel_position(const sdk::Host& host, const json::object& position) {
  auto exchange = sdk::text_field(position, "exchange");
  auto row = resolve(host, sdk::text_field(position, "symbol"), exchange);
  return {{"exchange", kExchanges.to_broker(exchange)},
          {"qty", std::llround(sdk::number_member(position, "quantity"))},
          {"price", sdk::number_member(position, "price")},
          {"productType", kProducts.to_broker(sdk::text_or(position, "product", "MIS"))},
          {"token", row.token},
          {"tradeType", kActions.to_broker(sdk::text_or(position, "action", ""))},
          {"orderType", kPriceTypes.to_broker(sdk::text_or(position, "pricetype", "MARKET"))}};
}

}  // namespace

// A position whose symbol is unknown is an error naming it; OpenAlgo drops it
// from the basket and answers for the rest, under-reporting the margin.
json::value margin(SmartApiClient& smartapi, const sdk::Call& call, const json::object& request) {
  const auto* positions = request.if_contains("positions");
  if (!positions || !positions->is_array() || positions->as_array().empty())
    throw sdk::Error(OA_ERR_INVALID_ARGUMENT, "'positions' must be a non-empty list");
  json::array basket;
  for (const auto& position : positions->as_array()) {
    if (!position.is_object()) throw sdk::Error(OA_ERR_INVALID_ARGUMENT, "each position must be an object");
    basket.push_back(angel_position(smartapi.host(), position.as_object()));
  }
  json::value body = json::object{{"positions", std::move(basket)}};
  auto data = smartapi.request(call, smartapi.limits().margin, "POST", "/rest/secure/angelbroking/margin/v1/batch", &body);
  const auto* result = data.if_object();
  if (!result) throw sdk::Error(OA_ERR_BROKER, "Angel's margin answer has no data");
  const auto* components = result->if_contains("marginComponents");
  double span = components && components->is_object() ? sdk::number_member(components->as_object(), "spanMargin") : 0;
  // SmartAPI does not itemise exposure margin; OpenAlgo reports 0 for it too.
  return json::object{{"total_margin_required", sdk::number_member(*result, "totalMarginRequired")},
                      {"span_margin", span},
                      {"exposure_margin", 0.0}};
}

}  // namespace oa::angel
