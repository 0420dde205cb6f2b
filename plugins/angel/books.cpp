#include "books.hpp"

#include <cmath>

#include "openalgo_sdk/numbers.hpp"
#include "symbols.hpp"
#include "value_maps.hpp"

namespace oa::angel {
namespace {

inline constexpr std::string_view kOrderPath = "/rest/secure/angelbroking/order/v1/";

std::string text(const json::object& row, std::string_view key) {
  const auto* value = row.if_contains(key);
  if (!value) return {};
  if (value->is_string()) return std::string(value->get_string());
  return value->is_null() ? std::string() : json::serialize(*value);
}

double number(const json::object& row, std::string_view key) { return sdk::number_member(row, key); }
std::int64_t whole(const json::object& row, std::string_view key) { return std::llround(number(row, key)); }

// Angel answers an empty book with "data": null.
json::array rows_of(const json::value& data) {
  json::array rows;
  if (const auto* list = data.if_array())
    for (const auto& row : *list)
      if (row.is_object()) rows.push_back(row);
  return rows;
}

std::string product_of(const json::object& row) {
  auto product = text(row, "producttype");
  if (product.empty()) product = text(row, "product");
  return std::string(kProducts.to_openalgo(product, product));
}

json::object order_row(const sdk::Host& host, const json::object& row) {
  auto exchange = text(row, "exchange");
  double average = number(row, "averageprice");
  auto ordertype = text(row, "ordertype");
  return {{"symbol", openalgo_symbol(host, text(row, "symboltoken"), text(row, "tradingsymbol"), exchange)},
          {"exchange", exchange},
          {"action", text(row, "transactiontype")},
          {"quantity", whole(row, "quantity")},
          {"price", average > 0 ? average : number(row, "price")},
          {"trigger_price", number(row, "triggerprice")},
          {"pricetype", kPriceTypes.to_openalgo(ordertype, ordertype)},
          {"product", product_of(row)},
          {"orderid", text(row, "orderid")},
          {"order_status", kOrderStatuses.to_openalgo(text(row, "status"), kUnknownStatus)},
          {"timestamp", text(row, "updatetime")}};
}

// SmartAPI's trade book names the filled size "fillsize"; OpenAlgo reads
// "quantity", which the trade book does not have (brokers.md §3.2 quirk).
json::object trade_row(const sdk::Host& host, const json::object& row) {
  auto exchange = text(row, "exchange");
  double quantity = number(row, "fillsize");
  double price = number(row, "fillprice");
  double value = number(row, "tradevalue");
  return {{"symbol", openalgo_symbol(host, text(row, "symboltoken"), text(row, "tradingsymbol"), exchange)},
          {"exchange", exchange},
          {"product", product_of(row)},
          {"action", text(row, "transactiontype")},
          {"quantity", std::llround(quantity)},
          {"average_price", price},
          {"trade_value", value > 0 ? value : quantity * price},
          {"orderid", text(row, "orderid")},
          {"timestamp", text(row, "filltime")}};
}

// A position's P&L: Angel's own figure when it sends one, else what was
// realised on the closed part plus the open part marked to the last price.
double position_pnl(const json::object& row) {
  if (row.contains("pnl")) return number(row, "pnl");
  return number(row, "sellamount") - number(row, "buyamount") + number(row, "netqty") * number(row, "ltp");
}

json::object position_row(const sdk::Host& host, const json::object& row) {
  auto exchange = text(row, "exchange");
  return {{"symbol", openalgo_symbol(host, text(row, "symboltoken"), text(row, "tradingsymbol"), exchange)},
          {"exchange", exchange},
          {"product", product_of(row)},
          {"quantity", whole(row, "netqty")},
          {"average_price", number(row, "avgnetprice")},
          {"ltp", number(row, "ltp")},
          {"pnl", position_pnl(row)}};
}

json::object holding_row(const sdk::Host& host, const json::object& row) {
  auto exchange = text(row, "exchange");
  return {{"symbol", openalgo_symbol(host, text(row, "symboltoken"), text(row, "tradingsymbol"), exchange)},
          {"exchange", exchange},
          {"quantity", whole(row, "quantity")},
          {"product", product_of(row)},
          {"average_price", number(row, "averageprice")},
          {"ltp", number(row, "ltp")},
          {"pnl", number(row, "profitandloss")},
          {"pnlpercent", number(row, "pnlpercentage")}};
}

json::value get(SmartApiClient& smartapi, const sdk::Call& call, sdk::TokenBucket& limit, std::string_view path) {
  return smartapi.request(call, limit, "GET", path);
}

}  // namespace

json::value order_book(SmartApiClient& smartapi, const sdk::Call& call) {
  json::array orders;
  auto data = get(smartapi, call, smartapi.limits().order_book, std::string(kOrderPath) + "getOrderBook");
  for (const auto& row : rows_of(data)) orders.push_back(order_row(smartapi.host(), row.as_object()));
  return json::object{{"orders", std::move(orders)}};
}

json::value trade_book(SmartApiClient& smartapi, const sdk::Call& call) {
  json::array trades;
  auto data = get(smartapi, call, smartapi.limits().trade_book, std::string(kOrderPath) + "getTradeBook");
  for (const auto& row : rows_of(data)) trades.push_back(trade_row(smartapi.host(), row.as_object()));
  return trades;
}

json::value positions(SmartApiClient& smartapi, const sdk::Call& call) {
  json::array rows;
  auto data = get(smartapi, call, smartapi.limits().positions, std::string(kOrderPath) + "getPosition");
  for (const auto& row : rows_of(data)) rows.push_back(position_row(smartapi.host(), row.as_object()));
  return rows;
}

json::value holdings(SmartApiClient& smartapi, const sdk::Call& call) {
  json::array rows;
  auto data = get(smartapi, call, smartapi.limits().holdings, "/rest/secure/angelbroking/portfolio/v1/getAllHolding");
  const auto* object = data.if_object();
  if (const auto* list = object ? object->if_contains("holdings") : nullptr)
    for (const auto& row : rows_of(*list)) rows.push_back(holding_row(smartapi.host(), row.as_object()));
  return json::object{{"holdings", std::move(rows)}};
}

}  // namespace oa::angel
