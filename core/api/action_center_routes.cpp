#include "api/action_center_routes.hpp"

#include <boost/json.hpp>

#include "api/action_center.hpp"
#include "api/admin_routes.hpp"
#include "api/json_reply.hpp"
#include "api/order_mode_gate.hpp"

namespace oa::api {
namespace {

namespace json = boost::json;

const Schema& list_schema() {
  static const Schema schema{
      {Field::text("apikey").length_between(1, 256),
       Field::text("status").choices({"pending", "approved", "rejected", "all"}).defaults_to("pending"),
       Field::integer("limit").at_least(1, "limit must be at least 1.").defaults_to(100)}};
  return schema;
}

const Schema& approve_schema() {
  static const Schema schema{
      {Field::text("apikey").length_between(1, 256), Field::integer("id").at_least(1, "id must be a pending order id.")}};
  return schema;
}

const Schema& reject_schema() {
  static const Schema schema{{Field::text("apikey").length_between(1, 256),
                              Field::integer("id").at_least(1, "id must be a pending order id."),
                              Field::text("reason").defaults_to("")}};
  return schema;
}

// An administrator whose own orders wait for approval holds a key someone
// else may trade with (an advisor): that key must not approve its own orders.
std::optional<AuthorisedRequest> authorise_operator(const ApiContext& context, const net::HttpRequest& request,
                                                    const Schema& schema, const net::Responder& respond) {
  auto authorised = authorise_admin(context, request, schema, respond);
  if (!authorised) return std::nullopt;
  if (!context.action_center) {
    respond(error_reply(503, "The Action Center is not running"));
    return std::nullopt;
  }
  if (!in_semi_auto(context, authorised->user_id)) return authorised;
  respond(error_reply(403, "An API key in semi-auto mode cannot decide on pending orders: use an administrator "
                           "in auto mode"));
  return std::nullopt;
}

std::string decider(const ApiContext& context, std::int64_t user_id) {
  return context.accounts.username(user_id).value_or("user " + std::to_string(user_id));
}

void list_pending(const ApiContext& context, net::HttpRequest&& request, net::Responder respond) {
  auto authorised = authorise_operator(context, request, list_schema(), respond);
  if (!authorised) return;
  std::string status(authorised->values.at("status").as_string());
  auto limit = static_cast<std::size_t>(authorised->values.at("limit").as_int64());
  json::array data;
  for (const auto& order : context.action_center->list(status == "all" ? "" : status, limit))
    data.push_back(describe_pending_order(order));
  respond(json_reply(200, json::object{{"data", std::move(data)}, {"status", "success"}}));
}

void approve_pending(const ApiContext& context, net::HttpRequest&& request, net::Responder respond) {
  auto authorised = authorise_operator(context, request, approve_schema(), respond);
  if (!authorised) return;
  context.action_center->approve(authorised->values.at("id").as_int64(), decider(context, authorised->user_id),
                                 [respond = std::move(respond)](Decision decision) {
                                   respond(json_reply(decision.status, decision.body));
                                 });
}

void reject_pending(const ApiContext& context, net::HttpRequest&& request, net::Responder respond) {
  auto authorised = authorise_operator(context, request, reject_schema(), respond);
  if (!authorised) return;
  auto decision = context.action_center->reject(authorised->values.at("id").as_int64(),
                                                decider(context, authorised->user_id),
                                                std::string(authorised->values.at("reason").as_string()));
  respond(json_reply(decision.status, decision.body));
}

}  // namespace

void add_action_center_routes(Router& router, const ApiContext& context) {
  router.add(endpoint_route(context, "POST", "/api/v1/admin/pendingorders",
                            "Orders of semi-auto users waiting in the Action Center (administrator)", list_pending)
                 .documented(json_body(list_schema())));
  router.add(endpoint_route(context, "POST", "/api/v1/admin/pendingorders/approve",
                            "Approves a pending order and executes it once (administrator in auto mode)",
                            approve_pending, RateClass::Order)
                 .documented(json_body(approve_schema())));
  router.add(endpoint_route(context, "POST", "/api/v1/admin/pendingorders/reject",
                            "Rejects a pending order with a reason (administrator in auto mode)", reject_pending)
                 .documented(json_body(reject_schema())));
}

}  // namespace oa::api
