// streaming.hpp — Kite's binary ticker (ZERODHA_WS_URL) behind the host's
// subscribe/unsubscribe. Tokens are spread over up to 3 connections of at
// most 3000 tokens each (Kite's limits per API key); past that subscribe
// answers OA_ERR_RATE_LIMITED. Each token is asked for in the highest mode
// subscribed on it. A connection opens inside subscribe when none has room
// and closes when its last token goes; a connection lost reports
// stream_status(0) so the host subscribes its keys again (ABI 1.1).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "kite_client.hpp"
#include "ticker_packets.hpp"

namespace oa::zerodha {

inline constexpr std::string_view kDefaultWsUrl = "wss://ws.kite.trade";
inline constexpr std::size_t kMaxConnections = 3;
inline constexpr std::size_t kMaxTokensPerConnection = 3000;
inline constexpr std::size_t kTokensPerMessage = 200;

// The ticker's address for a session: auth is all in the query (websocket.md §6.1).
std::string ticker_url(const KiteClient& kite, std::string_view auth_token);

class Ticker {
 public:
  // The host closes every connection still open before it destroys the
  // instance (and its handles are gone by then), so there is no destructor work.
  explicit Ticker(KiteClient& kite) : kite_(kite) {}
  Ticker(const Ticker&) = delete;
  Ticker& operator=(const Ticker&) = delete;

  void subscribe(const sdk::Call& call, const std::vector<sdk::Subscription>& items);
  void unsubscribe(const sdk::Call& call, const std::vector<sdk::Subscription>& items);

 private:
  struct Connection;
  struct Watched {
    std::string symbol, exchange, token_text;
    std::set<int> modes;
    Connection* connection = nullptr;
  };
  struct Connection {
    Ticker* owner = nullptr;
    oa_ws* ws = nullptr;
    enum class State { Opening, Open, Closed } state = State::Opening;
    bool closing_on_purpose = false;
    std::string close_reason;
    std::set<std::uint32_t> tokens;
  };

  Connection* open_connection(const sdk::Call& call, std::unique_lock<std::mutex>& lock);
  Connection* connection_with_room(const sdk::Call& call, std::size_t needed, std::unique_lock<std::mutex>& lock);
  void send(Connection& connection, const std::string& action, const std::vector<std::uint32_t>& tokens,
            std::string_view mode = {});
  void prune_closed();

  static void on_open(void* user, oa_ws* ws);
  static void on_message(void* user, oa_ws* ws, int is_binary, oa_str data);
  static void on_close(void* user, oa_ws* ws, int code, oa_str reason);
  void emit(const std::vector<TickerPacket>& packets);

  KiteClient& kite_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::list<std::unique_ptr<Connection>> connections_;
  std::map<std::uint32_t, Watched> watched_;
};

}  // namespace oa::zerodha
