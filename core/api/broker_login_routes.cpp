#include "api/broker_login_routes.hpp"

#include <boost/json.hpp>

#include "api/auth_check.hpp"
#include "api/json_reply.hpp"
#include "api/query_string.hpp"
#include "openalgo_sdk/form.hpp"

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

// The plugin behind /<broker>/..., looked up per request so that a plugin
// loaded after start (the directory watch) has its callback at once.
std::optional<plugins::Manifest> login_plugin(const ApiContext& context, const std::string& broker) {
  auto manifest = context.plugins.manifest(broker);
  if (!manifest || manifest->auth_style == OA_AUTH_NONE) return std::nullopt;
  return manifest;
}

// Takes the login state out of `fields` and redeems it: the user it was issued
// to, or nullopt after answering 403.
std::optional<std::int64_t> state_owner(const ApiContext& context, const std::string& broker, json::object& fields,
                                        const net::Responder& respond) {
  const auto* state = fields.if_contains("state");
  if (!state || !state->is_string() || state->get_string().empty()) {
    respond(error_reply(403, "This login carries no state: ask for the login URL with POST /api/v1/broker/login_url "
                             "and log in through it"));
    return std::nullopt;
  }
  std::string text(state->get_string());
  fields.erase("state");
  auto user = context.login_states ? context.login_states->redeem(text, broker) : std::nullopt;
  if (!user)
    respond(error_reply(403, "This login's state is unknown, used or expired: ask for a new login URL with "
                             "POST /api/v1/broker/login_url"));
  return user;
}

// The broker's redirect is a browser navigation: it gets the control page back with the outcome in the
// query (as OpenAlgo sends it on to its dashboard). Other callers, the page's own form among them, keep
// the JSON answer.
net::Responder for_the_caller(const net::HttpRequest& request, const std::string& broker, net::Responder respond) {
  if (request.method != "GET" || request.header("accept").find("text/html") == std::string_view::npos) return respond;
  return [broker, respond = std::move(respond)](net::HttpResponse response) {
    std::string location = "/?login=" + sdk::url_encode(broker);
    if (response.status != 200) {
      boost::system::error_code ec;
      auto body = json::parse(response.body, ec);
      const auto* message = !ec && body.is_object() ? body.as_object().if_contains("message") : nullptr;
      location = "/?login_error=" + sdk::url_encode(message && message->is_string() ? std::string(message->get_string())
                                                                                    : "the login failed");
    }
    respond(net::HttpResponse{303, "text/plain; charset=utf-8", "", {{"Location", std::move(location)}}});
  };
}

void callback(const ApiContext& context, net::HttpRequest&& request, net::Responder respond) {
  std::string broker(first_path_segment(request.path));
  respond = for_the_caller(request, broker, std::move(respond));
  if (!login_plugin(context, broker)) return respond(error_reply(404, "No broker plugin '" + broker + "' with a login is loaded"));
  auto fields = login_fields(request);
  if (!fields) return respond(error_reply(400, "the login form is not valid JSON"));
  // A credentials broker's login URL opened in a browser: nothing to log in
  // with yet, so the state is kept for the form that follows.
  if (fields->size() == 1 && fields->contains("state"))
    return respond(error_reply(400, "Nothing to log in with: POST the broker's login fields (e.g. userid, pin, "
                                    "totp) to this URL"));
  auto user = state_owner(context, broker, *fields, respond);
  if (!user) return;
  context.broker_login(*user, broker, json::serialize(*fields), [broker, respond](LoginReply reply) {
    if (reply.status != OA_OK) return respond(error_reply(login_failure_status(reply.status), reply.message));
    respond(json_reply(200, json::object{{"status", "success"}, {"message", reply.message}, {"broker", broker},
                                         {"redirect", "/dashboard"}}));
  });
}

const Schema& login_url_schema() {
  static const Schema schema{{Field::text("apikey").length_between(1, 256), Field::text("broker").length_between(1, 64)}};
  return schema;
}

void answer_login_url(const net::Responder& respond, const std::string& broker, const std::string& url,
                      const std::string& state, std::chrono::seconds lifetime) {
  respond(json_reply(200, json::object{{"status", "success"},
                                       {"data", json::object{{"broker", broker},
                                                             {"login_url", url},
                                                             {"state", state},
                                                             {"expires_in", lifetime.count()}}}}));
}

// A login URL carrying a fresh one-time state for the caller. An OAuth broker's
// plugin builds its URL so that the broker echoes the state back on the
// redirect (authenticate with {"action":"login_url","state":...}); a
// credentials broker's login is a form posted to the daemon's own callback.
void login_url(const ApiContext& context, net::HttpRequest&& request, net::Responder respond) {
  auto authorised = authorise(request, login_url_schema(), context.accounts, respond);
  if (!authorised) return;
  std::string broker(authorised->values.at("broker").get_string());
  auto manifest = login_plugin(context, broker);
  if (!manifest) return respond(error_reply(404, "No broker plugin '" + broker + "' with a login is loaded"));
  if (!context.login_states) return respond(error_reply(503, "Broker logins are not available"));
  auto state = context.login_states->issue(authorised->user_id, broker);
  auto lifetime = context.login_states->lifetime();
  if (manifest->auth_style != OA_AUTH_OAUTH)
    return answer_login_url(respond, broker, "/" + broker + "/callback?state=" + state, state, lifetime);
  auto ask = json::serialize(json::object{{"action", "login_url"}, {"state", state}});
  context.plugins.call(broker, plugins::Operation::Authenticate, std::move(ask), {},
                       [respond, broker, state, lifetime](plugins::Outcome outcome) {
                         boost::system::error_code ec;
                         auto answer = outcome.ok() ? json::parse(outcome.json, ec) : json::value();
                         const auto* url = answer.is_object() ? answer.as_object().if_contains("login_url") : nullptr;
                         if (!url || !url->is_string())
                           return respond(error_reply(501, "The " + broker + " plugin gives no login URL" +
                                                               (outcome.ok() ? "" : ": " + outcome.message)));
                         answer_login_url(respond, broker, std::string(url->get_string()), state, lifetime);
                       });
}

}  // namespace

void add_broker_login_routes(Router& router, const ApiContext& context) {
  auto handler = [&context](net::HttpRequest&& request, net::Responder respond) {
    callback(context, std::move(request), std::move(respond));
  };
  for (const char* method : {"GET", "POST"})
    router.add({method, "/<broker>/callback", "Broker login: the broker's redirect or the login form", handler,
                RateClass::Login});
  router.add(endpoint_route(context, "POST", "/api/v1/broker/login_url",
                            "A broker's login URL with a one-time state for the callback", login_url)
                 .documented(json_body(login_url_schema())));
}

}  // namespace oa::api
