#pragma once
// Shaping the answers of requests that send several orders: OpenAlgo's
// per-order result objects (rest_api.md C.1.7-C.1.10).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "api/order_dispatch.hpp"
#include "net/http_types.hpp"

namespace oa::api {

// Flask's jsonify: keys sorted at every level (rest_api.md A.4).
net::HttpResponse jsonify(int status, const boost::json::value& body);

// A field as text: strings as they are, anything else as JSON; "" when absent.
std::string text_of(const boost::json::object& object, std::string_view key);

// The order was accepted: HTTP 200 and "status":"success".
bool succeeded(const orders::OrderReply& reply);

// `body` with "mode":"analyze" when the sandbox answers.
boost::json::object with_mode(boost::json::object body, const OrderDesk& desk);

// {"order_num","orderid","quantity","status"} or {"message","order_num","quantity","status":"error"}.
boost::json::object split_result(std::size_t number, std::int64_t quantity, const orders::OrderReply& reply);

}  // namespace oa::api
