#pragma once
// The server side of the WebSocket opening handshake (RFC 6455 §4.2): checks a
// client's upgrade request and writes the answer, 101 or an HTTP error.
#include <string>
#include <string_view>

#include "net/ws_upgrade.hpp"

namespace oa::net::ws {

// Sec-WebSocket-Accept for a client's Sec-WebSocket-Key.
std::string accept_key(std::string_view client_key);

struct HandshakeAnswer {
  bool accepted = false;
  std::string response;  // the whole HTTP response, ready to write
  std::string error;     // why it was refused
};
HandshakeAnswer answer_handshake(const UpgradeRequest& request);

}  // namespace oa::net::ws
