#pragma once
// OpenAlgo's WebSocket feed protocol (websocket.md §2) on top of the market
// feed: authentication within a grace window, subscribe / unsubscribe /
// unsubscribe_all acknowledged once the broker answered, order updates, and
// the small requests (broker info, supported brokers, ping). One FeedServer
// serves both the WebSocket port and the HTTP server's /ws upgrade.
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include <boost/json/object.hpp>

#include "feed/market_feed.hpp"
#include "net/ws_server.hpp"
#include "plugins/plugin_host.hpp"
#include "ws/client_message.hpp"

namespace oa::ws {

// Who an API key belongs to and where their market data comes from.
struct Identity {
  std::int64_t user_id = 0;
  std::string username;
  std::string broker;
  plugins::Session session;
};

struct FeedServerOptions {
  std::chrono::milliseconds auth_grace{15000};
  std::size_t max_subscriptions = 3000;         // (symbol, exchange, mode) per connection
  std::size_t max_symbols_per_message = 1000;
  std::size_t max_messages_per_second = 50;     // past it: an error; past five times it: closed
  std::vector<std::string> supported_brokers;   // VALID_BROKERS
};

struct FeedServerServices {
  std::function<std::optional<Identity>(std::string_view api_key)> authenticate;
  std::function<std::int64_t()> now_ms;
  // "connected" or "disconnected": the state of the broker's upstream feed.
  std::function<std::string(const std::string& broker)> broker_status;
  // Called with on = true when the first client streaming from a broker asks
  // for order updates, and with false when the last such client stops or
  // leaves: the broker's own order stream runs only while someone listens.
  // Called with the server's lock held, to keep the order: it must only queue the work.
  std::function<void(const Identity& identity, bool on)> order_stream;
};

// OpenAlgo's close code for a client that did not authenticate in time.
constexpr std::uint16_t kCloseAuthTimeout = 4401;

class FeedServer : public net::WsHandler {
 public:
  FeedServer(feed::MarketFeed& feed, FeedServerServices services, FeedServerOptions options);
  ~FeedServer() override;

  void on_open(const std::shared_ptr<net::WsPeer>& peer) override;
  void on_message(const std::shared_ptr<net::WsPeer>& peer, std::string_view data, bool binary) override;
  void on_close(const std::shared_ptr<net::WsPeer>& peer) override;

  // An order-status change for `user_id` (the sandbox), or, with broker set and
  // user_id 0, for every user streaming from that broker (a plugin's update).
  // Sent to the user's connections that asked for order updates; repeats of
  // the same (orderid, order_status, filled_quantity) are sent once.
  void publish_order_update(std::int64_t user_id, const std::string& broker, const boost::json::object& update);

  std::size_t clients() const;

  class Client;

 private:
  std::shared_ptr<Client> client_of(const net::WsPeer& peer) const;
  void handle(const std::shared_ptr<Client>& client, const ClientMessage& message);
  void authenticate(const std::shared_ptr<Client>& client, const ClientMessage& message);
  void subscribe(const std::shared_ptr<Client>& client, const ClientMessage& message);
  void unsubscribe(const std::shared_ptr<Client>& client, const ClientMessage& message);
  void unsubscribe_all(const std::shared_ptr<Client>& client, const ClientMessage& message);
  bool first_time(const boost::json::object& update);
  void want_orders(const std::shared_ptr<Client>& client, bool on);
  void count_order_client(const Identity& identity, bool joined);

  feed::MarketFeed& feed_;
  FeedServerServices services_;
  FeedServerOptions options_;
  mutable std::mutex mutex_;
  std::map<std::uint64_t, std::shared_ptr<Client>> clients_;  // by peer id
  std::map<std::string, std::size_t> order_clients_;          // by broker: clients wanting order updates
  // By broker: the broker account (broker_user_id) whose session opened the broker's order stream. Its
  // updates go to that account's clients only, never to another user logged in to another account.
  std::map<std::string, std::string> order_stream_accounts_;
  std::mutex seen_mutex_;
  std::unordered_set<std::string> seen_updates_;
  std::deque<std::string> seen_order_;
};

}  // namespace oa::ws
