#include "api/gtt_routes.hpp"

#include <cmath>

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

Field trigger_id() { return Field::text("trigger_id").at_least_chars(1); }
Field trigger(const char* name) {
  return Field::number(name)
      .at_least(0, std::string(name) + " must be non-negative.")
      .empty_as(0.0)
      .defaults_to(0.0);
}
Field leg_limit(const char* name) { return Field::number(name).nullable().empty_as(nullptr).optional(); }

double number(const json::object& values, const char* key) {
  const json::value* value = values.if_contains(key);
  return value && value->is_number() ? value->to_number<double>() : 0;
}

// rest_api.md C.2.1: SINGLE takes one trigger (the stop-loss one when both
// are given) and no leg limits; OCO needs both triggers and both leg
// limits, the stop-loss trigger below the target's. Then, as for every
// order, a whole quantity except on CRYPTO. Adds the trigger_price brokers
// are given.
FieldErrors gtt_rules(json::object& values) {
  FieldErrors errors;
  const double sl = number(values, "triggerprice_sl"), tg = number(values, "triggerprice_tg");
  if (values.at("trigger_type") == "SINGLE") {
    if (!(sl > 0) && !(tg > 0)) {
      errors.push_back({"triggerprice_sl", {"SINGLE GTT requires a positive triggerprice_sl or triggerprice_tg."}});
      return errors;
    }
    if (sl > 0) values["triggerprice_tg"] = 0.0;
    values["stoploss"] = nullptr;
    values["target"] = nullptr;
    values["trigger_price"] = sl > 0 ? sl : tg;
  } else {
    const std::pair<const char*, const char*> required[] = {
        {"triggerprice_sl", "Required for OCO (stoploss trigger)."},
        {"stoploss", "Required for OCO (stoploss leg limit)."},
        {"triggerprice_tg", "Required for OCO (target trigger)."},
        {"target", "Required for OCO (target leg limit)."}};
    for (const auto& [field, message] : required)
      if (!(number(values, field) > 0)) errors.push_back({field, {message}});
    if (!errors.empty()) return errors;
    if (sl >= tg) {
      errors.push_back({"triggerprice_sl", {"Stoploss trigger must be less than target trigger (triggerprice_tg)."}});
      return errors;
    }
    values["trigger_price"] = tg;
  }
  return whole_quantity(values);
}

std::vector<Field> gtt_fields() {
  return {api_key_field(),
          Field::text("strategy"),
          Field::text("trigger_type").upper_cased().choices({"SINGLE", "OCO"}, "Must be 'SINGLE' or 'OCO'."),
          Field::text("exchange").choices(valid_exchanges()),
          Field::text("symbol"),
          Field::text("action").upper_cased().choices({"BUY", "SELL"}),
          Field::text("product").choices(
              {"NRML", "CNC"}, "GTT supports only CNC (delivery) or NRML (overnight F&O); MIS is intraday-only."),
          Field::number("quantity").above(0, "Quantity must be a positive number."),
          Field::text("pricetype").upper_cased().choices({"LIMIT", "MARKET"}).defaults_to("LIMIT"),
          Field::number("price").at_least(0, "Price must be a non-negative number."),
          trigger("triggerprice_sl"),
          trigger("triggerprice_tg"),
          leg_limit("stoploss"),
          leg_limit("target"),
          client_order_id_field()};
}

// Unknown keys are dropped, not refused, as OpenAlgo's GTT schemas do.
const Schema& place_schema() {
  static const Schema schema = [] {
    auto fields = gtt_fields();
    fields.push_back(Field::text("expires_at").nullable().optional());
    return Schema{std::move(fields), false, gtt_rules};
  }();
  return schema;
}

const Schema& modify_schema() {
  static const Schema schema = [] {
    auto fields = gtt_fields();
    fields.insert(fields.begin() + 2, trigger_id());
    return Schema{std::move(fields), false, gtt_rules};
  }();
  return schema;
}

const Schema& cancel_schema() {
  static const Schema schema{{api_key_field(), Field::text("strategy"), trigger_id(), client_order_id_field()}};
  return schema;
}

const Schema& book_schema() {
  static const Schema schema{{api_key_field()}};
  return schema;
}

// rest_api.md C.2.1: a broker without GTT answers 501, naming it.
bool broker_takes_gtt(const ApiContext& context, const BrokerRoute& route, const net::Responder& respond) {
  auto manifest = context.plugins.manifest(route.broker);
  if (manifest && (manifest->capabilities & OA_CAP_GTT)) return true;
  respond(error_reply(501, "GTT orders are not supported for broker '" + route.broker + "' yet"));
  return false;
}

void send_gtt(const ApiContext& context, OrderIntake intake, std::string operation,
              plugins::Operation plugin_operation, net::Responder respond) {
  auto desk = order_desk(context, intake.user_id);
  if (!desk.analyze && !broker_takes_gtt(context, desk.route, respond)) return;
  send_order(context, desk, std::move(operation), plugin_operation, plugin_document(std::move(intake.values)),
             std::move(intake.client_order_id),
             [respond = std::move(respond)](orders::OrderReply reply) { respond(json_reply(reply.status, reply.body)); });
}

void execute_place_gtt(const ApiContext& context, OrderIntake intake, net::Responder respond) {
  send_gtt(context, std::move(intake), "placegttorder", plugins::Operation::GttPlace, std::move(respond));
}

void place_gtt(const ApiContext& context, net::HttpRequest&& request, net::Responder respond) {
  auto authorised = authorise(request, place_schema(), context.accounts, respond, v_str(context));
  if (!authorised) return;
  auto intake = intake_of(request, std::move(*authorised));
  if (held_for_approval(context, "placegttorder", intake, respond)) return;
  execute_place_gtt(context, std::move(intake), std::move(respond));
}

// Modify and cancel: refused for semi-auto users while orders are live.
void change_gtt(const ApiContext& context, const net::HttpRequest& request, const Schema& schema,
                std::string_view semi_auto_refusal, std::string operation, plugins::Operation plugin_operation,
                net::Responder respond) {
  auto authorised = authorise(request, schema, context.accounts, respond, v_str(context));
  if (!authorised) return;
  if (refused_in_semi_auto(context, authorised->user_id, semi_auto_refusal, respond)) return;
  send_gtt(context, intake_of(request, std::move(*authorised)), std::move(operation), plugin_operation,
           std::move(respond));
}

void modify_gtt(const ApiContext& context, net::HttpRequest&& request, net::Responder respond) {
  change_gtt(context, request, modify_schema(), "Modify GTT order is not allowed in Semi-Auto mode. Switch to Auto mode.",
             "modifygttorder", plugins::Operation::GttModify, std::move(respond));
}

void cancel_gtt(const ApiContext& context, net::HttpRequest&& request, net::Responder respond) {
  change_gtt(context, request, cancel_schema(), "Cancel GTT order is not allowed in Semi-Auto mode. Switch to Auto mode.",
             "cancelgttorder", plugins::Operation::GttCancel, std::move(respond));
}

void gtt_book(const ApiContext& context, net::HttpRequest&& request, net::Responder respond) {
  auto authorised = authorise(request, book_schema(), context.accounts, respond);
  if (!authorised) return;
  auto desk = order_desk(context, authorised->user_id);
  if (desk.analyze) {
    return context.sandbox->gtt_book(authorised->user_id, [respond = std::move(respond)](sandbox::Reply reply) {
      respond(json_reply(reply.status, reply.body));
    });
  }
  if (!broker_takes_gtt(context, desk.route, respond)) return;
  context.plugins.call(desk.route.broker, plugins::Operation::GttBook, "{}", desk.route.session,
                       [respond = std::move(respond)](plugins::Outcome outcome) {
                         if (!outcome.ok()) return respond(error_reply(http_status_for(outcome.status), outcome.message));
                         boost::system::error_code ec;
                         auto data = json::parse(outcome.json, ec);
                         if (ec) return respond(error_reply(500, "The broker plugin returned malformed data"));
                         respond(json_reply(200, json::object{{"data", std::move(data)}, {"status", "success"}}));
                       });
}

}  // namespace

sandbox::GttRequest sandbox_gtt_request(const json::object& document) {
  auto text = [&document](const char* key) {
    const json::value* value = document.if_contains(key);
    return value && value->is_string() ? std::string(value->as_string()) : std::string();
  };
  auto limit = [&document](const char* key) -> std::optional<double> {
    const json::value* value = document.if_contains(key);
    if (!value || !value->is_number()) return std::nullopt;
    return value->to_number<double>();
  };
  sandbox::GttRequest request;
  request.trigger_id = text("trigger_id");
  request.strategy = text("strategy");
  request.trigger_type = text("trigger_type");
  request.symbol = text("symbol");
  request.exchange = text("exchange");
  request.action = text("action");
  request.product = text("product");
  request.pricetype = text("pricetype");
  request.quantity = number(document, "quantity");
  request.price = number(document, "price");
  request.triggerprice_sl = number(document, "triggerprice_sl");
  request.triggerprice_tg = number(document, "triggerprice_tg");
  request.stoploss = limit("stoploss");
  request.target = limit("target");
  request.expires_at = text("expires_at");
  return request;
}

void add_gtt_routes(Router& router, const ApiContext& context) {
  on_approval(context, "placegttorder", [&context](OrderIntake intake, net::Responder respond) {
    execute_place_gtt(context, std::move(intake), std::move(respond));
  });
  router.add(endpoint_route(context, "POST", "/api/v1/placegttorder", "Places a GTT (good-till-triggered) order",
                            place_gtt, RateClass::Order)
                 .documented(json_body(place_schema())));
  router.add(endpoint_route(context, "POST", "/api/v1/modifygttorder", "Modifies an active GTT order", modify_gtt,
                            RateClass::Order)
                 .documented(json_body(modify_schema())));
  router.add(endpoint_route(context, "POST", "/api/v1/cancelgttorder", "Cancels an active GTT order", cancel_gtt,
                            RateClass::Order)
                 .documented(json_body(cancel_schema())));
  router.add(endpoint_route(context, "POST", "/api/v1/gttorderbook", "Active GTT orders", gtt_book)
                 .documented(json_body(book_schema())));
}

}  // namespace oa::api
