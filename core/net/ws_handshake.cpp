#include "net/ws_handshake.hpp"

#include <boost/beast/http/rfc7230.hpp>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include "net/error_envelope.hpp"
#include "net/text_case.hpp"

namespace oa::net::ws {

namespace http = boost::beast::http;

namespace {

constexpr std::string_view kAcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

bool has_token(std::string_view list, std::string_view token) {
  for (auto item : http::token_list(list))
    if (equals_ignoring_case(std::string_view(item.data(), item.size()), token)) return true;
  return false;
}

HandshakeAnswer refuse(std::string status_line, std::string error, std::string extra_headers = {}) {
  HandshakeAnswer answer;
  answer.error = error;
  const std::string body = error_envelope(error);
  answer.response = "HTTP/1.1 " + status_line + "\r\nServer: openalgod\r\nConnection: close\r\n" + extra_headers +
                    "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  return answer;
}

// A key is the base64 of 16 bytes: 22 characters and "==".
bool well_formed_key(std::string_view key) {
  if (key.size() != 24 || key.substr(22) != "==") return false;
  for (char c : key.substr(0, 22))
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '/') return false;
  return true;
}

}  // namespace

std::string accept_key(std::string_view client_key) {
  std::string keyed(client_key);
  keyed.append(kAcceptGuid);
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(keyed.data()), keyed.size(), digest);
  unsigned char encoded[4 * ((SHA_DIGEST_LENGTH + 2) / 3) + 1];
  int length = EVP_EncodeBlock(encoded, digest, SHA_DIGEST_LENGTH);
  return std::string(reinterpret_cast<const char*>(encoded), static_cast<std::size_t>(length));
}

HandshakeAnswer answer_handshake(const UpgradeRequest& request) {
  if (request.method() != http::verb::get) return refuse("405 Method Not Allowed", "a WebSocket upgrade must be a GET");
  if (request.version() < 11) return refuse("400 Bad Request", "a WebSocket upgrade needs HTTP/1.1");
  if (!has_token(request[http::field::connection], "upgrade") || !has_token(request[http::field::upgrade], "websocket"))
    return refuse("426 Upgrade Required", "this endpoint speaks WebSocket: send Connection: Upgrade and Upgrade: websocket",
                  "Upgrade: websocket\r\n");
  if (request[http::field::sec_websocket_version] != "13")
    return refuse("426 Upgrade Required", "unsupported Sec-WebSocket-Version: this server speaks version 13",
                  "Sec-WebSocket-Version: 13\r\n");
  auto key = request[http::field::sec_websocket_key];
  if (!well_formed_key(std::string_view(key.data(), key.size())))
    return refuse("400 Bad Request", "missing or malformed Sec-WebSocket-Key");
  HandshakeAnswer answer;
  answer.accepted = true;
  answer.response = "HTTP/1.1 101 Switching Protocols\r\nServer: openalgod\r\nUpgrade: websocket\r\n"
                    "Connection: Upgrade\r\nSec-WebSocket-Accept: " +
                    accept_key(std::string_view(key.data(), key.size())) + "\r\n\r\n";
  return answer;
}

}  // namespace oa::net::ws
