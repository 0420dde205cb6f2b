#pragma once
// A loopback HTTP and WebSocket server for the broker fakes: it hands each
// request to a handler that answers like the broker would, upgrades WebSocket
// requests the handler accepts, and lets a test push frames to every open
// WebSocket or drop them mid-stream. Beast stays inside loopback_server.cpp.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

namespace oa::test {

struct FakeHttpRequest {
  std::string method, path, query, body;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string header(const std::string& name) const {
    auto found = headers.find(name);
    return found == headers.end() ? std::string() : found->second;
  }
};

struct FakeHttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  int delay_ms = 0;  // answer this late (a slow upstream)
};

// One accepted WebSocket. Thread-safe: send and drop may be called from any thread.
class FakeWsPeer {
 public:
  virtual ~FakeWsPeer() = default;
  // The path it was opened on (a fake may serve several sockets on one port).
  virtual const std::string& path() const = 0;
  virtual void send(bool binary, std::string data) = 0;
  // Drops the TCP connection without a close handshake, as a failing feed does.
  virtual void drop() = 0;
};

struct FakeWsHandlers {
  // Answers the upgrade request: 101 to accept, anything else refuses with that status.
  std::function<int(const FakeHttpRequest&)> accept;
  std::function<void(const std::shared_ptr<FakeWsPeer>&)> on_open;
  std::function<void(const std::shared_ptr<FakeWsPeer>&, bool binary, const std::string&)> on_message;
  std::function<void(const std::shared_ptr<FakeWsPeer>&)> on_close;
};

class LoopbackServer {
 public:
  using HttpHandler = std::function<FakeHttpResponse(const FakeHttpRequest&)>;

  LoopbackServer(HttpHandler http, FakeWsHandlers ws);
  ~LoopbackServer();
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  std::uint16_t port() const;
  std::string http_url() const;  // http://127.0.0.1:PORT
  std::string ws_url() const;    // ws://127.0.0.1:PORT

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace oa::test
