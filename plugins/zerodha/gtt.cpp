#include "gtt.hpp"

#include "market_data.hpp"
#include "openalgo_sdk/numbers.hpp"
#include "symbols.hpp"
#include "value_maps.hpp"

namespace oa::zerodha {
namespace {

std::string trigger_id_of(const json::value& data) {
  const auto* object = data.if_object();
  const auto* id = object ? object->if_contains("trigger_id") : nullptr;
  if (!id) throw sdk::Error(OA_ERR_BROKER, "Kite's answer has no trigger_id");
  return id->is_string() ? std::string(id->get_string()) : json::serialize(*id);
}

std::string trigger_path(const json::object& request) {
  auto id = std::string(sdk::text_field(request, "trigger_id"));
  if (id.empty()) throw sdk::Error(OA_ERR_INVALID_ARGUMENT, "'trigger_id' must not be empty");
  return "/gtt/triggers/" + sdk::url_encode(id);
}

// The type, condition and orders fields of a place or modify request.
sdk::FormFields trigger_form(KiteClient& kite, const sdk::Call& call, const json::object& request) {
  auto exchange = sdk::text_field(request, "exchange");
  auto row = resolve(kite.host(), sdk::text_field(request, "symbol"), exchange);
  auto kite_exchange = std::string(kExchanges.to_broker(exchange));
  bool oco = text_or(request, "trigger_type", "SINGLE") == "OCO";
  auto quote = quotes(kite, call, json::object{{"symbol", row.symbol}, {"exchange", row.exchange}});
  double last_price = number_of(quote.as_object().if_contains("ltp"));
  auto leg = [&](double price) {
    return json::object{{"exchange", kite_exchange},
                        {"tradingsymbol", row.brsymbol},
                        {"transaction_type", std::string(kActions.to_broker(text_or(request, "action", "")))},
                        {"quantity", sdk::whole_member(request, "quantity")},
                        {"order_type", std::string(kPriceTypes.to_broker(text_or(request, "pricetype", "LIMIT")))},
                        {"product", std::string(kProducts.to_broker(text_or(request, "product", "CNC")))},
                        {"price", price}};
  };
  json::array triggers, orders;
  if (oco) {
    triggers = {number_of(request.if_contains("triggerprice_sl")), number_of(request.if_contains("triggerprice_tg"))};
    orders = {leg(number_of(request.if_contains("stoploss"))), leg(number_of(request.if_contains("target")))};
  } else {
    // The host derives trigger_price: the stop-loss trigger when given, else the target's.
    triggers = {number_of(request.if_contains("trigger_price"))};
    orders = {leg(number_of(request.if_contains("price")))};
  }
  json::object condition{{"exchange", kite_exchange},
                         {"tradingsymbol", row.brsymbol},
                         {"trigger_values", std::move(triggers)},
                         {"last_price", last_price}};
  return {{"type", oco ? "two-leg" : "single"},
          {"condition", json::serialize(condition)},
          {"orders", json::serialize(orders)}};
}

const json::object& member_object(const json::object& row, std::string_view key) {
  static const json::object empty;
  const auto* value = row.if_contains(key);
  return value && value->is_object() ? value->as_object() : empty;
}

// One row of rest_api.md C.2.4, keys in the sorted order OpenAlgo's answer has.
json::object book_row(const sdk::Host& host, const json::object& trigger) {
  const auto& condition = member_object(trigger, "condition");
  auto exchange = sdk::text_member(condition, "exchange");
  json::array prices, legs;
  if (const auto* values = condition.if_contains("trigger_values"); values && values->is_array())
    for (const auto& value : values->as_array()) prices.push_back(number_of(&value));
  if (const auto* orders = trigger.if_contains("orders"); orders && orders->is_array())
    for (const auto& order : orders->as_array()) {
      if (!order.is_object()) continue;
      const auto& o = order.as_object();
      legs.push_back(json::object{{"action", sdk::text_member(o, "transaction_type")},
                                  {"price", number_of(o.if_contains("price"))},
                                  {"pricetype", sdk::text_member(o, "order_type")},
                                  {"product", sdk::text_member(o, "product")},
                                  {"quantity", sdk::whole_member(o, "quantity")}});
    }
  return {{"created_at", sdk::text_member(trigger, "created_at")},
          {"exchange", exchange},
          {"expires_at", sdk::text_member(trigger, "expires_at")},
          {"last_price", number_of(condition.if_contains("last_price"))},
          {"legs", std::move(legs)},
          {"status", sdk::text_member(trigger, "status")},
          {"symbol", openalgo_symbol(host, sdk::text_member(condition, "tradingsymbol"), exchange)},
          {"trigger_id", sdk::text_member(trigger, "id")},
          {"trigger_prices", std::move(prices)},
          {"trigger_type", sdk::text_member(trigger, "type")},
          {"updated_at", sdk::text_member(trigger, "updated_at")}};
}

}  // namespace

json::value gtt_place(KiteClient& kite, const sdk::Call& call, const json::object& request) {
  auto data = kite.request(call, kite.limits().orders, "POST", "/gtt/triggers", trigger_form(kite, call, request));
  return json::object{{"trigger_id", trigger_id_of(data)}};
}

json::value gtt_modify(KiteClient& kite, const sdk::Call& call, const json::object& request) {
  auto path = trigger_path(request);
  auto data = kite.request(call, kite.limits().orders, "PUT", path, trigger_form(kite, call, request));
  return json::object{{"trigger_id", trigger_id_of(data)}};
}

json::value gtt_cancel(KiteClient& kite, const sdk::Call& call, const json::object& request) {
  auto data = kite.request(call, kite.limits().orders, "DELETE", trigger_path(request));
  return json::object{{"trigger_id", trigger_id_of(data)}};
}

json::value gtt_book(KiteClient& kite, const sdk::Call& call) {
  auto data = kite.request(call, kite.limits().other, "GET", "/gtt/triggers");
  json::array rows;
  if (const auto* triggers = data.if_array())
    for (const auto& trigger : *triggers)
      if (trigger.is_object() && sdk::text_member(trigger.as_object(), "status") == "active")
        rows.push_back(book_row(kite.host(), trigger.as_object()));
  return rows;
}

}  // namespace oa::zerodha
