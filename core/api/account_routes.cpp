#include "api/account_routes.hpp"

#include <cmath>
#include <cstdlib>
#include <variant>

#include <boost/json.hpp>

#include "api/auth_check.hpp"
#include "api/exchanges.hpp"
#include "api/json_reply.hpp"
#include "api/list_request.hpp"
#include "api/order_dispatch.hpp"
#include "api/order_mode_gate.hpp"
#include "api/request_body.hpp"

namespace oa::api {
namespace {

namespace json = boost::json;
using Done = sandbox::Engine::Done;

Done reply_with(net::Responder respond) {
  return [respond = std::move(respond)](sandbox::Reply reply) { respond(json_reply(reply.status, reply.body)); };
}

std::string text(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  if (!value) return {};
  return value->is_string() ? std::string(value->get_string()) : json::serialize(*value);
}

// The plugin's document, parsed, or an error answered.
std::optional<json::value> document_of(const plugins::Outcome& outcome, const net::Responder& respond) {
  if (!outcome.ok()) {
    respond(error_reply(http_status_for(outcome.status), outcome.message));
    return std::nullopt;
  }
  boost::system::error_code ec;
  auto document = json::parse(outcome.json, ec);
  if (ec) {
    respond(error_reply(500, "The broker plugin returned malformed data"));
    return std::nullopt;
  }
  return document;
}

void reply_data(const net::Responder& respond, json::value data) {
  respond(json_reply(200, json::object{{"data", std::move(data)}, {"status", "success"}}));
}

json::object order_statistics(const json::array& orders) {
  std::int64_t buy = 0, sell = 0, completed = 0, open = 0, rejected = 0;
  for (const auto& order : orders) {
    if (!order.is_object()) continue;
    const auto& row = order.as_object();
    buy += text(row, "action") == "BUY";
    sell += text(row, "action") == "SELL";
    completed += text(row, "order_status") == "complete";
    open += text(row, "order_status") == "open";
    rejected += text(row, "order_status") == "rejected";
  }
  return {{"total_buy_orders", buy},   {"total_sell_orders", sell},        {"total_completed_orders", completed},
          {"total_open_orders", open}, {"total_rejected_orders", rejected}};
}

const json::array* orders_in(const json::value& document) {
  const json::value* orders = document.is_object() ? document.as_object().if_contains("orders") : nullptr;
  return orders && orders->is_array() ? &orders->as_array() : nullptr;
}

// ---- handlers --------------------------------------------------------------------

const Schema& key_only() {
  static const Schema schema{{Field::text("apikey").length_between(1, 256)}};
  return schema;
}

void call_broker(const ApiContext& context, std::int64_t user_id, plugins::Operation operation,
                 std::function<void(plugins::Outcome)> done) {
  auto route = context.route_for(user_id);
  context.plugins.call(route.broker, operation, "{}", std::move(route.session), std::move(done));
}

void order_book(const ApiContext& context, net::HttpRequest&& request, net::Responder respond) {
  auto authorised = authorise(request, key_only(), context.accounts, respond);
  if (!authorised) return;
  if (analyzing(context)) return context.sandbox->order_book(authorised->user_id, reply_with(std::move(respond)));
  call_broker(context, authorised->user_id, plugins::Operation::OrderBook, [respond](plugins::Outcome outcome) {
    auto document = document_of(outcome, respond);
    if (!document) return;
    const json::array* orders = orders_in(*document);
    if (!orders) return respond(error_reply(500, "The broker plugin returned a malformed order book"));
    reply_data(respond, json::object{{"orders", *orders}, {"statistics", order_statistics(*orders)}});
  });
}

// tradebook, positionbook, funds: the plugin's document is the data.
void passthrough(const ApiContext& context, net::HttpRequest&& request, net::Responder respond,
                 plugins::Operation operation, void (sandbox::Engine::*analyze)(std::int64_t, Done)) {
  auto authorised = authorise(request, key_only(), context.accounts, respond);
  if (!authorised) return;
  if (analyzing(context)) return (context.sandbox->*analyze)(authorised->user_id, reply_with(std::move(respond)));
  call_broker(context, authorised->user_id, operation, [respond](plugins::Outcome outcome) {
    if (auto document = document_of(outcome, respond)) reply_data(respond, std::move(*document));
  });
}

json::object holdings_statistics(const json::array& holdings) {
  double invested = 0, pnl = 0;
  for (const auto& holding : holdings) {
    if (!holding.is_object()) continue;
    const auto& row = holding.as_object();
    auto number = [&row](const char* key) {
      const json::value* value = row.if_contains(key);
      return value && value->is_number() ? value->to_number<double>() : 0.0;
    };
    invested += number("average_price") * number("quantity");
    pnl += number("pnl");
  }
  auto round2 = [](double value) { return std::round(value * 100) / 100; };
  return {{"totalholdingvalue", round2(invested + pnl)},
          {"totalinvvalue", round2(invested)},
          {"totalpnlpercentage", round2(invested > 0 ? pnl / invested * 100 : 0)},
          {"totalprofitandloss", round2(pnl)}};
}

void holdings(const ApiContext& context, net::HttpRequest&& request, net::Responder respond) {
  auto authorised = authorise(request, key_only(), context.accounts, respond);
  if (!authorised) return;
  if (analyzing(context)) return context.sandbox->holdings(authorised->user_id, reply_with(std::move(respond)));
  call_broker(context, authorised->user_id, plugins::Operation::Holdings, [respond](plugins::Outcome outcome) {
    auto document = document_of(outcome, respond);
    if (!document) return;
    const json::value* rows = document->is_object() ? document->as_object().if_contains("holdings") : nullptr;
    if (!rows || !rows->is_array()) return respond(error_reply(500, "The broker plugin returned malformed holdings"));
    reply_data(respond, json::object{{"holdings", *rows}, {"statistics", holdings_statistics(rows->as_array())}});
  });
}

const Schema& order_status_schema() {
  static const Schema schema{{Field::text("apikey").length_between(1, 256), Field::text("strategy"), Field::text("orderid")}};
  return schema;
}

void order_status(const ApiContext& context, net::HttpRequest&& request, net::Responder respond) {
  bool analyze = analyzing(context);
  auto authorised = authorise(request, order_status_schema(), context.accounts, respond,
                              analyze ? ErrorStyle::PythonReprAnalyze : ErrorStyle::PythonRepr);
  if (!authorised) return;
  std::string orderid(authorised->values.at("orderid").as_string());
  if (analyze) return context.sandbox->order_status(authorised->user_id, orderid, reply_with(std::move(respond)));
  auto user = authorised->user_id;
  call_broker(context, user, plugins::Operation::OrderBook, [&context, user, orderid, respond](plugins::Outcome outcome) {
    auto document = document_of(outcome, respond);
    if (!document) return;
    const json::array* orders = orders_in(*document);
    if (!orders) return respond(error_reply(500, "The broker plugin returned a malformed order book"));
    for (const auto& order : *orders) {
      if (!order.is_object() || text(order.as_object(), "orderid") != orderid) continue;
      json::object found = order.as_object();
      if (text(found, "order_status") != "complete") {
        found["average_price"] = 0.0;
        return reply_data(respond, std::move(found));
      }
      // rest_api.md C.3.1: a complete order's average price comes from the trade book.
      return call_broker(context, user, plugins::Operation::TradeBook,
                         [found = std::move(found), orderid, respond](plugins::Outcome trades) mutable {
                           found["average_price"] = 0.0;
                           boost::system::error_code ec;
                           auto book = trades.ok() ? json::parse(trades.json, ec) : json::value();
                           if (!ec && book.is_array())
                             for (const auto& trade : book.as_array())
                               if (trade.is_object() && text(trade.as_object(), "orderid") == orderid)
                                 found["average_price"] = trade.as_object().at("average_price");
                           reply_data(respond, std::move(found));
                         });
    }
    respond(error_reply(404, "Order " + orderid + " not found"));
  });
}

const Schema& open_position_schema() {
  static const Schema schema{{Field::text("apikey").length_between(1, 256), Field::text("strategy"),
                              Field::text("symbol"), Field::text("exchange"),
                              Field::text("product").choices({"MIS", "NRML", "CNC"})}};
  return schema;
}

void open_position(const ApiContext& context, net::HttpRequest&& request, net::Responder respond) {
  bool analyze = analyzing(context);
  auto authorised = authorise(request, open_position_schema(), context.accounts, respond,
                              analyze ? ErrorStyle::PythonReprAnalyze : ErrorStyle::PythonRepr);
  if (!authorised) return;
  const auto& values = authorised->values;
  std::string symbol(values.at("symbol").as_string()), exchange(values.at("exchange").as_string()),
      product(values.at("product").as_string());
  if (analyze)
    return context.sandbox->open_position(authorised->user_id, symbol, exchange, product,
                                          [respond](sandbox::Reply reply) {
                                            reply.body["mode"] = "analyze";
                                            if (!reply.body.contains("status")) reply.body["status"] = "success";
                                            respond(json_reply(reply.status, reply.body));
                                          });
  call_broker(context, authorised->user_id, plugins::Operation::Positions,
              [symbol, exchange, product, respond](plugins::Outcome outcome) {
                auto document = document_of(outcome, respond);
                if (!document) return;
                json::value quantity = 0;
                if (document->is_array())
                  for (const auto& row : document->as_array())
                    if (row.is_object() && text(row.as_object(), "symbol") == symbol &&
                        text(row.as_object(), "exchange") == exchange && text(row.as_object(), "product") == product) {
                      quantity = row.as_object().at("quantity");
                      break;
                    }
                respond(json_reply(200, json::object{{"quantity", quantity}, {"status", "success"}}));
              });
}

json::object analyzer_status(const ApiContext& context) {
  bool on = context.analyze_mode && context.analyze_mode();
  return {{"analyze_mode", on}, {"mode", on ? "analyze" : "live"},
          {"total_logs", context.request_log ? context.request_log->analyzer_total() : 0}};
}

void analyzer(const ApiContext& context, net::HttpRequest&& request, net::Responder respond) {
  auto authorised = authorise(request, key_only(), context.accounts, respond, ErrorStyle::PythonRepr);
  if (!authorised) return;
  reply_data(respond, analyzer_status(context));
}

const Schema& analyzer_toggle_schema() {
  static const Schema schema{{Field::text("apikey").length_between(1, 256), Field::boolean("mode")}};
  return schema;
}

void analyzer_toggle(const ApiContext& context, net::HttpRequest&& request, net::Responder respond) {
  auto authorised = authorise(request, analyzer_toggle_schema(), context.accounts, respond, ErrorStyle::PythonRepr);
  if (!authorised) return;
  // OpenAlgo means to refuse this but looks the mode up by the key instead of
  // the user, so never does (rest_api.md G.15): switching modes is the
  // client's decision, not the semi-auto key holder's.
  if (in_semi_auto(context, authorised->user_id))
    return respond(error_reply(403, "Operation analyzer/toggle is not allowed in Semi-Auto mode. This operation can "
                                    "only be performed by the client via the UI. This restriction ensures SEBI "
                                    "Research Analyst compliance where mode switching is a client-only decision."));
  bool wanted = authorised->values.at("mode").as_bool();
  bool now = context.set_analyze_mode(wanted);
  auto data = analyzer_status(context);
  data["message"] = std::string("Analyzer mode switched to ") + (now ? "analyze" : "live") +
                    (wanted != now ? " (the active broker takes no real orders)" : "");
  reply_data(respond, std::move(data));
}

void tradebook(const ApiContext& context, net::HttpRequest&& request, net::Responder respond) {
  passthrough(context, std::move(request), std::move(respond), plugins::Operation::TradeBook, &sandbox::Engine::trade_book);
}

void positionbook(const ApiContext& context, net::HttpRequest&& request, net::Responder respond) {
  passthrough(context, std::move(request), std::move(respond), plugins::Operation::Positions,
              &sandbox::Engine::position_book);
}

void funds(const ApiContext& context, net::HttpRequest&& request, net::Responder respond) {
  passthrough(context, std::move(request), std::move(respond), plugins::Operation::Funds, &sandbox::Engine::funds);
}

// C.4.6: always the broker's calculator, also in analyzer mode (OpenAlgo has
// no sandbox margin). Positions are checked as OpenAlgo's service does,
// after the schema and before the key, in its words.
const OptionsSchema& margin_schema() {
  static const std::vector<std::string> actions{"BUY", "SELL", "buy", "sell"};
  static const OptionsSchema schema{
      {Field::text("apikey").length_between(1, 256, "API key must be between 1 and 256 characters.")},
      {},
      {},
      NestedList{"positions",
                 Schema{{Field::text("symbol").length_between(1, 50, "Symbol must be between 1 and 50 characters."),
                         Field::text("exchange").choices(valid_exchanges()), Field::text("action").choices(actions),
                         Field::text("quantity"), Field::text("product").choices({"MIS", "NRML", "CNC"}),
                         Field::text("pricetype").choices({"MARKET", "LIMIT", "SL", "SL-M"}),
                         Field::text("price").defaults_to("0"), Field::text("trigger_price").defaults_to("0")}},
                 1, 50, "Positions must contain 1 to 50 items."},
      1};
  return schema;
}

std::optional<double> parse_decimal(const std::string& text, bool whole) {
  std::size_t begin = text.find_first_not_of(" \t"), end = text.find_last_not_of(" \t");
  if (begin == std::string::npos) return std::nullopt;
  std::string trimmed = text.substr(begin, end - begin + 1);
  char* stop = nullptr;
  double value = whole ? static_cast<double>(std::strtoll(trimmed.c_str(), &stop, 10)) : std::strtod(trimmed.c_str(), &stop);
  if (*stop != '\0' || !std::isfinite(value)) return std::nullopt;
  return value;
}

// The positions as the plugin receives them, or OpenAlgo's message for the first bad one.
std::variant<json::array, std::string> margin_positions(const json::array& positions) {
  json::array out;
  for (std::size_t i = 0; i < positions.size(); ++i) {
    json::object position = positions[i].as_object();
    const std::string at = "Position " + std::to_string(i + 1) + ": ";
    auto quantity = parse_decimal(text(position, "quantity"), true);
    if (!quantity) return at + "Invalid quantity format";
    if (*quantity <= 0) return at + "Quantity must be a positive number";
    auto price = parse_decimal(text(position, "price"), false);
    if (!price) return at + "Invalid price format";
    if (*price < 0) return at + "Price cannot be negative";
    auto trigger = parse_decimal(text(position, "trigger_price"), false);
    if (!trigger || *trigger < 0) return at + "Invalid trigger price";
    std::string action = text(position, "action");
    for (auto& c : action) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    position["action"] = action;
    position["quantity"] = static_cast<std::int64_t>(*quantity);
    position["price"] = *price;
    position["trigger_price"] = *trigger;
    out.push_back(std::move(position));
  }
  return out;
}

void margin(const ApiContext& context, net::HttpRequest&& request, net::Responder respond) {
  auto checked = authorise_with_list(request, margin_schema(), context.accounts, respond, ErrorStyle::PythonRepr);
  if (!checked) return;
  auto positions = margin_positions(checked->values.at("positions").as_array());
  if (auto* message = std::get_if<std::string>(&positions)) return respond(error_reply(400, *message));
  auto route = context.route_for(checked->user_id);
  auto manifest = context.plugins.manifest(route.broker);
  if (!manifest || !(manifest->capabilities & OA_CAP_MARGIN))
    return respond(error_reply(501, "Margin calculation not implemented for broker: " + route.broker +
                                        " (its plugin has no margin capability)"));
  json::object document{{"positions", std::get<json::array>(std::move(positions))}};
  context.plugins.call(route.broker, plugins::Operation::Margin, json::serialize(document), std::move(route.session),
                       [respond](plugins::Outcome outcome) {
                         if (auto data = document_of(outcome, respond)) reply_data(respond, std::move(*data));
                       });
}

// C.9.3: the sandbox's positions with their P&L, and the totals. Live mode
// is refused before anything else, as OpenAlgo does.
void pnl_symbols(const ApiContext& context, net::HttpRequest&& request, net::Responder respond) {
  if (!analyzing(context))
    return respond(error_reply(400, "This endpoint is only available in sandbox/analyzer mode"));
  auto body = parse_json_body(request);
  if (!body.object) return respond(std::move(body.error));
  auto input = validate(key_only(), *body.object);
  if (!input.ok()) return respond(error_object_reply(400, errors_as_json(input.errors)));
  auto user = context.accounts.user_for_api_key(input.values.at("apikey").get_string());
  if (!user)
    return respond(json_reply(403, json::object{{"message", "Invalid API key"}, {"mode", "analyze"}, {"status", "error"}}));
  context.sandbox->position_book(*user, [respond](sandbox::Reply reply) {
    const json::value* rows = reply.body.if_contains("data");
    if (reply.status != 200 || !rows || !rows->is_array()) return respond(json_reply(reply.status, reply.body));
    json::array data;
    double pnl = 0, today = 0, realized = 0, unrealized = 0;
    for (const auto& row : rows->as_array()) {
      const auto& position = row.as_object();
      json::object entry;
      for (const char* key : {"exchange", "pnl", "product", "quantity", "symbol", "today_realized_pnl",
                              "total_pnl_today", "unrealized_pnl"})
        if (const json::value* value = position.if_contains(key)) entry[key] = *value;
      auto number = [&position](const char* key) {
        const json::value* value = position.if_contains(key);
        return value && value->is_number() ? value->to_number<double>() : 0.0;
      };
      pnl += number("pnl");
      today += number("total_pnl_today");
      realized += number("today_realized_pnl");
      unrealized += number("unrealized_pnl");
      data.push_back(std::move(entry));
    }
    auto round2 = [](double value) { return std::round(value * 100) / 100; };
    respond(json_reply(200, json::object{{"data", std::move(data)},
                                         {"mode", "analyze"},
                                         {"status", "success"},
                                         {"total_pnl", round2(pnl)},
                                         {"total_pnl_today", round2(today)},
                                         {"total_today_realized_pnl", round2(realized)},
                                         {"total_unrealized_pnl", round2(unrealized)}}));
  });
}

}  // namespace

void add_account_routes(Router& router, const ApiContext& context) {
  auto key_only_body = json_body(key_only());
  router.add(endpoint_route(context, "POST", "/api/v1/orderbook", "Today's orders with statistics", order_book)
                 .documented(key_only_body));
  router.add(endpoint_route(context, "POST", "/api/v1/tradebook", "Today's trades", tradebook).documented(key_only_body));
  router.add(endpoint_route(context, "POST", "/api/v1/positionbook", "Open and today's positions", positionbook)
                 .documented(key_only_body));
  router.add(endpoint_route(context, "POST", "/api/v1/funds", "Funds and margin", funds).documented(key_only_body));
  router.add(endpoint_route(context, "POST", "/api/v1/holdings", "Holdings with statistics", holdings)
                 .documented(key_only_body));
  router.add(endpoint_route(context, "POST", "/api/v1/orderstatus", "One order's status", order_status)
                 .documented(json_body(order_status_schema())));
  router.add(endpoint_route(context, "POST", "/api/v1/openposition", "Net quantity of one position", open_position)
                 .documented(json_body(open_position_schema())));
  router.add(endpoint_route(context, "POST", "/api/v1/margin", "Margin a basket of positions needs (the broker's calculator)",
                            margin)
                 .documented(documented(margin_schema())));
  router.add(endpoint_route(context, "POST", "/api/v1/pnl/symbols", "Sandbox P&L per position, with totals",
                            pnl_symbols)
                 .documented(key_only_body));
  router.add(endpoint_route(context, "POST", "/api/v1/analyzer", "Analyzer (sandbox) mode status", analyzer)
                 .documented(key_only_body));
  router.add(endpoint_route(context, "POST", "/api/v1/analyzer/toggle", "Switches analyzer (sandbox) mode",
                            analyzer_toggle)
                 .documented(json_body(analyzer_toggle_schema())));
}

}  // namespace oa::api
