#pragma once
// Building responses in OpenAlgo's envelope: {"status":"success",...} and
// {"status":"error","message":...}.
#include <string_view>

#include <boost/json/value.hpp>

#include "net/http_types.hpp"

namespace oa::api {

net::HttpResponse json_reply(int status, const boost::json::value& body);
net::HttpResponse error_reply(int status, std::string_view message);
// {"status":"error","message":{...}}: OpenAlgo's V-OBJ validation errors.
net::HttpResponse error_object_reply(int status, boost::json::value message);

}  // namespace oa::api
