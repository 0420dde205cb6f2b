#pragma once
// The API key a request carries, found without a full parse of the body: the
// rate limiter needs it before the handler runs, on every request.
#include <string>

#include "net/http_types.hpp"

namespace oa::api {

// The "apikey" query parameter of a GET; otherwise the string value of the
// top-level "apikey" key of a JSON object body (the last one when repeated, as
// the JSON parser keeps it). Empty when there is none.
std::string request_api_key(const net::HttpRequest& request);

}  // namespace oa::api
