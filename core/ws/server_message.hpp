#pragma once
// The server's replies of OpenAlgo's feed protocol (websocket.md §2.3, §2.4),
// with the reference's keys in its order, in json.dumps' layout.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "feed/feed_types.hpp"

namespace oa::ws {

using RequestId = std::optional<boost::json::value>;

std::string error_text(std::string_view code, std::string_view message);
std::string auth_success_text(std::string_view broker, std::string_view user_id);
std::string subscribe_ack_text(const std::vector<feed::SymbolResult>& results, int depth, std::string_view broker,
                               const RequestId& request_id);
std::string unsubscribe_ack_text(const std::vector<feed::SymbolResult>& results, std::string_view broker,
                                 const RequestId& request_id);
std::string orders_ack_text(bool subscribed, const RequestId& request_id);
std::string broker_info_text(std::string_view broker, std::string_view adapter_status, std::string_view user_id);
std::string supported_brokers_text(const std::vector<std::string>& brokers);
std::string pong_text(std::int64_t server_ms, const std::optional<boost::json::value>& client_timestamp,
                      const std::optional<boost::json::value>& ping_id);
// An order_update event (§2.3.6): "type", then "user_id" (the update's own,
// else `username`), then the update's other keys as the plugin or the sandbox built them.
std::string order_update_text(const boost::json::object& update, std::string_view username);

}  // namespace oa::ws
