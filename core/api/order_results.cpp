#include "api/order_results.hpp"

#include <boost/json.hpp>

#include "api/options_reply.hpp"

namespace oa::api {

namespace json = boost::json;

net::HttpResponse jsonify(int status, const json::value& body) { return options_reply(KeyOrder::Sorted, status, body); }

std::string text_of(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  if (!value) return {};
  return value->is_string() ? std::string(value->get_string()) : json::serialize(*value);
}

bool succeeded(const orders::OrderReply& reply) {
  return reply.status == 200 && text_of(reply.body, "status") == "success";
}

json::object with_mode(json::object body, const OrderDesk& desk) {
  if (desk.analyze) body["mode"] = "analyze";
  return body;
}

json::object split_result(std::size_t number, std::int64_t quantity, const orders::OrderReply& reply) {
  if (!succeeded(reply))
    return {{"message", text_of(reply.body, "message")},
            {"order_num", static_cast<std::int64_t>(number)},
            {"quantity", quantity},
            {"status", "error"}};
  return {{"order_num", static_cast<std::int64_t>(number)},
          {"orderid", text_of(reply.body, "orderid")},
          {"quantity", quantity},
          {"status", "success"}};
}

}  // namespace oa::api
