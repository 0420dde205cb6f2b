#include "api/order_routes.hpp"

#include <boost/json.hpp>

#include "api/auth_check.hpp"
#include "api/exchanges.hpp"
#include "api/json_reply.hpp"
#include "api/order_dispatch.hpp"
#include "api/order_fields.hpp"
#include "api/order_mode_gate.hpp"

namespace oa::api {
namespace {

namespace json = boost::json;

std::vector<Field> with_common(std::vector<Field> head, Field quantity, std::vector<Field> tail) {
  for (auto& field : common_order_fields(std::move(quantity))) head.push_back(std::move(field));
  for (auto& field : tail) head.push_back(std::move(field));
  return head;
}

const Schema& place_schema() {
  static const Schema schema{
      with_common({api_key_field(), Field::text("strategy")},
                  Field::number("quantity").above(0, "Quantity must be a positive number."),
                  {Field::number("underlying_ltp").optional(), client_order_id_field()}),
      true, whole_quantity};
  return schema;
}

const Schema& modify_schema() {
  static const Schema schema{
      {api_key_field(), Field::text("strategy"), Field::text("exchange").choices(valid_exchanges()),
       Field::text("symbol"), Field::text("orderid"), Field::text("action").choices(order_actions()),
       Field::text("product").choices(order_products()), Field::text("pricetype").choices(order_price_types()),
       Field::number("price").at_least(0, "Price must be a non-negative number."),
       Field::number("quantity").above(0, "Quantity must be a positive number."),
       Field::integer("disclosed_quantity").at_least(0, "Disclosed quantity must be a non-negative integer."),
       Field::number("trigger_price").at_least(0, "Trigger price must be a non-negative number."),
       client_order_id_field()},
      true, whole_quantity};
  return schema;
}

const Schema& cancel_schema() {
  static const Schema schema{{api_key_field(), Field::text("strategy"), Field::text("orderid"), client_order_id_field()}};
  return schema;
}

void submit(const ApiContext& context, OrderIntake intake, std::string operation,
            plugins::Operation plugin_operation, net::Responder respond) {
  auto desk = order_desk(context, intake.user_id);
  if (!desk.analyze && !broker_has(context, desk.route.broker, OA_CAP_ORDERS, "orders", respond)) return;
  send_order(context, desk, std::move(operation), plugin_operation, plugin_document(std::move(intake.values)),
             std::move(intake.client_order_id),
             [respond = std::move(respond)](orders::OrderReply reply) { respond(json_reply(reply.status, reply.body)); });
}

void execute_place_order(const ApiContext& context, OrderIntake intake, net::Responder respond) {
  submit(context, std::move(intake), "placeorder", plugins::Operation::PlaceOrder, std::move(respond));
}

void place_order(const ApiContext& context, net::HttpRequest&& request, net::Responder respond) {
  auto authorised = authorise(request, place_schema(), context.accounts, respond, ErrorStyle::PythonRepr);
  if (!authorised) return;
  auto intake = intake_of(request, std::move(*authorised));
  if (held_for_approval(context, "placeorder", intake, respond)) return;
  execute_place_order(context, std::move(intake), std::move(respond));
}

void modify_order(const ApiContext& context, net::HttpRequest&& request, net::Responder respond) {
  auto authorised = authorise(request, modify_schema(), context.accounts, respond, v_str(context));
  if (!authorised) return;
  if (refused_in_semi_auto(context, authorised->user_id,
                           "Modify order operation is not allowed in Semi-Auto mode. Please switch to Auto mode to "
                           "modify orders.",
                           respond))
    return;
  submit(context, intake_of(request, std::move(*authorised)), "modifyorder", plugins::Operation::ModifyOrder,
         std::move(respond));
}

void cancel_order(const ApiContext& context, net::HttpRequest&& request, net::Responder respond) {
  auto authorised = authorise(request, cancel_schema(), context.accounts, respond, v_str(context));
  if (!authorised) return;
  if (authorised->values.at("orderid").as_string().empty()) return respond(error_reply(400, "Order ID is missing"));
  if (refused_in_semi_auto(context, authorised->user_id,
                           "Cancel order operation is not allowed in Semi-Auto mode. Please switch to Auto mode to "
                           "cancel orders.",
                           respond))
    return;
  submit(context, intake_of(request, std::move(*authorised)), "cancelorder", plugins::Operation::CancelOrder,
         std::move(respond));
}

}  // namespace

void add_order_routes(Router& router, const ApiContext& context) {
  on_approval(context, "placeorder", [&context](OrderIntake intake, net::Responder respond) {
    execute_place_order(context, std::move(intake), std::move(respond));
  });
  router.add(endpoint_route(context, "POST", "/api/v1/placeorder",
                            "Places an order (journaled; client_order_id makes it idempotent)", place_order,
                            RateClass::Order)
                 .documented(json_body(place_schema())));
  router.add(endpoint_route(context, "POST", "/api/v1/modifyorder", "Modifies an open order", modify_order,
                            RateClass::Order)
                 .documented(json_body(modify_schema())));
  router.add(endpoint_route(context, "POST", "/api/v1/cancelorder", "Cancels an open order", cancel_order,
                            RateClass::Order)
                 .documented(json_body(cancel_schema())));
}

}  // namespace oa::api
