#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "net/ws_frame.hpp"
#include "net/ws_server.hpp"

using namespace oa::net;
using namespace std::chrono_literals;
using ws::Opcode;

namespace {

// Echoes every text message; on open sends what `greeting` holds, in order.
class EchoHandler : public WsHandler {
 public:
  std::vector<std::string> greeting;
  std::uint64_t greeting_key = 0;

  void on_open(const std::shared_ptr<WsPeer>& peer) override {
    for (auto& text : greeting) peer->send(std::make_shared<const std::string>(text), greeting_key);
  }
  void on_message(const std::shared_ptr<WsPeer>& peer, std::string_view data, bool) override {
    peer->send(std::make_shared<const std::string>(data));
  }
  void on_close(const std::shared_ptr<WsPeer>&) override {
    std::lock_guard lock(mutex_);
    ++closed_;
    changed_.notify_all();
  }
  bool wait_closed(int count) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, 5s, [&] { return closed_ >= count; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int closed_ = 0;
};

struct Frame {
  Opcode opcode;
  std::string payload;
  std::uint16_t close_code() const {
    return static_cast<std::uint16_t>((static_cast<unsigned char>(payload[0]) << 8) | static_cast<unsigned char>(payload[1]));
  }
};

// A client on a plain socket, so a test controls every byte it sends.
class RawClient {
 public:
  explicit RawClient(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  }
  ~RawClient() { ::close(fd_); }

  void send_bytes(const std::string& bytes) { REQUIRE(::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size())); }

  // The server's answer to a handshake request (up to the blank line).
  std::string handshake(const std::string& version = "13") {
    send_bytes("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: " + version + "\r\n\r\n");
    while (buffer_.find("\r\n\r\n") == std::string::npos)
      if (!fill(5s)) break;
    auto end = buffer_.find("\r\n\r\n");
    std::string head = buffer_.substr(0, end == std::string::npos ? buffer_.size() : end + 4);
    buffer_.erase(0, head.size());
    return head;
  }

  void send_frame(Opcode opcode, std::string_view payload, bool masked = true) {
    std::string frame;
    frame.push_back(static_cast<char>(0x80 | static_cast<int>(opcode)));
    frame.push_back(static_cast<char>((masked ? 0x80 : 0) | payload.size()));  // tests send under 126 bytes
    const char mask[4] = {1, 2, 3, 4};
    if (masked) frame.append(mask, 4);
    for (std::size_t i = 0; i < payload.size(); ++i) frame.push_back(masked ? payload[i] ^ mask[i % 4] : payload[i]);
    send_bytes(frame);
  }

  // The next frame, or nullopt when the connection closed or nothing came in time.
  std::optional<Frame> read_frame(std::chrono::milliseconds deadline = 5s) {
    for (;;) {
      if (buffer_.size() >= 2) {
        std::size_t length = static_cast<unsigned char>(buffer_[1]) & 0x7f, header = 2;
        if (length == 126 && buffer_.size() >= 4) {
          length = (static_cast<unsigned char>(buffer_[2]) << 8) | static_cast<unsigned char>(buffer_[3]);
          header = 4;
        }
        if (length != 126 && buffer_.size() >= header + length) {
          Frame frame{static_cast<Opcode>(buffer_[0] & 0x0f), buffer_.substr(header, length)};
          buffer_.erase(0, header + length);
          return frame;
        }
      }
      if (!fill(deadline)) return std::nullopt;
    }
  }

  // Everything the server sends until it closes the connection.
  std::string read_to_eof(std::chrono::milliseconds deadline = 5s) {
    while (fill(deadline)) {
    }
    return std::exchange(buffer_, {});
  }

  // True when the server closed the connection within the deadline (what it still sent is skipped).
  bool wait_eof(std::chrono::milliseconds deadline = 5s) {
    while (fill(deadline)) buffer_.clear();
    return eof_;
  }

 private:
  bool fill(std::chrono::milliseconds deadline) {
    pollfd ready{fd_, POLLIN, 0};
    if (::poll(&ready, 1, static_cast<int>(deadline.count())) <= 0) return false;
    char chunk[65536];
    auto got = ::recv(fd_, chunk, sizeof chunk, 0);
    if (got <= 0) {
      eof_ = true;
      return false;
    }
    buffer_.append(chunk, static_cast<std::size_t>(got));
    return true;
  }

  int fd_;
  std::string buffer_;
  bool eof_ = false;
};

struct Served {
  explicit Served(WsServerOptions options = {}) : server(configure(options), handler) {}
  static WsServerOptions configure(WsServerOptions options) {
    options.port = 0;
    return options;
  }
  std::uint16_t start() { return port = server.start(); }
  EchoHandler handler;
  WsServer server;
  std::uint16_t port = 0;
};

// Declared before the server it talks to, so the server stops first.
std::unique_ptr<RawClient> open_client(Served& served) {
  auto client = std::make_unique<RawClient>(served.port);
  REQUIRE(client->handshake().rfind("HTTP/1.1 101", 0) == 0);
  return client;
}

WsServerOptions one_second_keepalive() {
  WsServerOptions options;
  options.ping_interval = 1s;
  options.ping_timeout = 1s;
  return options;
}

}  // namespace

TEST_SUITE("WebSocket server") {
  TEST_CASE("the handshake is answered 101 with the key's accept value") {
    Served served;
    served.start();
    RawClient client(served.port);
    auto answer = client.handshake();
    CHECK(answer.rfind("HTTP/1.1 101 Switching Protocols\r\n", 0) == 0);
    CHECK(answer.find("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n") != std::string::npos);
  }

  TEST_CASE("a handshake for another protocol version is refused with 426 naming version 13, in the error envelope") {
    Served served;
    served.start();
    RawClient client(served.port);
    auto answer = client.handshake("8");
    CHECK(answer.rfind("HTTP/1.1 426", 0) == 0);
    CHECK(answer.find("Sec-WebSocket-Version: 13\r\n") != std::string::npos);
    CHECK(answer.find("Content-Type: application/json\r\n") != std::string::npos);
    CHECK(client.read_to_eof() ==
          R"({"status":"error","message":"unsupported Sec-WebSocket-Version: this server speaks version 13"})");
  }

  TEST_CASE("text messages are answered, and a ping gets a pong with its payload") {
    Served served;
    served.start();
    auto client = open_client(served);
    client->send_frame(Opcode::Text, "hello");
    client->send_frame(Opcode::Ping, "are you there");
    auto echoed = client->read_frame();
    auto pong = client->read_frame();
    if (echoed && echoed->opcode == Opcode::Pong) std::swap(echoed, pong);  // the pong may overtake the echo
    REQUIRE(echoed);
    REQUIRE(pong);
    CHECK(echoed->opcode == Opcode::Text);
    CHECK(echoed->payload == "hello");
    CHECK(pong->opcode == Opcode::Pong);
    CHECK(pong->payload == "are you there");
  }

  TEST_CASE("messages queued together arrive whole and in order") {
    Served served;
    for (int i = 0; i < 500; ++i) served.handler.greeting.push_back("message " + std::to_string(i));
    served.start();
    auto client = open_client(served);
    for (int i = 0; i < 500; ++i) {
      auto frame = client->read_frame();
      REQUIRE(frame);
      CHECK(frame->opcode == Opcode::Text);
      REQUIRE(frame->payload == "message " + std::to_string(i));
    }
  }

  TEST_CASE("a client's close is answered with its code and the connection ends") {
    Served served;
    served.start();
    auto client = open_client(served);
    client->send_frame(Opcode::Close, std::string("\x0f\xa0" "done", 6));  // 4000
    auto answer = client->read_frame();
    REQUIRE(answer);
    CHECK(answer->opcode == Opcode::Close);
    CHECK(answer->close_code() == 4000);
    CHECK(client->wait_eof());
    CHECK(served.handler.wait_closed(1));
  }

  TEST_CASE("an unmasked frame is answered with close 1002 and the reason") {
    Served served;
    served.start();
    auto client = open_client(served);
    client->send_frame(Opcode::Text, "hello", false);
    auto answer = client->read_frame();
    REQUIRE(answer);
    CHECK(answer->opcode == Opcode::Close);
    CHECK(answer->close_code() == 1002);
    CHECK(answer->payload.substr(2) == "client frames must be masked");
    CHECK(client->wait_eof());
  }

  TEST_CASE("a silent client gets a ping, and is cut off when it never answers") {
    Served served(one_second_keepalive());
    served.start();
    auto client = open_client(served);
    auto ping = client->read_frame(3s);
    REQUIRE(ping);
    CHECK(ping->opcode == Opcode::Ping);
    CHECK(client->wait_eof(4s));
    CHECK(served.handler.wait_closed(1));
  }

  TEST_CASE("a client that answers the ping stays connected") {
    Served served(one_second_keepalive());
    served.start();
    auto client = open_client(served);
    for (int round = 0; round < 3; ++round) {
      auto ping = client->read_frame(3s);
      REQUIRE(ping);
      REQUIRE(ping->opcode == Opcode::Ping);
      client->send_frame(Opcode::Pong, ping->payload);
    }
    client->send_frame(Opcode::Text, "still here");
    auto echoed = client->read_frame();
    REQUIRE(echoed);
    CHECK(echoed->payload == "still here");
  }

  TEST_CASE("a queued market update is replaced by a newer one with the same key") {
    Served served;
    served.handler.greeting = {"old tick", "new tick"};
    served.handler.greeting_key = 42;
    served.start();
    auto client = open_client(served);
    auto frame = client->read_frame();
    REQUIRE(frame);
    CHECK(frame->payload == "new tick");
    client->send_frame(Opcode::Text, "next");
    auto echoed = client->read_frame();
    REQUIRE(echoed);
    CHECK(echoed->payload == "next");
  }
}
