#pragma once
// WebSocket server for downstream clients (the market-data feed): its own
// port, and connections upgraded by the HTTP server at its WebSocket path.
// Beast stays inside core/net: the application sees WsPeer and WsHandler.
//
// Sending never blocks and never waits for the network. Each peer has its own
// queue and at most one write in flight, so a slow or dead client delays no
// one else. Market updates carry a conflation key: a queued update with the
// same key is replaced by the newer one, so a slow client's queue is bounded
// by what it subscribes to. A client whose oldest unsent message is older
// than max_lag, or whose queue of other messages passes max_queued_messages,
// is closed with a reason saying so.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace oa::net {

using WsFrame = std::shared_ptr<const std::string>;

struct WsServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8765;  // 0 = any free port; start() returns the one bound
  unsigned threads = 1;
  std::size_t max_connections = 10000;
  std::size_t max_message_bytes = 64 * 1024;  // inbound
  std::chrono::seconds handshake_timeout{10};
  std::chrono::seconds ping_interval{20};  // a protocol ping after this much silence
  std::chrono::seconds ping_timeout{20};   // closed when nothing came back this long after it
  std::size_t max_queued_messages = 1024;  // replies and events, which are never conflated
  std::chrono::milliseconds max_lag{10000};
};

// Close codes the server itself uses.
constexpr std::uint16_t kWsCloseTooSlow = 1008;      // policy violation: the client could not keep up
constexpr std::uint16_t kWsCloseTooMany = 1013;      // try again later: connection limit reached
constexpr std::uint16_t kWsCloseGoingAway = 1001;    // shutting down

// One client connection. Every member is thread-safe and returns at once.
class WsPeer {
 public:
  virtual ~WsPeer() = default;
  virtual std::uint64_t id() const = 0;
  virtual const std::string& peer_ip() const = 0;
  // Queues a text message. conflation_key != 0 marks a market update that a
  // newer one with the same key replaces while still queued.
  virtual void send(WsFrame frame, std::uint64_t conflation_key = 0) = 0;
  // Sends a close frame with `code` and `reason` after what is queued (or at
  // once when the client is stuck), then closes.
  virtual void close(std::uint16_t code, std::string reason) = 0;
  // Closes with `code` and `reason` unless cancel_deadline() comes first.
  virtual void set_deadline(std::chrono::milliseconds after, std::uint16_t code, std::string reason) = 0;
  virtual void cancel_deadline() = 0;
};

// The application. Calls for one peer never overlap; on_close comes once, last.
class WsHandler {
 public:
  virtual ~WsHandler() = default;
  virtual void on_open(const std::shared_ptr<WsPeer>& peer) = 0;
  virtual void on_message(const std::shared_ptr<WsPeer>& peer, std::string_view data, bool binary) = 0;
  virtual void on_close(const std::shared_ptr<WsPeer>& peer) = 0;
};

class WsServer {
 public:
  WsServer(WsServerOptions options, WsHandler& handler);
  ~WsServer();
  WsServer(const WsServer&) = delete;
  WsServer& operator=(const WsServer&) = delete;

  // Starts the io threads; binds the server's own port unless listen is
  // false (then it serves only connections the HTTP server hands over).
  // Throws std::runtime_error when it cannot bind. Returns the bound port (0 without listening).
  std::uint16_t start(bool listen = true);
  // Closes every connection (1001) and joins the threads. Idempotent.
  void stop();

  std::size_t connections() const;

  // For core/net's HTTP server, which hands upgraded connections over (net/ws_upgrade.hpp).
  struct Impl;
  Impl& internals() { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace oa::net
