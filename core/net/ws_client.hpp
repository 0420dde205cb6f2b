#pragma once
// The host's upstream WebSocket client: what plugins reach through
// oa_host_api.ws_connect / ws_send / ws_close (broker market-data and order
// feeds). Plain types only; Beast stays in ws_client.cpp.
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "net/http_types.hpp"

namespace oa::net {

class WsSession;

// All three run on the client's threads, one at a time per connection (the
// one exception: on_close of a connection still open after the destructor's
// grace period runs on the destroying thread). After on_close, which comes
// exactly once (also when connecting fails), nothing more is called. Data is
// borrowed for the call.
struct WsCallbacks {
  std::function<void()> on_open;
  std::function<void(bool is_binary, std::string_view data)> on_message;
  // The code and reason of whoever closed first: the server's close frame
  // (1005 when it carried none), this side's close (1000 from close(), 1008
  // when the send queue overflowed, 1001 when the client shut down), or 1006
  // with a description when the connection failed or was lost.
  std::function<void(int code, std::string reason)> on_close;
};

// A handle to one connection. It does not keep the connection open: the
// client owns it until on_close; afterwards every call is a harmless no-op.
class WsConnection {
 public:
  explicit WsConnection(std::weak_ptr<WsSession> session);

  // Queues a message; messages queued before on_open are sent after it. Never
  // blocks. False once the connection is closing or closed, or when the queue
  // already holds kMaxQueuedMessages: then the connection is dropped with 1008.
  bool send(bool is_binary, std::string data);
  // Sends what is queued, then a close frame (1000); on_close follows.
  void close();
  // True between on_open and the start of a close.
  bool is_open() const;

  static constexpr std::size_t kMaxQueuedMessages = 4096;

 private:
  std::weak_ptr<WsSession> session_;
};

class WsClient {
 public:
  explicit WsClient(unsigned threads = 1);
  // Closes every connection (1001; on_close is called for each), waits briefly
  // for the close handshakes and joins the threads. Not from a callback.
  ~WsClient();
  WsClient(const WsClient&) = delete;
  WsClient& operator=(const WsClient&) = delete;

  // Starts connecting to a ws:// or wss:// URL (TLS verified against the
  // system's trust store) with `headers` on the upgrade request, and returns
  // at once. connect_timeout covers DNS, TCP, TLS and the upgrade. Once open,
  // the connection reads continuously and pings the server when it has been
  // silent, dropping it (1006) if it stays silent.
  std::shared_ptr<WsConnection> connect(const std::string& url, std::vector<Header> headers, WsCallbacks callbacks,
                                        std::chrono::milliseconds connect_timeout = std::chrono::seconds(10));

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace oa::net
