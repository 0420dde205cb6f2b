#include "gtt.hpp"

#include "openalgo_sdk/numbers.hpp"
#include "symbols.hpp"
#include "value_maps.hpp"

namespace oa::angel {
namespace {

std::string rule_id_of(const json::value& data) {
  const auto* object = data.if_object();
  auto id = object ? sdk::text_member(*object, "id") : std::string();
  if (id.empty()) throw sdk::Error(OA_ERR_BROKER, "Angel accepted the GTT request but its answer has no id");
  return id;
}

std::string required_trigger_id(const json::object& request) {
  auto id = std::string(sdk::text_field(request, "trigger_id"));
  if (id.empty()) throw sdk::Error(OA_ERR_INVALID_ARGUMENT, "'trigger_id' must not be empty");
  return id;
}

json::value post(SmartApiClient& smartapi, const sdk::Call& call, sdk::TokenBucket& limit, std::string_view endpoint,
                 json::object body) {
  json::value document = std::move(body);
  return smartapi.request(call, limit, "POST", std::string(kGttPath) + std::string(endpoint), &document);
}

// The instrument, order and trigger of a place or modify request.
json::object rule_fields(const sdk::Host& host, const json::object& request) {
  if (sdk::text_or(request, "trigger_type", "SINGLE") == "OCO")
    throw sdk::Error(OA_ERR_NOT_SUPPORTED, "Angel One's GTT rules take one trigger: OCO GTT orders are not supported");
  if (sdk::text_or(request, "pricetype", "LIMIT") != "LIMIT")
    throw sdk::Error(OA_ERR_INVALID_ARGUMENT, "Angel One's GTT rules place LIMIT orders only");
  auto exchange = sdk::text_field(request, "exchange");
  auto row = resolve(host, sdk::text_field(request, "symbol"), exchange);
  return {{"tradingsymbol", row.brsymbol},
          {"symboltoken", row.token},
          {"exchange", kExchanges.to_broker(exchange)},
          {"producttype", kGttProducts.to_broker(sdk::text_or(request, "product", "CNC"))},
          {"transactiontype", kActions.to_broker(sdk::text_or(request, "action", ""))},
          {"price", sdk::number_text(request, "price")},
          {"qty", sdk::number_text(request, "quantity")},
          // The host derives trigger_price: the stop-loss trigger when given, else the target's.
          {"triggerprice", sdk::number_text(request, "trigger_price")},
          {"disclosedqty", "0"}};
}

// One row of rest_api.md C.2.4, keys in the sorted order OpenAlgo's answer has.
json::object book_row(const sdk::Host& host, const json::object& rule) {
  auto exchange = sdk::text_member(rule, "exchange");
  auto product = sdk::text_member(rule, "producttype");
  json::object leg{{"action", sdk::text_member(rule, "transactiontype")},
                   {"price", sdk::number_member(rule, "price")},
                   {"pricetype", "LIMIT"},
                   {"product", kGttProducts.to_openalgo(product, product)},
                   {"quantity", sdk::whole_member(rule, "qty")}};
  return {{"created_at", sdk::text_member(rule, "createddate")},
          {"exchange", exchange},
          {"expires_at", sdk::text_member(rule, "expirydate")},
          {"last_price", 0.0},  // ruleList does not carry the price the rule was made at
          {"legs", json::array{std::move(leg)}},
          {"status", "active"},
          {"symbol", openalgo_symbol(host, sdk::text_member(rule, "symboltoken"), sdk::text_member(rule, "tradingsymbol"), exchange)},
          {"trigger_id", sdk::text_member(rule, "id")},
          {"trigger_prices", json::array{sdk::number_member(rule, "triggerprice")}},
          {"trigger_type", "single"},
          {"updated_at", sdk::text_member(rule, "updateddate")}};
}

}  // namespace

json::value gtt_place(SmartApiClient& smartapi, const sdk::Call& call, const json::object& request) {
  auto data = post(smartapi, call, smartapi.limits().gtt, "createRule", rule_fields(smartapi.host(), request));
  return json::object{{"trigger_id", rule_id_of(data)}};
}

json::value gtt_modify(SmartApiClient& smartapi, const sdk::Call& call, const json::object& request) {
  auto id = required_trigger_id(request);
  auto fields = rule_fields(smartapi.host(), request);
  json::object body{{"id", id}};
  for (const char* key : {"symboltoken", "exchange", "price", "qty", "triggerprice", "disclosedqty"}) body[key] = fields.at(key);
  post(smartapi, call, smartapi.limits().gtt, "modifyRule", std::move(body));
  return json::object{{"trigger_id", id}};
}

json::value gtt_cancel(SmartApiClient& smartapi, const sdk::Call& call, const json::object& request) {
  auto id = required_trigger_id(request);
  auto details = post(smartapi, call, smartapi.limits().gtt, "ruleDetails", json::object{{"id", id}});
  if (!details.is_object()) throw sdk::Error(OA_ERR_NOT_FOUND, "Angel has no GTT rule " + id);
  const auto& rule = details.as_object();
  post(smartapi, call, smartapi.limits().gtt, "cancelRule",
       json::object{{"id", id}, {"symboltoken", sdk::text_member(rule, "symboltoken")}, {"exchange", sdk::text_member(rule, "exchange")}});
  return json::object{{"trigger_id", id}};
}

json::value gtt_book(SmartApiClient& smartapi, const sdk::Call& call) {
  json::array rows;
  for (int page = 1; page <= kGttMaxPages; ++page) {
    auto data = post(smartapi, call, smartapi.limits().gtt, "ruleList",
                     json::object{{"status", json::array{"NEW", "ACTIVE"}}, {"page", page}, {"count", kGttPageSize}});
    const auto* rules = data.if_array();  // Angel answers an empty list with "data": null
    if (!rules) break;
    for (const auto& rule : *rules) {
      if (!rule.is_object()) continue;
      auto status = sdk::text_member(rule.as_object(), "status");
      if (status == "NEW" || status == "ACTIVE") rows.push_back(book_row(smartapi.host(), rule.as_object()));
    }
    if (rules->size() < static_cast<std::size_t>(kGttPageSize)) break;
  }
  return rows;
}

}  // namespace oa::angel
