#include "sandbox/books.hpp"

#include <cmath>

#include "sandbox/ist_time.hpp"
#include "sandbox/positions.hpp"

namespace oa::sandbox {
namespace {

namespace json = boost::json;

json::object success(json::value data) {
  return {{"status", "success"}, {"data", std::move(data)}, {"mode", "analyze"}};
}

json::object order_row(const Order& order) {
  return {{"orderid", order.orderid},
          {"symbol", order.symbol},
          {"exchange", order.exchange},
          {"action", to_string(order.action)},
          {"quantity", quantity_json(order.quantity)},
          {"price", round2(order.price)},
          {"trigger_price", round2(order.trigger_price)},
          {"pricetype", to_string(order.price_type)},
          {"product", to_string(order.product)},
          {"order_status", to_string(order.status)},
          {"average_price", round2(order.average_price)},
          {"filled_quantity", quantity_json(order.filled_quantity)},
          {"pending_quantity", quantity_json(order.pending_quantity)},
          {"rejection_reason", order.rejection_reason},
          {"timestamp", format_ist_timestamp(order.created_ms)},
          {"strategy", order.strategy}};
}

json::object order_statistics(const std::vector<Order>& orders) {
  std::int64_t buys = 0, sells = 0, complete = 0, open = 0, rejected = 0, trigger_pending = 0;
  for (const Order& order : orders) {
    (order.action == Action::Buy ? buys : sells) += 1;
    complete += order.status == OrderStatus::Complete;
    open += order.status == OrderStatus::Open;
    rejected += order.status == OrderStatus::Rejected;
    trigger_pending += order.status == OrderStatus::TriggerPending;
  }
  return {{"total_buy_orders", buys},
          {"total_sell_orders", sells},
          {"total_completed_orders", complete},
          {"total_open_orders", open},
          {"total_rejected_orders", rejected},
          {"total_trigger_pending_orders", trigger_pending}};
}

json::object trade_row(const Trade& trade) {
  return {{"tradeid", trade.tradeid},
          {"orderid", trade.orderid},
          {"symbol", trade.symbol},
          {"exchange", trade.exchange},
          {"action", to_string(trade.action)},
          {"quantity", quantity_json(trade.quantity)},
          {"average_price", round2(trade.price)},
          {"price", round2(trade.price)},
          {"trade_value", round2(trade.price * std::fabs(trade.quantity))},
          {"product", to_string(trade.product)},
          {"strategy", trade.strategy},
          {"timestamp", format_ist_timestamp(trade.created_ms)}};
}

struct PositionFigures {
  double unrealized = 0, today_realized = 0;
  double total_today() const { return unrealized + today_realized; }
};

json::object position_row(const MarkedPosition& marked, const PositionFigures& figures) {
  const Position& p = marked.position;
  const bool open = p.quantity != 0;
  const double ltp = marked.ltp > 0 ? marked.ltp : p.ltp;
  const double exposure = std::fabs(p.average_price * p.quantity * marked.contract_value);
  const double percent = open && exposure > 0 ? figures.total_today() / exposure * 100 : 0;
  return {{"symbol", p.key.symbol},
          {"exchange", p.key.exchange},
          {"product", to_string(p.key.product)},
          {"quantity", quantity_json(p.quantity)},
          {"average_price", open ? round2(p.average_price) : 0.0},
          {"ltp", round2(ltp)},
          {"pnl", round2(figures.total_today())},
          {"pnlpercent", round2(percent)},
          {"unrealized_pnl", round2(figures.unrealized)},
          {"today_realized_pnl", round2(figures.today_realized)},
          {"total_pnl_today", round2(figures.total_today())},
          {"lot_size", marked.contract_value}};
}

}  // namespace

json::value quantity_json(double quantity) {
  if (std::floor(quantity) == quantity && std::fabs(quantity) < 9e15) {
    return static_cast<std::int64_t>(quantity);
  }
  return quantity;
}

double round2(double value) {
  const double rounded = std::round(value * 100.0) / 100.0;
  return rounded == 0 ? 0.0 : rounded;
}

json::object order_book_body(const std::vector<Order>& orders) {
  json::array rows;
  for (const Order& order : orders) rows.push_back(order_row(order));
  return success(json::object{{"orders", std::move(rows)}, {"statistics", order_statistics(orders)}});
}

json::object trade_book_body(const std::vector<Trade>& trades) {
  json::array rows;
  for (const Trade& trade : trades) rows.push_back(trade_row(trade));
  return success(std::move(rows));
}

bool shown_in_position_book(const Position& position, std::int64_t session_start_ms) {
  if (position.quantity != 0) return true;
  return position.updated_ms >= session_start_ms && position.today_realized_pnl != 0;
}

json::object position_book_body(const std::vector<MarkedPosition>& positions) {
  json::array rows;
  PositionFigures totals;
  for (const MarkedPosition& marked : positions) {
    PositionFigures figures;
    figures.unrealized = unrealized_pnl(marked.position, marked.ltp, marked.contract_value);
    figures.today_realized = to_rupees(marked.position.today_realized_pnl);
    totals.unrealized += figures.unrealized;
    totals.today_realized += figures.today_realized;
    rows.push_back(position_row(marked, figures));
  }
  json::object body = success(std::move(rows));
  body["total_pnl"] = round2(totals.total_today());
  body["total_unrealized_pnl"] = round2(totals.unrealized);
  body["total_today_realized_pnl"] = round2(totals.today_realized);
  body["total_pnl_today"] = round2(totals.total_today());
  return body;
}

json::object holdings_body(const std::vector<MarkedHolding>& holdings) {
  json::array rows;
  double holding_value = 0, invested_value = 0;
  for (const MarkedHolding& marked : holdings) {
    const Holding& h = marked.holding;
    const double ltp = marked.ltp > 0 ? marked.ltp : h.ltp;
    const double invested = h.average_price * h.quantity;
    const double current = ltp * h.quantity;
    const double pnl = ltp > 0 ? current - invested : 0;
    holding_value += ltp > 0 ? current : invested;
    invested_value += invested;
    rows.push_back(json::object{{"symbol", h.symbol},
                                {"exchange", h.exchange},
                                {"product", "CNC"},
                                {"quantity", quantity_json(h.quantity)},
                                {"average_price", round2(h.average_price)},
                                {"ltp", round2(ltp)},
                                {"pnl", round2(pnl)},
                                {"pnlpercent", round2(pnl_percent(h.average_price, ltp, h.quantity))},
                                {"current_value", round2(current)},
                                {"settlement_date", h.settlement_date}});
  }
  const double total_pnl = holding_value - invested_value;
  json::object statistics{
      {"totalholdingvalue", round2(holding_value)},
      {"totalinvvalue", round2(invested_value)},
      {"totalprofitandloss", round2(total_pnl)},
      {"totalpnlpercentage", round2(invested_value > 0 ? total_pnl / invested_value * 100 : 0)}};
  return success(json::object{{"holdings", std::move(rows)}, {"statistics", std::move(statistics)}});
}

json::object funds_body(const Funds& funds, double unrealized_pnl) {
  const double used = to_rupees(funds.used_margin);
  return success(json::object{
      {"availablecash", round2(to_rupees(funds.available))},
      {"collateral", 0.0},
      {"m2munrealized", round2(unrealized_pnl)},
      {"m2mrealized", round2(to_rupees(funds.today_realized_pnl))},
      {"total_realized_pnl", round2(to_rupees(funds.realized_pnl))},
      {"today_realized_pnl", round2(to_rupees(funds.today_realized_pnl))},
      {"utiliseddebits", round2(used)},
      {"grossexposure", round2(used)},
      {"totalpnl", round2(to_rupees(funds.realized_pnl) + unrealized_pnl)},
      {"last_reset", format_ist_timestamp(funds.last_reset_ms)},
      {"reset_count", funds.reset_count}});
}

// The order book row's fields in the event's order; the reason only for a rejection.
json::object order_update_fields(const Order& order) {
  static constexpr std::string_view kKeys[] = {"orderid",      "symbol",          "exchange",         "action",
                                               "quantity",     "price",           "trigger_price",    "pricetype",
                                               "product",      "order_status",    "filled_quantity",  "pending_quantity",
                                               "average_price", "rejection_reason"};
  json::object row = order_row(order);
  json::object fields;
  for (auto key : kKeys) fields[key] = row.at(key);
  if (order.status != OrderStatus::Rejected) fields["rejection_reason"] = "";
  return fields;
}

json::object order_status_body(const Order& order) {
  return success(json::object{{"orderid", order.orderid},
                              {"symbol", order.symbol},
                              {"exchange", order.exchange},
                              {"action", to_string(order.action)},
                              {"quantity", quantity_json(order.quantity)},
                              {"price", round2(order.price)},
                              {"trigger_price", round2(order.trigger_price)},
                              {"price_type", to_string(order.price_type)},
                              {"product", to_string(order.product)},
                              {"order_status", to_string(order.status)},
                              {"average_price", round2(order.average_price)},
                              {"filled_quantity", quantity_json(order.filled_quantity)},
                              {"pending_quantity", quantity_json(order.pending_quantity)},
                              {"timestamp", format_ist_timestamp(order.created_ms)},
                              {"strategy", order.strategy}});
}

namespace {

// ISO 8601 in IST without a zone, as OpenAlgo's sandbox shows GTT times.
std::string ist_iso(std::int64_t ms) {
  std::string text = format_ist_timestamp(ms);
  text[10] = 'T';
  return text;
}

json::object gtt_entry(const Gtt& gtt) {
  json::array prices, legs;
  for (const GttLeg& leg : gtt.legs) {
    prices.push_back(leg.trigger_price);
    legs.push_back(json::object{{"action", to_string(leg.action)},
                                {"price", leg.price},
                                {"pricetype", to_string(leg.price_type)},
                                {"product", to_string(leg.product)},
                                {"quantity", quantity_json(leg.quantity)},
                                {"trigger_direction", to_string(leg.direction)},
                                {"trigger_price", leg.trigger_price}});
  }
  return {{"created_at", ist_iso(gtt.created_ms)},
          {"exchange", gtt.exchange},
          {"expires_at", ist_iso(gtt.expires_ms)},
          {"last_price", gtt.last_price},
          {"legs", std::move(legs)},
          {"margin_blocked", to_rupees(gtt.margin_blocked)},
          {"status", to_string(gtt.status)},
          {"strategy", gtt.strategy},
          {"symbol", gtt.symbol},
          {"trigger_id", gtt.gtt_id},
          {"trigger_prices", std::move(prices)},
          {"trigger_type", to_string(gtt.type)},
          {"updated_at", ist_iso(gtt.updated_ms)}};
}

}  // namespace

json::object gtt_book_body(const std::vector<Gtt>& gtts) {
  json::array data;
  for (const Gtt& gtt : gtts) data.push_back(gtt_entry(gtt));
  return {{"data", std::move(data)}, {"mode", "analyze"}, {"status", "success"}};
}

json::object error_body(const std::string& message) {
  return {{"status", "error"}, {"message", message}, {"mode", "analyze"}};
}

}  // namespace oa::sandbox
