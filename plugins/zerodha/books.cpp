#include "books.hpp"

#include <cmath>

#include "symbols.hpp"
#include "value_maps.hpp"

namespace oa::zerodha {
namespace {

std::string text(const json::object& row, std::string_view key) {
  const auto* value = row.if_contains(key);
  if (!value || value->is_null()) return {};
  return value->is_string() ? std::string(value->get_string()) : json::serialize(*value);
}

double number(const json::object& row, std::string_view key) { return number_of(row.if_contains(key)); }

std::int64_t whole(const json::object& row, std::string_view key) {
  return static_cast<std::int64_t>(std::llround(number(row, key)));
}

double two_places(double value) { return std::round(value * 100.0) / 100.0; }

const json::array& rows_of(const json::value& data) {
  static const json::array empty;
  return data.is_array() ? data.as_array() : empty;
}

json::object order_row(const sdk::Host& host, const json::object& order) {
  auto exchange = text(order, "exchange");
  auto pricetype = text(order, "order_type");
  return {{"symbol", openalgo_symbol(host, text(order, "tradingsymbol"), exchange)},
          {"exchange", exchange},
          {"action", text(order, "transaction_type")},
          {"quantity", whole(order, "quantity")},
          // OpenAlgo shows a market order's price as 0.
          {"price", pricetype == "MARKET" ? 0.0 : number(order, "price")},
          {"trigger_price", number(order, "trigger_price")},
          {"pricetype", pricetype},
          {"product", text(order, "product")},
          {"orderid", text(order, "order_id")},
          {"order_status", std::string(kOrderStatuses.to_openalgo(text(order, "status"), kUnknownStatus))},
          {"timestamp", text(order, "order_timestamp")}};
}

json::object trade_row(const sdk::Host& host, const json::object& trade) {
  auto exchange = text(trade, "exchange");
  auto quantity = whole(trade, "quantity");
  auto average = number(trade, "average_price");
  return {{"symbol", openalgo_symbol(host, text(trade, "tradingsymbol"), exchange)},
          {"exchange", exchange},
          {"product", text(trade, "product")},
          {"action", text(trade, "transaction_type")},
          {"quantity", quantity},
          {"average_price", average},
          {"trade_value", two_places(static_cast<double>(quantity) * average)},
          {"orderid", text(trade, "order_id")},
          {"timestamp", text(trade, "fill_timestamp").empty() ? text(trade, "order_timestamp") : text(trade, "fill_timestamp")}};
}

}  // namespace

json::value order_book(KiteClient& kite, const sdk::Call& call) {
  auto data = kite.request(call, kite.limits().other, "GET", "/orders");
  json::array orders;
  for (const auto& order : rows_of(data))
    if (order.is_object()) orders.push_back(order_row(kite.host(), order.as_object()));
  return json::object{{"orders", std::move(orders)}};
}

json::value trade_book(KiteClient& kite, const sdk::Call& call) {
  auto data = kite.request(call, kite.limits().other, "GET", "/trades");
  json::array trades;
  for (const auto& trade : rows_of(data))
    if (trade.is_object()) trades.push_back(trade_row(kite.host(), trade.as_object()));
  return trades;
}

json::value positions(KiteClient& kite, const sdk::Call& call) {
  auto data = kite.request(call, kite.limits().other, "GET", "/portfolio/positions");
  const auto* net = data.is_object() ? data.as_object().if_contains("net") : nullptr;
  json::array rows;
  for (const auto& position : net ? rows_of(*net) : rows_of(json::value()))
    if (position.is_object()) {
      const auto& row = position.as_object();
      auto exchange = text(row, "exchange");
      rows.push_back(json::object{{"symbol", openalgo_symbol(kite.host(), text(row, "tradingsymbol"), exchange)},
                                  {"exchange", exchange},
                                  {"product", text(row, "product")},
                                  {"quantity", whole(row, "quantity")},
                                  {"average_price", two_places(number(row, "average_price"))},
                                  {"ltp", number(row, "last_price")},
                                  {"pnl", two_places(number(row, "pnl"))}});
    }
  return rows;
}

json::value holdings(KiteClient& kite, const sdk::Call& call) {
  auto data = kite.request(call, kite.limits().other, "GET", "/portfolio/holdings");
  json::array rows;
  for (const auto& holding : rows_of(data))
    if (holding.is_object()) {
      const auto& row = holding.as_object();
      auto exchange = text(row, "exchange");
      double average = number(row, "average_price");
      double last = number(row, "last_price");
      rows.push_back(json::object{{"symbol", openalgo_symbol(kite.host(), text(row, "tradingsymbol"), exchange)},
                                  {"exchange", exchange},
                                  {"product", text(row, "product").empty() ? "CNC" : text(row, "product")},
                                  {"quantity", whole(row, "quantity")},
                                  {"average_price", two_places(average)},
                                  {"ltp", last},
                                  {"pnl", two_places(number(row, "pnl"))},
                                  {"pnlpercent", average == 0 ? 0.0 : two_places((last - average) / average * 100.0)}});
    }
  return json::object{{"holdings", std::move(rows)}};
}

}  // namespace oa::zerodha
