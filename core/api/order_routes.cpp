#include "api/order_routes.hpp"

#include <cmath>

#include <boost/json.hpp>

#include "api/auth_check.hpp"
#include "api/exchanges.hpp"
#include "api/json_reply.hpp"
#include "api/json_text.hpp"

namespace oa::api {
namespace {

namespace json = boost::json;

const std::vector<std::string> kActions{"BUY", "SELL", "buy", "sell"};
const std::vector<std::string> kPriceTypes{"MARKET", "LIMIT", "SL", "SL-M"};
const std::vector<std::string> kProducts{"MIS", "NRML", "CNC"};

Field api_key() { return Field::text("apikey").length_between(1, 256); }
// Beyond OpenAlgo: a client's own id that makes a repeated request return the
// first answer instead of placing a second order (also the Idempotency-Key header).
Field client_order_id() { return Field::text("client_order_id").length_between(1, 64).optional(); }
Field price() { return Field::number("price").at_least(0, "Price must be a non-negative number."); }
Field trigger_price() { return Field::number("trigger_price").at_least(0, "Trigger price must be a non-negative number."); }
Field disclosed_quantity() {
  return Field::integer("disclosed_quantity").at_least(0, "Disclosed quantity must be a non-negative integer.");
}

const Schema& place_schema() {
  static const Schema schema{{api_key(), Field::text("strategy"), Field::text("exchange").choices(valid_exchanges()),
                              Field::text("symbol"), Field::text("action").choices(kActions),
                              Field::number("quantity").above(0, "Quantity must be a positive number."),
                              Field::text("pricetype").choices(kPriceTypes).defaults_to("MARKET"),
                              Field::text("product").choices(kProducts).defaults_to("MIS"), price().defaults_to(0.0),
                              trigger_price().defaults_to(0.0), disclosed_quantity().defaults_to(0),
                              Field::number("underlying_ltp").optional(), client_order_id()}};
  return schema;
}

const Schema& modify_schema() {
  static const Schema schema{{api_key(), Field::text("strategy"), Field::text("exchange").choices(valid_exchanges()),
                              Field::text("symbol"), Field::text("orderid"), Field::text("action").choices(kActions),
                              Field::text("product").choices(kProducts), Field::text("pricetype").choices(kPriceTypes),
                              price(), Field::number("quantity").above(0, "Quantity must be a positive number."),
                              disclosed_quantity(), trigger_price(), client_order_id()}};
  return schema;
}

const Schema& cancel_schema() {
  static const Schema schema{{api_key(), Field::text("strategy"), Field::text("orderid"), client_order_id()}};
  return schema;
}

// rest_api.md A.3: quantities are whole numbers except on CRYPTO, checked
// after every field passed, and reported alone.
bool whole_quantity(json::object& values, const net::Responder& respond) {
  if (values.at("exchange") == "CRYPTO") return true;
  double quantity = values.at("quantity").to_number<double>();
  if (quantity != std::floor(quantity)) {
    respond(error_reply(400, "{'quantity': ['Fractional quantity (" + to_json_text(json::value(quantity)) +
                                 ") is not allowed for non-crypto exchanges.']}"));
    return false;
  }
  values["quantity"] = static_cast<std::int64_t>(quantity);
  return true;
}

std::string idempotency_key(const net::HttpRequest& request, json::object& values) {
  if (auto* given = values.if_contains("client_order_id")) {
    std::string key(given->as_string());
    values.erase("client_order_id");
    return key;
  }
  return std::string(request.header("idempotency-key").substr(0, 64));
}

// The document a plugin receives: the validated request without the API key.
json::object plugin_document(json::object values) {
  values.erase("apikey");
  values.erase("underlying_ltp");
  if (auto* action = values.if_contains("action")) {
    std::string upper(action->as_string());
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    *action = upper;
  }
  return values;
}

// V-STR, with "mode":"analyze" in analyzer mode (placeorder's errors never carry it).
ErrorStyle v_str(const ApiContext& context) {
  return context.analyze_mode && context.analyze_mode() ? ErrorStyle::PythonReprAnalyze : ErrorStyle::PythonRepr;
}

bool broker_takes_orders(const ApiContext& context, const BrokerRoute& route, const net::Responder& respond) {
  auto manifest = context.plugins.manifest(route.broker);
  if (manifest && (manifest->capabilities & OA_CAP_ORDERS)) return true;
  respond(error_reply(501, "Broker '" + route.broker + "' does not support orders"));
  return false;
}

sandbox::OrderRequest sandbox_order(const json::object& document) {
  auto text = [&document](const char* key) { return std::string(document.at(key).as_string()); };
  sandbox::OrderRequest order;
  order.strategy = text("strategy");
  order.symbol = text("symbol");
  order.exchange = text("exchange");
  order.action = text("action");
  order.pricetype = text("pricetype");
  order.product = text("product");
  order.quantity = document.at("quantity").to_number<double>();
  order.price = document.at("price").to_number<double>();
  order.trigger_price = document.at("trigger_price").to_number<double>();
  order.disclosed_quantity = document.at("disclosed_quantity").to_number<std::int64_t>();
  return order;
}

// Analyzer mode: the sandbox engine executes the request, through the journal.
void submit_to_sandbox(const ApiContext& context, orders::Submission submission, net::Responder respond) {
  auto* engine = context.sandbox;
  auto user = submission.user_id;
  auto document = submission.document;
  auto kind = submission.plugin_operation;
  auto execute = [engine, user, document, kind](std::function<void(orders::OrderReply)> finish) {
    auto done = [finish = std::move(finish)](sandbox::Reply reply) { finish({reply.status, std::move(reply.body)}); };
    if (kind == plugins::Operation::PlaceOrder) return engine->place_order(user, sandbox_order(document), done);
    std::string orderid(document.at("orderid").as_string());
    if (kind == plugins::Operation::CancelOrder) return engine->cancel_order(user, orderid, done);
    sandbox::ModifyRequest modify{orderid, document.at("quantity").to_number<double>(),
                                  document.at("price").to_number<double>(), document.at("trigger_price").to_number<double>()};
    engine->modify_order(user, std::move(modify), done);
  };
  context.orders->submit_to_sandbox(submission, std::move(execute), [respond = std::move(respond)](orders::OrderReply reply) {
    respond(json_reply(reply.status, reply.body));
  });
}

void submit(const ApiContext& context, const net::HttpRequest& request, AuthorisedRequest authorised,
            std::string operation, plugins::Operation plugin_operation, net::Responder respond) {
  auto route = context.route_for(authorised.user_id);
  bool analyze = context.analyze_mode && context.analyze_mode() && context.sandbox;
  if (!analyze && !broker_takes_orders(context, route, respond)) return;
  orders::Submission submission;
  submission.user_id = authorised.user_id;
  submission.client_order_id = idempotency_key(request, authorised.values);
  submission.broker = route.broker;
  submission.session = std::move(route.session);
  submission.operation = std::move(operation);
  submission.plugin_operation = plugin_operation;
  submission.document = plugin_document(std::move(authorised.values));
  if (analyze) return submit_to_sandbox(context, std::move(submission), std::move(respond));
  context.orders->submit(std::move(submission), [respond = std::move(respond)](orders::OrderReply reply) {
    respond(json_reply(reply.status, reply.body));
  });
}

void place_order(const ApiContext& context, net::HttpRequest&& request, net::Responder respond) {
  auto authorised = authorise(request, place_schema(), context.accounts, respond, ErrorStyle::PythonRepr);
  if (!authorised || !whole_quantity(authorised->values, respond)) return;
  submit(context, request, std::move(*authorised), "placeorder", plugins::Operation::PlaceOrder, std::move(respond));
}

void modify_order(const ApiContext& context, net::HttpRequest&& request, net::Responder respond) {
  auto authorised = authorise(request, modify_schema(), context.accounts, respond, v_str(context));
  if (!authorised || !whole_quantity(authorised->values, respond)) return;
  submit(context, request, std::move(*authorised), "modifyorder", plugins::Operation::ModifyOrder, std::move(respond));
}

void cancel_order(const ApiContext& context, net::HttpRequest&& request, net::Responder respond) {
  auto authorised = authorise(request, cancel_schema(), context.accounts, respond, v_str(context));
  if (!authorised) return;
  if (authorised->values.at("orderid").as_string().empty()) return respond(error_reply(400, "Order ID is missing"));
  submit(context, request, std::move(*authorised), "cancelorder", plugins::Operation::CancelOrder, std::move(respond));
}

}  // namespace

void add_order_routes(Router& router, const ApiContext& context) {
  router.add(endpoint_route(context, "POST", "/api/v1/placeorder",
                            "Places an order (journaled; client_order_id makes it idempotent)", place_order,
                            RateClass::Order));
  router.add(endpoint_route(context, "POST", "/api/v1/modifyorder", "Modifies an open order", modify_order,
                            RateClass::Order));
  router.add(endpoint_route(context, "POST", "/api/v1/cancelorder", "Cancels an open order", cancel_order,
                            RateClass::Order));
}

}  // namespace oa::api
