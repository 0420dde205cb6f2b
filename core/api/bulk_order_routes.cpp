#include "api/bulk_order_routes.hpp"

#include <cmath>
#include <memory>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "api/json_reply.hpp"
#include "api/order_dispatch.hpp"
#include "api/order_fields.hpp"
#include "api/order_mode_gate.hpp"
#include "api/order_results.hpp"
#include "orders/order_plans.hpp"

namespace oa::api {
namespace {

namespace json = boost::json;
using orders::OrderReply;

// apikey and strategy only: OpenAlgo's schema cannot narrow the scope.
const Schema& bulk_schema() {
  static const Schema schema{{api_key_field(), Field::text("strategy")}};
  return schema;
}

OrderReply failure(int status, std::string message) {
  return {status, json::object{{"status", "error"}, {"message", std::move(message)}}};
}

// The plugin's book as an array of rows, or the reply saying why not.
std::optional<json::array> rows_of(const plugins::Outcome& outcome, std::string_view key, OrderReply& failed) {
  if (!outcome.ok()) {
    failed = failure(http_status_for(outcome.status), outcome.message);
    return std::nullopt;
  }
  boost::system::error_code ec;
  auto document = json::parse(outcome.json, ec);
  const json::value* rows = &document;
  if (!ec && !key.empty()) rows = document.is_object() ? document.as_object().if_contains(key) : nullptr;
  if (ec || !rows || !rows->is_array()) {
    failed = failure(500, "The broker plugin returned a malformed book");
    return std::nullopt;
  }
  return rows->as_array();
}

double number_in(const json::object& row, std::string_view key) {
  const json::value* value = row.if_contains(key);
  if (!value) return 0;
  if (value->is_number()) return value->to_number<double>();
  if (value->is_string()) return std::atof(std::string(value->get_string()).c_str());
  return 0;
}

// The broker's bulk call through the journal, its answer completed with
// OpenAlgo's summary message when the plugin left it out.
void native_bulk(const ApiContext& context, const OrderDesk& desk, const net::HttpRequest& request,
                 json::object values, std::string operation, plugins::Operation plugin_operation,
                 net::Responder respond) {
  auto client_order_id = idempotency_key(request, values);
  send_order(context, desk, operation + "/native", plugin_operation, json::object{}, std::move(client_order_id),
             [plugin_operation, respond = std::move(respond)](OrderReply reply) {
               if (succeeded(reply) && !reply.body.contains("message")) {
                 if (plugin_operation == plugins::Operation::CloseAllPositions) {
                   reply.body["message"] = "All Open Positions Squared Off";
                 } else {
                   auto count = [&reply](const char* key) {
                     const json::value* list = reply.body.if_contains(key);
                     return list && list->is_array() ? list->as_array().size() : 0;
                   };
                   reply.body["message"] = fmt::format("Canceled {} orders. Failed to cancel {} orders.",
                                                       count("canceled_orders"), count("failed_cancellations"));
                 }
               }
               respond(jsonify(reply.status, reply.body));
             });
}

// D.4 for a broker without a bulk call: every open or trigger-pending order
// of its book, cancelled one by one.
void cancel_each(const ApiContext& context, const OrderDesk& desk, std::string client_order_id, Finish finish) {
  context.plugins.call(desk.route.broker, plugins::Operation::OrderBook, "{}", desk.route.session,
                       [&context, desk, client_order_id, finish](plugins::Outcome outcome) {
                         OrderReply failed;
                         auto rows = rows_of(outcome, "orders", failed);
                         if (!rows) return finish(std::move(failed));
                         std::vector<std::string> open;
                         for (const auto& row : *rows) {
                           if (!row.is_object()) continue;
                           auto status = text_of(row.as_object(), "order_status");
                           if (status == "open" || status == "trigger pending")
                             open.push_back(text_of(row.as_object(), "orderid"));
                         }
                         struct Tally {
                           json::array cancelled, failed;
                         };
                         auto tally = std::make_shared<Tally>();
                         auto step = [&context, desk, client_order_id, open, tally](std::size_t i,
                                                                                    std::function<void()> next) {
                           send_order(context, desk, "cancelorder", plugins::Operation::CancelOrder,
                                      json::object{{"orderid", open[i]}},
                                      orders::child_client_order_id(client_order_id, "cancel-" + open[i]),
                                      [orderid = open[i], tally, next](OrderReply reply) {
                                        if (succeeded(reply))
                                          tally->cancelled.push_back(json::string(orderid));
                                        else
                                          tally->failed.push_back(json::object{
                                              {"message", text_of(reply.body, "message")}, {"orderid", orderid}});
                                        next();
                                      });
                         };
                         one_after_another(context, desk, open.size(), std::move(step), [tally, finish] {
                           auto message = fmt::format("Canceled {} orders. Failed to cancel {} orders.",
                                                      tally->cancelled.size(), tally->failed.size());
                           finish({200, json::object{{"canceled_orders", tally->cancelled},
                                                     {"failed_cancellations", tally->failed},
                                                     {"message", message},
                                                     {"status", "success"}}});
                         });
                       });
}

// D.3 for a broker without a bulk call: a MARKET order against every open
// position. Unlike OpenAlgo's "All Open Positions Squared Off" whatever
// happened, the answer counts the failures.
void close_each(const ApiContext& context, const OrderDesk& desk, std::string client_order_id, Finish finish) {
  context.plugins.call(desk.route.broker, plugins::Operation::Positions, "{}", desk.route.session,
                       [&context, desk, client_order_id, finish](plugins::Outcome outcome) {
                         OrderReply failed;
                         auto rows = rows_of(outcome, "", failed);
                         if (!rows) return finish(std::move(failed));
                         std::vector<json::object> exits;
                         for (const auto& row : *rows) {
                           if (!row.is_object()) continue;
                           const auto& position = row.as_object();
                           const double quantity = number_in(position, "quantity");
                           if (quantity == 0) continue;
                           exits.push_back({{"strategy", "Squareoff"},
                                            {"symbol", text_of(position, "symbol")},
                                            {"exchange", text_of(position, "exchange")},
                                            {"action", quantity > 0 ? "SELL" : "BUY"},
                                            {"quantity", std::fabs(quantity)},
                                            {"pricetype", "MARKET"},
                                            {"product", text_of(position, "product")},
                                            {"price", 0.0},
                                            {"trigger_price", 0.0},
                                            {"disclosed_quantity", 0}});
                           if (exits.back().at("exchange") != "CRYPTO")
                             exits.back()["quantity"] = static_cast<std::int64_t>(std::fabs(quantity));
                         }
                         struct Tally {
                           std::int64_t closed = 0, failed = 0;
                         };
                         auto tally = std::make_shared<Tally>();
                         auto step = [&context, desk, client_order_id, exits, tally](std::size_t i,
                                                                                     std::function<void()> next) {
                           send_order(context, desk, "placeorder", plugins::Operation::PlaceOrder, exits[i],
                                      orders::child_client_order_id(client_order_id, "exit" + std::to_string(i + 1)),
                                      [tally, next](OrderReply reply) {
                                        (succeeded(reply) ? tally->closed : tally->failed) += 1;
                                        next();
                                      });
                         };
                         one_after_another(context, desk, exits.size(), std::move(step), [tally, finish] {
                           std::string message =
                               tally->failed == 0
                                   ? std::string("All Open Positions Squared Off")
                                   : fmt::format("Closed {} positions (Failed to close {} positions)", tally->closed,
                                                 tally->failed);
                           finish({200, json::object{{"closed_positions", tally->closed},
                                                     {"failed_closures", tally->failed},
                                                     {"message", message},
                                                     {"status", "success"}}});
                         });
                       });
}

using Each = void (*)(const ApiContext&, const OrderDesk&, std::string, Finish);

void bulk(const ApiContext& context, net::HttpRequest&& request, net::Responder respond, std::string operation,
          std::string_view semi_auto_refusal, plugins::Operation plugin_operation, std::uint64_t native_capability,
          void (sandbox::Engine::*analyze)(std::int64_t, sandbox::Engine::Done), Each each) {
  auto authorised = authorise(request, bulk_schema(), context.accounts, respond, v_str(context));
  if (!authorised) return;
  if (refused_in_semi_auto(context, authorised->user_id, semi_auto_refusal, respond)) return;
  auto desk = order_desk(context, authorised->user_id);
  if (desk.analyze) {
    auto client_order_id = idempotency_key(request, authorised->values);
    return run_composite(context, desk, std::move(operation), plugin_document(std::move(authorised->values)),
                         std::move(client_order_id), std::move(respond), [&context, desk, analyze](Finish finish) {
                           (context.sandbox->*analyze)(desk.user_id, [finish](sandbox::Reply reply) {
                             finish({reply.status, std::move(reply.body)});
                           });
                         });
  }
  auto manifest = context.plugins.manifest(desk.route.broker);
  if (manifest && (manifest->capabilities & native_capability))
    return native_bulk(context, desk, request, std::move(authorised->values), std::move(operation), plugin_operation,
                       std::move(respond));
  if (!broker_has(context, desk.route.broker, OA_CAP_ORDERS | OA_CAP_BOOKS,
                  operation + " (no native call, and orders and books to do it order by order)", respond))
    return;
  auto client_order_id = idempotency_key(request, authorised->values);
  auto document = plugin_document(std::move(authorised->values));
  run_composite(context, desk, std::move(operation), std::move(document), client_order_id, std::move(respond),
                [&context, desk, client_order_id, each](Finish finish) {
                  each(context, desk, client_order_id, std::move(finish));
                });
}

void cancel_all(const ApiContext& context, net::HttpRequest&& request, net::Responder respond) {
  bulk(context, std::move(request), std::move(respond), "cancelallorder",
       "Cancel all orders operation is not allowed in Semi-Auto mode. Please switch to Auto mode to cancel orders.",
       plugins::Operation::CancelAllOrders,
       OA_CAP_CANCEL_ALL, &sandbox::Engine::cancel_all_orders, cancel_each);
}

void close_all(const ApiContext& context, net::HttpRequest&& request, net::Responder respond) {
  bulk(context, std::move(request), std::move(respond), "closeposition",
       "Close position operation is not allowed in Semi-Auto mode. Please switch to Auto mode to close positions.",
       plugins::Operation::CloseAllPositions,
       OA_CAP_CLOSE_ALL, &sandbox::Engine::close_all_positions, close_each);
}

}  // namespace

void add_bulk_order_routes(Router& router, const ApiContext& context) {
  router.add(endpoint_route(context, "POST", "/api/v1/cancelallorder", "Cancels every open order", cancel_all)
                 .documented(json_body(bulk_schema())));
  router.add(endpoint_route(context, "POST", "/api/v1/closeposition", "Squares off every open position", close_all)
                 .documented(json_body(bulk_schema())));
}

}  // namespace oa::api
