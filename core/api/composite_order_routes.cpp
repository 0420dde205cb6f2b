#include "api/composite_order_routes.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "api/json_reply.hpp"
#include "api/list_request.hpp"
#include "api/order_dispatch.hpp"
#include "api/order_fields.hpp"
#include "api/order_mode_gate.hpp"
#include "api/order_results.hpp"
#include "orders/order_plans.hpp"
#include "orders/per_key_queue.hpp"

namespace oa::api {
namespace {

namespace json = boost::json;
using orders::OrderReply;

struct CompositeRoutes {
  explicit CompositeRoutes(const ApiContext& api) : context(api) {}
  const ApiContext& context;
  // Smart orders for one position (user, exchange, symbol, product) run one
  // at a time, so each decides from the position the one before it left.
  orders::PerKeyQueue smart_orders;
};

std::vector<Field> fields(std::vector<Field> head, std::vector<Field> more) {
  for (auto& field : more) head.push_back(std::move(field));
  return head;
}

const Schema& smart_schema() {
  static const Schema schema{
      fields(fields({api_key_field(), Field::text("strategy")},
                    common_order_fields(Field::number("quantity").at_least(0, "Quantity must be a non-negative number."))),
             {Field::number("position_size"), client_order_id_field()}),
      true, whole_quantity};
  return schema;
}

const Schema& split_schema() {
  static const Schema schema{
      fields(fields({api_key_field(), Field::text("strategy")},
                    common_order_fields(Field::number("quantity").above(0, "Total quantity must be a positive number."))),
             {Field::integer("splitsize").at_least(1, "Split size must be a positive integer."),
              client_order_id_field()}),
      true, whole_quantity};
  return schema;
}

const OptionsSchema& basket_schema() {
  static const OptionsSchema schema{
      {api_key_field(), Field::text("strategy"), client_order_id_field()},
      {},
      {},
      NestedList{"orders",
                 Schema{common_order_fields(Field::number("quantity").above(0, "Quantity must be a positive number.")),
                        true, whole_quantity},
                 0, std::numeric_limits<std::size_t>::max()},
      2};
  return schema;
}

json::object error_body(const OrderDesk& desk, std::string message) {
  return with_mode(json::object{{"status", "error"}, {"message", std::move(message)}}, desk);
}

// A live smart order's answer waits SMART_ORDER_DELAY on a timer (OpenAlgo
// sleeps), so the broker's position book shows the fill to the next one.
void after_smart_delay(const ApiContext& context, const OrderDesk& desk, std::function<void()> then) {
  if (desk.analyze || !context.run_after || context.smart_order_delay.count() <= 0) return then();
  context.run_after(context.smart_order_delay, std::move(then));
}

std::optional<double> quantity_of(const json::value& value) {
  if (value.is_number()) return value.to_number<double>();
  if (!value.is_string()) return std::nullopt;
  std::string digits(value.get_string());
  char* end = nullptr;
  double number = std::strtod(digits.c_str(), &end);
  if (digits.empty() || *end != '\0') return std::nullopt;
  return number;
}

// The user's net position in (symbol, exchange, product), 0 when none: from
// the sandbox in analyzer mode, else the broker's position book.
void current_position(const ApiContext& context, const OrderDesk& desk, const json::object& order,
                      std::function<void(std::optional<double>, OrderReply)> done) {
  std::string symbol = text_of(order, "symbol"), exchange = text_of(order, "exchange"), product = text_of(order, "product");
  if (desk.analyze)
    return context.sandbox->open_position(desk.user_id, symbol, exchange, product, [done](sandbox::Reply reply) {
      const json::value* quantity = reply.body.if_contains("quantity");
      if (reply.status != 200 || !quantity) return done(std::nullopt, {reply.status, std::move(reply.body)});
      done(quantity_of(*quantity).value_or(0), {});
    });
  context.plugins.call(desk.route.broker, plugins::Operation::Positions, "{}", desk.route.session,
                       [done, symbol, exchange, product](plugins::Outcome outcome) {
                         if (!outcome.ok())
                           return done(std::nullopt, {http_status_for(outcome.status),
                                                      json::object{{"status", "error"}, {"message", outcome.message}}});
                         boost::system::error_code ec;
                         auto book = json::parse(outcome.json, ec);
                         if (ec || !book.is_array())
                           return done(std::nullopt, {500, json::object{{"status", "error"},
                                                                         {"message", "The broker plugin returned a "
                                                                                     "malformed position book"}}});
                         for (const auto& row : book.as_array()) {
                           if (!row.is_object()) continue;
                           const auto& position = row.as_object();
                           if (text_of(position, "symbol") != symbol || text_of(position, "exchange") != exchange ||
                               text_of(position, "product") != product)
                             continue;
                           const json::value* quantity = position.if_contains("quantity");
                           return done(quantity ? quantity_of(*quantity).value_or(0) : 0, {});
                         }
                         done(0, {});
                       });
}

// The smart order decided by the host: the position, D.1's table, one order.
// The order keeps the request's pricetype and prices in the sandbox too
// (OpenAlgo's sandbox always sent MARKET, reading a misnamed key: G.9).
void computed_smart_order(const ApiContext& context, const OrderDesk& desk, json::object document,
                          std::string client_order_id, Finish finish) {
  current_position(context, desk, document, [&context, desk, document, client_order_id, finish](
                                                std::optional<double> current, OrderReply failure) mutable {
    if (!current) return finish(std::move(failure));
    const double target = std::trunc(document.at("position_size").to_number<double>());
    auto plan = orders::plan_smart_order(text_of(document, "action"), document.at("quantity").to_number<double>(), target,
                                         *current);
    if (!plan.place)
      return finish({200, with_mode(json::object{{"status", "success"}, {"message", plan.message}}, desk)});
    document.erase("position_size");
    document["action"] = plan.action;
    if (document.at("exchange") == "CRYPTO") document["quantity"] = plan.quantity;
    else document["quantity"] = static_cast<std::int64_t>(plan.quantity);
    send_order(context, desk, "placeorder", plugins::Operation::PlaceOrder, std::move(document),
               orders::child_client_order_id(client_order_id, "order1"), [&context, desk, finish](OrderReply reply) {
                 after_smart_delay(context, desk, [finish, reply = std::move(reply)] { finish(reply); });
               });
  });
}

// One smart order, while its position is ours: the broker's own call, or
// the host's arithmetic over the current position.
void smart_order_task(const ApiContext& context, const OrderDesk& desk, bool native, json::object document,
                      std::string client_order_id, const net::Responder& answer) {
  if (native)
    return send_order(context, desk, "placesmartorder/native", plugins::Operation::PlaceSmartOrder, std::move(document),
                      std::move(client_order_id), [&context, desk, answer](OrderReply reply) {
                        after_smart_delay(context, desk,
                                          [answer, reply] { answer(jsonify(reply.status, reply.body)); });
                      });
  run_composite(context, desk, "placesmartorder", document, client_order_id, answer,
                [&context, desk, document, client_order_id](Finish finish) {
                  computed_smart_order(context, desk, document, client_order_id, std::move(finish));
                });
}

void execute_smart_order(CompositeRoutes& routes, OrderIntake intake, net::Responder respond) {
  const ApiContext& context = routes.context;
  auto desk = order_desk(context, intake.user_id);
  if (!desk.analyze && !broker_has(context, desk.route.broker, OA_CAP_ORDERS, "orders", respond)) return;
  auto manifest = context.plugins.manifest(desk.route.broker);
  const bool native = !desk.analyze && manifest && (manifest->capabilities & OA_CAP_SMART_ORDER);
  if (!desk.analyze && !native &&
      !broker_has(context, desk.route.broker, OA_CAP_BOOKS, "smart orders (no native call and no position book)",
                  respond))
    return;
  auto client_order_id = std::move(intake.client_order_id);
  auto document = plugin_document(std::move(intake.values));
  const std::string key = std::to_string(desk.user_id) + "|" + text_of(document, "exchange") + "|" +
                          text_of(document, "symbol") + "|" + text_of(document, "product");
  routes.smart_orders.run(key, [&context, desk, native, document = std::move(document),
                                client_order_id = std::move(client_order_id),
                                respond = std::move(respond)](orders::PerKeyQueue::Release release) mutable {
    auto answer = [respond = std::move(respond), release](net::HttpResponse response) {
      respond(std::move(response));
      release();
    };
    // The position stays busy until `answer` runs: an exception must answer too.
    try {
      smart_order_task(context, desk, native, std::move(document), std::move(client_order_id), answer);
    } catch (const std::exception& error) {
      spdlog::error("orders: smart order for user {} failed: {}", desk.user_id, error.what());
      answer(jsonify(500, json::object{{"status", "error"},
                                       {"message", "Failed to place smart order due to internal error"}}));
    }
  });
}

void place_smart_order(CompositeRoutes& routes, net::HttpRequest&& request, net::Responder respond) {
  const ApiContext& context = routes.context;
  auto authorised = authorise(request, smart_schema(), context.accounts, respond, v_str(context));
  if (!authorised) return;
  auto intake = intake_of(request, std::move(*authorised));
  if (held_for_approval(context, "smartorder", intake, respond)) return;
  execute_smart_order(routes, std::move(intake), std::move(respond));
}

// C.1.7's per-item result.
json::object basket_result(const json::object& item, const OrderReply& reply, const OrderDesk& desk, bool last) {
  if (!succeeded(reply))
    return {{"message", text_of(reply.body, "message")}, {"status", "error"}, {"symbol", item.at("symbol")}};
  json::object result{{"exchange", item.at("exchange")},
                      {"orderid", text_of(reply.body, "orderid")},
                      {"product", item.at("product")},
                      {"status", "success"},
                      {"symbol", item.at("symbol")}};
  if (desk.analyze) {
    result["batch_order"] = true;
    result["is_last_order"] = last;
  }
  return result;
}

void execute_basket_order(CompositeRoutes& routes, OrderIntake intake, net::Responder respond) {
  const ApiContext& context = routes.context;
  auto desk = order_desk(context, intake.user_id);
  if (!desk.analyze && !broker_has(context, desk.route.broker, OA_CAP_ORDERS, "orders", respond)) return;
  auto client_order_id = std::move(intake.client_order_id);
  auto document = plugin_document(std::move(intake.values));
  run_composite(context, desk, "basketorder", document, client_order_id, std::move(respond),
                [&context, desk, document, client_order_id](Finish finish) {
                  const auto& items = document.at("orders").as_array();
                  std::vector<std::string> actions;
                  for (const auto& item : items) actions.push_back(text_of(item.as_object(), "action"));
                  auto sequence = orders::buys_then_sells(actions);
                  auto results = std::make_shared<json::array>();
                  auto step = [&context, desk, document, client_order_id, sequence, results](
                                  std::size_t i, std::function<void()> next) {
                    const std::size_t position = sequence[i];
                    json::object item = plugin_document(document.at("orders").at(position).as_object());
                    item["strategy"] = document.at("strategy");
                    const bool last = i + 1 == sequence.size();
                    send_order(context, desk, "placeorder", plugins::Operation::PlaceOrder, item,
                               orders::child_client_order_id(client_order_id, "order" + std::to_string(position + 1)),
                               [desk, item, last, results, next](OrderReply reply) {
                                 results->push_back(basket_result(item, reply, desk, last));
                                 next();
                               });
                  };
                  one_after_another(context, desk, sequence.size(), std::move(step), [desk, results, finish] {
                    finish({200, with_mode(json::object{{"results", *results}, {"status", "success"}}, desk)});
                  });
                });
}

void basket_order(CompositeRoutes& routes, net::HttpRequest&& request, net::Responder respond) {
  const ApiContext& context = routes.context;
  auto authorised = authorise_with_list(request, basket_schema(), context.accounts, respond, v_str(context));
  if (!authorised) return;
  auto intake = intake_of(request, std::move(*authorised));
  if (held_for_approval(context, "basketorder", intake, respond)) return;
  execute_basket_order(routes, std::move(intake), std::move(respond));
}

void execute_split_order(CompositeRoutes& routes, OrderIntake intake, net::Responder respond) {
  const ApiContext& context = routes.context;
  auto desk = order_desk(context, intake.user_id);
  auto total = static_cast<std::int64_t>(intake.values.at("quantity").to_number<double>());
  auto size = intake.values.at("splitsize").as_int64();
  auto quantities = orders::split_quantities(total, size);
  if (!quantities) return respond(jsonify(400, error_body(desk, std::string(orders::kTooManySplitOrders))));
  if (!desk.analyze && !broker_has(context, desk.route.broker, OA_CAP_ORDERS, "orders", respond)) return;
  auto client_order_id = std::move(intake.client_order_id);
  auto document = plugin_document(std::move(intake.values));
  run_composite(context, desk, "splitorder", document, client_order_id, std::move(respond),
                [&context, desk, document, client_order_id, total, size, quantities = *quantities](Finish finish) {
                  auto results = std::make_shared<json::array>();
                  auto step = [&context, desk, document, client_order_id, quantities, results](
                                  std::size_t i, std::function<void()> next) {
                    json::object child = document;
                    child.erase("splitsize");
                    child["quantity"] = quantities[i];
                    send_order(context, desk, "placeorder", plugins::Operation::PlaceOrder, std::move(child),
                               orders::child_client_order_id(client_order_id, "order" + std::to_string(i + 1)),
                               [i, quantity = quantities[i], results, next](OrderReply reply) {
                                 results->push_back(split_result(i + 1, quantity, reply));
                                 next();
                               });
                  };
                  one_after_another(context, desk, quantities.size(), std::move(step),
                                    [desk, results, total, size, finish] {
                                      finish({200, with_mode(json::object{{"results", *results},
                                                                          {"split_size", size},
                                                                          {"status", "success"},
                                                                          {"total_quantity", total}},
                                                             desk)});
                                    });
                });
}

void split_order(CompositeRoutes& routes, net::HttpRequest&& request, net::Responder respond) {
  const ApiContext& context = routes.context;
  auto authorised = authorise(request, split_schema(), context.accounts, respond, v_str(context));
  if (!authorised) return;
  auto intake = intake_of(request, std::move(*authorised));
  if (held_for_approval(context, "splitorder", intake, respond)) return;
  execute_split_order(routes, std::move(intake), std::move(respond));
}

using CompositeHandler = void (*)(CompositeRoutes&, net::HttpRequest&&, net::Responder);
using CompositeExecutor = void (*)(CompositeRoutes&, OrderIntake, net::Responder);

}  // namespace

void add_composite_order_routes(Router& router, const ApiContext& context) {
  auto routes = std::make_shared<CompositeRoutes>(context);
  auto approved = [&](const char* api_type, CompositeExecutor execute) {
    on_approval(context, api_type, [routes, execute](OrderIntake intake, net::Responder respond) {
      execute(*routes, std::move(intake), std::move(respond));
    });
  };
  approved("smartorder", execute_smart_order);
  approved("basketorder", execute_basket_order);
  approved("splitorder", execute_split_order);
  auto add = [&](const char* path, const char* summary, CompositeHandler handler, RateClass limit, RequestDoc doc) {
    router.add(Route{"POST", path, summary,
                     [routes, handler](net::HttpRequest&& request, net::Responder respond) {
                       handler(*routes, std::move(request), std::move(respond));
                     },
                     limit}
                   .documented(std::move(doc)));
  };
  add("/api/v1/placesmartorder", "Trades to a target position (position_size)", place_smart_order,
      RateClass::SmartOrder, json_body(smart_schema()));
  add("/api/v1/basketorder", "Places several orders, BUY before SELL, with a result per order", basket_order,
      RateClass::Api, documented(basket_schema()));
  add("/api/v1/splitorder", "Places one quantity as orders of at most splitsize each", split_order, RateClass::Api,
      json_body(split_schema()));
}

}  // namespace oa::api
