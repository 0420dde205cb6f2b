#pragma once
// Answers of the options endpoints in the key order OpenAlgo's clients see:
// optionsymbol and optionchain return dicts that flask-restx writes in
// insertion order, the others go through Flask's jsonify, which sorts the keys
// at every level (rest_api.md A.4).
#include <string_view>

#include <boost/json/value.hpp>

#include "net/http_types.hpp"

namespace oa::api {

enum class KeyOrder { AsBuilt, Sorted };

net::HttpResponse options_reply(KeyOrder order, int status, const boost::json::value& body);
// {"status":"error","message":...}
net::HttpResponse options_error(KeyOrder order, int status, std::string_view message);

}  // namespace oa::api
