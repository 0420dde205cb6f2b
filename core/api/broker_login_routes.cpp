#include "api/broker_login_routes.hpp"

#include <boost/json.hpp>

#include "api/json_reply.hpp"
#include "api/query_string.hpp"

namespace oa::api {
namespace {

namespace json = boost::json;

// The query's fields, then the body's (a form or a JSON object), a body field
// winning over a query field of the same name.
std::optional<json::object> login_fields(const net::HttpRequest& request) {
  json::object fields;
  for (const auto& [name, value] : parse_query(request.query)) fields[name] = value;
  if (request.body.empty()) return fields;
  if (request.header("content-type").starts_with("application/json")) {
    boost::system::error_code ec;
    auto body = json::parse(request.body, ec);
    if (ec || !body.is_object()) return std::nullopt;
    for (const auto& [name, value] : body.as_object()) fields[name] = value;
    return fields;
  }
  for (const auto& [name, value] : parse_query(request.body)) fields[name] = value;
  return fields;
}

// OpenAlgo answers a failed broker login with 401 (handle_auth_failure);
// trouble reaching the broker keeps its own status.
int login_failure_status(oa_status status) {
  if (status == OA_ERR_AUTH || status == OA_ERR_BROKER) return 401;
  return http_status_for(status);
}

void callback(const ApiContext& context, const std::string& broker, net::HttpRequest&& request,
              net::Responder respond) {
  auto fields = login_fields(request);
  if (!fields) return respond(error_reply(400, "the login form is not valid JSON"));
  context.broker_login(broker, json::serialize(*fields), [broker, respond](LoginReply reply) {
    if (reply.status != OA_OK) return respond(error_reply(login_failure_status(reply.status), reply.message));
    respond(json_reply(200, json::object{{"status", "success"}, {"message", reply.message}, {"broker", broker},
                                         {"redirect", "/dashboard"}}));
  });
}

}  // namespace

void add_broker_login_routes(Router& router, const ApiContext& context) {
  for (const auto& plugin : context.plugins.list()) {
    if (plugin.manifest.auth_style == OA_AUTH_NONE) continue;
    const std::string broker = plugin.manifest.id;
    auto handler = [&context, broker](net::HttpRequest&& request, net::Responder respond) {
      callback(context, broker, std::move(request), std::move(respond));
    };
    for (const char* method : {"GET", "POST"})
      router.add({method, "/" + broker + "/callback", "Broker login: " + plugin.manifest.display_name, handler,
                  RateClass::Login});
  }
}

}  // namespace oa::api
