#include "api/system_routes.hpp"

#include <boost/json/object.hpp>

#include "api/json_reply.hpp"
#include "api/auth_check.hpp"
#include "api/schema.hpp"

namespace oa::api {
namespace {

namespace json = boost::json;

const Schema& ping_schema() {
  static const Schema schema{{Field::text("apikey").length_between(1, 256)}};
  return schema;
}

void health(net::HttpRequest&&, net::Responder respond) {
  respond(json_reply(200, json::object{{"status", "ok"}}));
}

// rest_api.md C.9.4: schema errors as V-OBJ (400), unknown key 403, else pong
// with the broker the user's orders go to.
void ping(const ApiContext& context, net::HttpRequest&& request, net::Responder respond) {
  auto authorised = authorise(request, ping_schema(), context.accounts, respond);
  if (!authorised) return;
  json::object data{{"broker", context.route_for(authorised->user_id).broker}, {"message", "pong"}};
  respond(json_reply(200, json::object{{"data", std::move(data)}, {"status", "success"}}));
}

}  // namespace

void add_system_routes(Router& router, const ApiContext& context) {
  router.add({"GET", "/health", "Liveness: answers {\"status\":\"ok\"} without authentication", health,
              RateClass::None});
  router.add(endpoint_route(context, "POST", "/api/v1/ping", "Checks an API key and names the active broker", ping)
                 .documented(json_body(ping_schema())));
}

}  // namespace oa::api
