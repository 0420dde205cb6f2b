#include "orders.hpp"

#include "openalgo_sdk/numbers.hpp"
#include "symbols.hpp"
#include "value_maps.hpp"

namespace oa::angel {
namespace {

inline constexpr std::string_view kOrderPath = "/rest/secure/angelbroking/order/v1/";

std::string order_id_of(const json::value& data) {
  const auto* object = data.if_object();
  const auto* id = object ? object->if_contains("orderid") : nullptr;
  if (!id || (id->is_string() && id->get_string().empty()))
    throw sdk::Error(OA_ERR_BROKER, "Angel accepted the request but its answer has no orderid");
  return id->is_string() ? std::string(id->get_string()) : json::serialize(*id);
}

std::string required_order_id(const json::object& request) {
  auto orderid = std::string(sdk::text_field(request, "orderid"));
  if (orderid.empty()) throw sdk::Error(OA_ERR_INVALID_ARGUMENT, "'orderid' must not be empty");
  return orderid;
}

// The fields place and modify share: instrument, order type and its variety, product, prices.
json::object order_fields(const sdk::Host& host, const json::object& request) {
  auto exchange = sdk::text_field(request, "exchange");
  auto row = resolve(host, sdk::text_field(request, "symbol"), exchange);
  auto pricetype = sdk::text_or(request, "pricetype", "MARKET");
  return json::object{{"variety", kVarieties.to_broker(pricetype)},
                      {"tradingsymbol", row.brsymbol},
                      {"symboltoken", row.token},
                      {"exchange", kExchanges.to_broker(exchange)},
                      {"ordertype", kPriceTypes.to_broker(pricetype)},
                      {"producttype", kProducts.to_broker(sdk::text_or(request, "product", "MIS"))},
                      {"duration", kDurations.to_broker(sdk::text_or(request, "validity", "DAY"))},
                      {"price", sdk::number_text(request, "price")},
                      {"triggerprice", sdk::number_text(request, "trigger_price")},
                      {"quantity", sdk::number_text(request, "quantity")}};
}

}  // namespace

json::value place_order(SmartApiClient& smartapi, const sdk::Call& call, const json::object& request) {
  auto body = order_fields(smartapi.host(), request);
  body["transactiontype"] = kActions.to_broker(sdk::text_or(request, "action", ""));
  body["disclosedquantity"] = sdk::number_text(request, "disclosed_quantity");
  body["squareoff"] = "0";
  body["stoploss"] = "0";
  json::value document = std::move(body);
  auto data = smartapi.request(call, smartapi.limits().place, "POST", std::string(kOrderPath) + "placeOrder", &document);
  return json::object{{"orderid", order_id_of(data)}};
}

// OpenAlgo sends the new trigger price as "stoploss", which SmartAPI ignores
// for modifications (brokers.md §3.2 quirk); it belongs in "triggerprice".
json::value modify_order(SmartApiClient& smartapi, const sdk::Call& call, const json::object& request) {
  auto orderid = required_order_id(request);
  auto body = order_fields(smartapi.host(), request);
  body["orderid"] = orderid;
  json::value document = std::move(body);
  smartapi.request(call, smartapi.limits().modify, "POST", std::string(kOrderPath) + "modifyOrder", &document);
  return json::object{{"orderid", orderid}};
}

json::value cancel_order(SmartApiClient& smartapi, const sdk::Call& call, const json::object& request) {
  auto orderid = required_order_id(request);
  json::value document = json::object{{"variety", "NORMAL"}, {"orderid", orderid}};
  smartapi.request(call, smartapi.limits().cancel, "POST", std::string(kOrderPath) + "cancelOrder", &document);
  return json::object{{"orderid", orderid}};
}

}  // namespace oa::angel
