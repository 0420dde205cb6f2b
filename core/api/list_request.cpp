#include "api/list_request.hpp"

#include <boost/json.hpp>

#include "api/json_reply.hpp"
#include "api/order_results.hpp"
#include "api/request_body.hpp"

namespace oa::api {

namespace json = boost::json;

namespace {

// 400 with the Python repr of `errors`, with "mode":"analyze" for that style.
void reject_fields(const json::object& errors, ErrorStyle style, const net::Responder& respond) {
  json::object body{{"status", "error"}, {"message", errors_as_python_repr(errors)}};
  if (style == ErrorStyle::PythonReprAnalyze) body["mode"] = "analyze";
  respond(jsonify(400, body));
}

}  // namespace

std::optional<AuthorisedRequest> authorise_with_list(const net::HttpRequest& request, const OptionsSchema& schema,
                                                     security::Accounts& accounts, const net::Responder& respond,
                                                     ErrorStyle style) {
  auto body = parse_json_body(request);
  if (!body.object) {
    respond(std::move(body.error));
    return std::nullopt;
  }
  auto checked = check_request(schema, *body.object);
  if (!checked.ok()) {
    reject_fields(checked.errors, style, respond);
    return std::nullopt;
  }
  return with_user(std::move(checked.values), accounts, respond);
}

}  // namespace oa::api
