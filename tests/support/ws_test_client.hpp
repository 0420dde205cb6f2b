#pragma once
// A WebSocket client for tests, on Beast: connects, sends text, and receives
// with a deadline. It reads only inside receive(), so a test that stops
// calling it is a client that stopped reading (a stalled subscriber); a small
// receive buffer makes the server notice soon.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <boost/json/value.hpp>

namespace oa::test {

class WsTestClient {
 public:
  struct Options {
    std::string path = "/";
    int receive_buffer_bytes = 0;  // 0 = the system's default
  };
  WsTestClient(std::uint16_t port, Options options);
  explicit WsTestClient(std::uint16_t port) : WsTestClient(port, Options{}) {}
  ~WsTestClient();
  WsTestClient(const WsTestClient&) = delete;
  WsTestClient& operator=(const WsTestClient&) = delete;

  void send(const std::string& text);
  void send_json(const boost::json::value& message);
  // The next message, or nullopt when none came by the deadline or the connection closed.
  std::optional<std::string> receive(std::chrono::milliseconds deadline = std::chrono::seconds(10));
  std::optional<boost::json::value> receive_json(std::chrono::milliseconds deadline = std::chrono::seconds(10));
  // The next message whose "type" is `type` (others are skipped), or nullopt.
  std::optional<boost::json::object> receive_type(const std::string& type,
                                                  std::chrono::milliseconds deadline = std::chrono::seconds(10));
  // True once the server closed the connection; its code and reason then.
  bool closed() const;
  int close_code() const;
  std::string close_reason() const;
  // Reads until the server closes (or the deadline); true when it did.
  bool wait_closed(std::chrono::milliseconds deadline = std::chrono::seconds(10));
  void close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A client of the daemon's feed that authenticated with `api_key` and asked
// for order updates, both acknowledged (REQUIREd).
std::unique_ptr<WsTestClient> order_update_client(std::uint16_t port, const std::string& api_key);

}  // namespace oa::test
