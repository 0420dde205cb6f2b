// streaming.hpp — SmartStream v2 (ANGEL_WS_URL): the host's (token, mode)
// subscriptions spread over at most 3 upstream connections of at most 1000
// subscriptions each (Angel's limits per client code), JSON subscribe and
// unsubscribe messages, the documented text "ping" heartbeat every 30 s,
// binary packets turned into ticks. A connection's loss is reported to the
// host (stream_status, ABI 1.1), which subscribes again; a connection whose
// last key goes is closed, and subscribe opens one when none has room.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "smartapi_client.hpp"
#include "stream_packets.hpp"

namespace oa::angel {

inline constexpr std::string_view kDefaultWsUrl = "wss://smartapisocket.angelone.in/smart-stream";
inline constexpr std::size_t kMaxConnections = 3;
inline constexpr std::size_t kMaxKeysPerConnection = 1000;
inline constexpr std::uint32_t kHeartbeatMs = 30000;

class Feed {
 public:
  explicit Feed(SmartApiClient& smartapi) : smartapi_(smartapi) {}
  Feed(const Feed&) = delete;
  Feed& operator=(const Feed&) = delete;

  void subscribe(const sdk::Call& call, const std::vector<sdk::Subscription>& items);
  void unsubscribe(const sdk::Call& call, const std::vector<sdk::Subscription>& items);

 private:
  // One upstream subscription: SmartStream's exchangeType, token and wire mode.
  using Key = std::tuple<int, std::string, int>;
  struct Name {
    std::string symbol, exchange;
  };
  struct Connection {
    oa_ws* ws = nullptr;
    bool open = false;
    bool closed = false;
    std::string close_reason;
    std::set<Key> keys;
  };

  static Key key_of(const sdk::Subscription& item);
  Connection* connection_with_room(std::unique_lock<std::mutex>& lock, const sdk::Call& call);
  Connection& open_connection(const sdk::Call& call);
  void wait_open(std::unique_lock<std::mutex>& lock, Connection& connection, std::int64_t deadline_ms);
  // False when the connection is closed.
  bool send(Connection& connection, int action, const std::vector<Key>& keys);
  Connection* find(oa_ws* ws);
  void forget(oa_ws* ws);
  void start_heartbeat();

  static void on_open(void* user, oa_ws* ws);
  static void on_message(void* user, oa_ws* ws, int is_binary, oa_str data);
  static void on_close(void* user, oa_ws* ws, int code, oa_str reason);
  void emit(const StreamPacket& packet);

  SmartApiClient& smartapi_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::unique_ptr<Connection>> connections_;
  std::map<std::pair<int, std::string>, Name> names_;  // (exchangeType, token) -> OpenAlgo name
  std::uint64_t heartbeat_ = 0;
  std::uint64_t messages_sent_ = 0;
};

}  // namespace oa::angel
