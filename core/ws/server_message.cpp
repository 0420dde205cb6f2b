#include "ws/server_message.hpp"

#include <boost/json.hpp>

#include "api/json_text.hpp"
#include "ws/client_message.hpp"

namespace oa::ws {
namespace {

namespace json = boost::json;

std::string dumps(const json::value& value) { return api::to_json_text(value, api::JsonLayout::PythonDumps); }

void add_request_id(json::object& reply, const RequestId& request_id) {
  if (request_id) reply["request_id"] = *request_id;
}

}  // namespace

std::string error_text(std::string_view code, std::string_view message) {
  return dumps(json::object{{"status", "error"}, {"code", code}, {"message", message}});
}

std::string auth_success_text(std::string_view broker, std::string_view user_id) {
  return dumps(json::object{{"type", "auth"},
                            {"status", "success"},
                            {"message", "Authentication successful"},
                            {"broker", broker},
                            {"user_id", user_id},
                            {"supported_features", json::object{{"ltp", true}, {"quote", true}, {"depth", true}}}});
}

// "success" only when every symbol succeeded, else "partial" (never "error": websocket.md §2.3.2).
std::string subscribe_ack_text(const std::vector<feed::SymbolResult>& results, int depth, std::string_view broker,
                               const RequestId& request_id) {
  json::array subscriptions;
  bool all_ok = true;
  for (const auto& result : results) {
    const auto& request = result.request;
    json::object entry{{"symbol", request.symbol}, {"exchange", request.exchange}};
    if (result.ok) {
      entry["status"] = "success";
      entry["mode"] = mode_label(request.mode);
      entry["depth"] = depth;
    } else {
      all_ok = false;
      entry["status"] = "error";
      entry["message"] = result.message;
    }
    entry["broker"] = broker;
    subscriptions.push_back(std::move(entry));
  }
  json::object reply{{"type", "subscribe"},
                     {"status", all_ok ? "success" : "partial"},
                     {"subscriptions", std::move(subscriptions)},
                     {"message", "Subscription processing complete"},
                     {"broker", broker}};
  add_request_id(reply, request_id);
  return dumps(reply);
}

std::string unsubscribe_ack_text(const std::vector<feed::SymbolResult>& results, std::string_view broker,
                                 const RequestId& request_id) {
  json::array successful, failed;
  for (const auto& result : results) {
    json::object entry{{"symbol", result.request.symbol}, {"exchange", result.request.exchange}};
    entry["status"] = result.ok ? "success" : "error";
    if (!result.ok) entry["message"] = result.message;
    entry["broker"] = broker;
    (result.ok ? successful : failed).push_back(std::move(entry));
  }
  std::string_view status = failed.empty() ? "success" : successful.empty() ? "error" : "partial";
  json::object reply{{"type", "unsubscribe"},
                     {"status", status},
                     {"message", "Unsubscription processing complete"},
                     {"successful", std::move(successful)},
                     {"failed", std::move(failed)},
                     {"broker", broker}};
  add_request_id(reply, request_id);
  return dumps(reply);
}

std::string orders_ack_text(bool subscribed, const RequestId& request_id) {
  json::object reply{{"type", subscribed ? "subscribe_orders" : "unsubscribe_orders"},
                     {"status", "success"},
                     {"message", subscribed ? "Subscribed to order updates" : "Unsubscribed from order updates"}};
  add_request_id(reply, request_id);
  return dumps(reply);
}

std::string broker_info_text(std::string_view broker, std::string_view adapter_status, std::string_view user_id) {
  return dumps(json::object{{"type", "broker_info"},
                            {"status", "success"},
                            {"broker", broker},
                            {"adapter_status", adapter_status},
                            {"user_id", user_id}});
}

std::string supported_brokers_text(const std::vector<std::string>& brokers) {
  json::array list;
  for (const auto& broker : brokers) list.push_back(json::string(broker));
  return dumps(json::object{
      {"type", "supported_brokers"}, {"status", "success"}, {"brokers", std::move(list)}, {"count", brokers.size()}});
}

std::string pong_text(std::int64_t server_ms, const std::optional<json::value>& client_timestamp,
                      const std::optional<json::value>& ping_id) {
  json::object reply{{"type", "pong"}, {"status", "success"}, {"server_timestamp", server_ms}};
  if (client_timestamp) reply["client_timestamp"] = *client_timestamp;
  if (ping_id) reply["_pingId"] = *ping_id;
  return dumps(reply);
}

std::string order_update_text(const json::object& update, std::string_view username) {
  json::object event{{"type", "order_update"}};
  const json::value* own = update.if_contains("user_id");
  event["user_id"] = own ? *own : json::value(username);
  for (const auto& [key, value] : update)
    if (key != "type" && key != "user_id") event[key] = value;
  return dumps(event);
}

}  // namespace oa::ws
