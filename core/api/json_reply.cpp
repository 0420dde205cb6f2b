#include "api/json_reply.hpp"

#include "api/json_text.hpp"

namespace oa::api {

net::HttpResponse json_reply(int status, const boost::json::value& body) {
  net::HttpResponse response;
  response.status = status;
  response.body = to_json_text(body);
  response.body += '\n';  // Flask's jsonify ends bodies with a newline; byte-comparing clients see the same
  return response;
}

net::HttpResponse error_reply(int status, std::string_view message) {
  return error_object_reply(status, boost::json::value(boost::json::string(message)));
}

net::HttpResponse error_object_reply(int status, boost::json::value message) {
  return json_reply(status, boost::json::object{{"status", "error"}, {"message", std::move(message)}});
}

}  // namespace oa::api
