#pragma once
// Internal to core/net: OpenAlgo's error envelope for the answers the network
// layer gives itself (framing errors, refused WebSocket handshakes).
#include <string>
#include <string_view>

namespace oa::net {

// `message` is fixed ASCII text without quotes or backslashes.
inline std::string error_envelope(std::string_view message) {
  std::string body = R"({"status":"error","message":")";
  body += message;
  body += "\"}";
  return body;
}

}  // namespace oa::net
