#include "api/auth_check.hpp"

#include <boost/json/monotonic_resource.hpp>

#include "api/json_reply.hpp"
#include "api/request_body.hpp"

namespace oa::api {

std::optional<AuthorisedRequest> authorise(const net::HttpRequest& request, const Schema& schema,
                                           security::Accounts& accounts, const net::Responder& respond,
                                           ErrorStyle style) {
  // The body is needed only until validate() has copied what it keeps
  // (into the heap): it lives in one buffer, released at once.
  unsigned char buffer[4096];
  boost::json::monotonic_resource memory(buffer, sizeof buffer);
  auto body = parse_json_body(request, &memory);
  if (!body.object) {
    respond(std::move(body.error));
    return std::nullopt;
  }
  auto input = validate(schema, *body.object);
  if (!input.ok()) {
    if (style == ErrorStyle::FieldMap) {
      respond(error_object_reply(400, errors_as_json(input.errors)));
    } else {
      boost::json::object body{{"status", "error"}, {"message", errors_as_python_repr(input.errors)}};
      if (style == ErrorStyle::PythonReprAnalyze) body["mode"] = "analyze";
      respond(json_reply(400, body));
    }
    return std::nullopt;
  }
  return with_user(std::move(input.values), accounts, respond);
}

std::optional<AuthorisedRequest> with_user(boost::json::object values, security::Accounts& accounts,
                                           const net::Responder& respond) {
  auto user_id = accounts.user_for_api_key(values.at("apikey").get_string());
  if (!user_id) {
    respond(error_reply(403, "Invalid openalgo apikey"));
    return std::nullopt;
  }
  return AuthorisedRequest{*user_id, std::move(values)};
}

}  // namespace oa::api
