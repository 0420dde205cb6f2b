#include "orders.hpp"

#include "symbols.hpp"
#include "value_maps.hpp"

namespace oa::zerodha {
namespace {

std::string order_id_of(const json::value& data) {
  const auto* object = data.if_object();
  const auto* id = object ? object->if_contains("order_id") : nullptr;
  if (!id) throw sdk::Error(OA_ERR_BROKER, "Kite's answer has no order_id");
  return id->is_string() ? std::string(id->get_string()) : json::serialize(*id);
}

std::string order_path(const json::object& request) {
  auto orderid = std::string(sdk::text_field(request, "orderid"));
  if (orderid.empty()) throw sdk::Error(OA_ERR_INVALID_ARGUMENT, "'orderid' must not be empty");
  return "/orders/regular/" + sdk::url_encode(orderid);
}

}  // namespace

json::value place_order(KiteClient& kite, const sdk::Call& call, const json::object& request) {
  auto exchange = sdk::text_field(request, "exchange");
  auto row = resolve(kite.host(), sdk::text_field(request, "symbol"), exchange);
  sdk::FormFields form{
      {"tradingsymbol", row.brsymbol},
      {"exchange", std::string(kExchanges.to_broker(exchange))},
      {"transaction_type", std::string(kActions.to_broker(text_or(request, "action", "")))},
      {"order_type", std::string(kPriceTypes.to_broker(text_or(request, "pricetype", "MARKET")))},
      {"quantity", number_text(request, "quantity")},
      {"product", std::string(kProducts.to_broker(text_or(request, "product", "MIS")))},
      {"price", number_text(request, "price")},
      {"trigger_price", number_text(request, "trigger_price")},
      {"disclosed_quantity", number_text(request, "disclosed_quantity")},
      {"validity", std::string(kValidities.to_broker(text_or(request, "validity", "DAY")))},
      // Kite refuses market orders without protection; -1 lets it choose.
      {"market_protection", "-1"},
      {"tag", "openalgo"}};
  auto data = kite.request(call, kite.limits().orders, "POST", "/orders/regular", form);
  return json::object{{"orderid", order_id_of(data)}};
}

json::value modify_order(KiteClient& kite, const sdk::Call& call, const json::object& request) {
  sdk::FormFields form{{"order_type", std::string(kPriceTypes.to_broker(text_or(request, "pricetype", "LIMIT")))},
                       {"quantity", number_text(request, "quantity")},
                       {"price", number_text(request, "price")},
                       {"disclosed_quantity", number_text(request, "disclosed_quantity")},
                       {"validity", std::string(kValidities.to_broker(text_or(request, "validity", "DAY")))}};
  // Kite rejects a trigger price on order types that have none.
  if (auto trigger = number_text(request, "trigger_price"); number_of(request.if_contains("trigger_price")) != 0)
    form.emplace_back("trigger_price", trigger);
  auto data = kite.request(call, kite.limits().orders, "PUT", order_path(request), form);
  return json::object{{"orderid", order_id_of(data)}};
}

json::value cancel_order(KiteClient& kite, const sdk::Call& call, const json::object& request) {
  auto data = kite.request(call, kite.limits().orders, "DELETE", order_path(request));
  return json::object{{"orderid", order_id_of(data)}};
}

}  // namespace oa::zerodha
