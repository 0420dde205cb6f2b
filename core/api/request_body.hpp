#pragma once
#include <optional>

#include <boost/json/object.hpp>

#include "net/http_types.hpp"

namespace oa::api {

// The JSON object in a POST body, or the 400 answer saying what is wrong with it.
// OpenAlgo answers 500 here (rest_api.md A.2); a client error is a 400.
// The object's values live in `storage` (default: the heap).
struct JsonBody {
  std::optional<boost::json::object> object;
  net::HttpResponse error;
};
JsonBody parse_json_body(const net::HttpRequest& request, boost::json::storage_ptr storage = {});

}  // namespace oa::api
