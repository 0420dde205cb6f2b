#pragma once
// Reading a client's message of OpenAlgo's feed protocol (websocket.md §2.2)
// into a command, with the protocol's error codes and messages for what
// cannot be read.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <boost/json/value.hpp>

#include "feed/feed_types.hpp"

namespace oa::ws {

struct ProtocolError {
  std::string code;     // e.g. INVALID_MODE
  std::string message;
};

enum class Action {
  Authenticate, Subscribe, Unsubscribe, UnsubscribeAll, SubscribeOrders, UnsubscribeOrders,
  BrokerInfo, SupportedBrokers, Ping
};

struct ClientMessage {
  Action action = Action::Ping;
  std::optional<std::string> api_key;              // authenticate
  std::vector<feed::SymbolRequest> symbols;        // subscribe, unsubscribe
  int depth = 5;                                   // subscribe
  std::optional<boost::json::value> request_id;    // echoed when sent
  std::optional<boost::json::value> client_timestamp, ping_id;  // ping
};

// Only authenticate, get_supported_brokers and ping work before authentication.
bool needs_authentication(Action action);

// `max_symbols` caps one message's symbol list (INVALID_PARAMETERS beyond it).
std::variant<ClientMessage, ProtocolError> read_client_message(std::string_view text, std::size_t max_symbols);

// 1|2|3 or LTP|Quote|Depth in any case, surrounding spaces ignored.
std::optional<int> parse_mode(const boost::json::value& value);
std::string_view mode_label(int mode);

}  // namespace oa::ws
