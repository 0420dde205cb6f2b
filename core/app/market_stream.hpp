#pragma once
// The live-data side of the gateway: the market feed over the plugin host,
// and OpenAlgo's WebSocket protocol over the feed, with the users, their
// brokers and the settings that configure both.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "api/api_context.hpp"
#include "calendar/market_calendar.hpp"
#include "config/config.hpp"
#include "feed/market_feed.hpp"
#include "feed/stream_upstream.hpp"
#include "net/ws_server.hpp"
#include "orders/per_key_queue.hpp"
#include "sandbox/sandbox_types.hpp"
#include "security/accounts.hpp"
#include "ws/feed_server.hpp"

namespace oa::app {

class MarketStream {
 public:
  MarketStream(const config::Config& config, plugins::PluginHost& plugins, instruments::InstrumentTable& instruments,
               security::Accounts& accounts, const calendar::MarketCalendar& calendar,
               std::function<api::BrokerRoute(std::int64_t user_id)> route_for);
  ~MarketStream();

  feed::MarketFeed& feed() { return *feed_; }
  // The WebSocket protocol, for the WebSocket server.
  net::WsHandler& handler() { return *server_; }

  // From the plugin host.
  void on_tick(const std::string& broker, const oa_tick& tick) { feed_->on_tick(broker, tick); }
  void on_stream_status(const std::string& broker, bool connected, std::string_view reason) {
    feed_->on_stream_status(broker, connected, reason);
  }
  void on_order_update(const std::string& broker, std::string_view json);
  // For `openalgod feed status`: {"clients": N, "brokers": [...]}.
  boost::json::object status() const;
  // From the sandbox engine: an order it stored.
  void on_sandbox_order(const sandbox::Order& order, const std::string& broker);

 private:
  std::optional<ws::Identity> identify(std::string_view api_key);
  // Opens (on) or closes the broker's order-update stream, if its plugin has one.
  void order_stream(const ws::Identity& identity, bool on);

  plugins::PluginHost& plugins_;
  security::Accounts& accounts_;
  std::function<api::BrokerRoute(std::int64_t)> route_for_;
  feed::PluginUpstream upstream_;
  std::unique_ptr<feed::MarketFeed> feed_;
  std::unique_ptr<ws::FeedServer> server_;
  // One open or close at a time per broker, in the order the feed decided
  // them: the plugin's workers would otherwise run a quick close before the
  // open it follows. Shared with the calls in flight, which may outlive us.
  std::shared_ptr<orders::PerKeyQueue> order_stream_calls_ = std::make_shared<orders::PerKeyQueue>();
};

// Whether `exchange` has a trading window around `now_ms` in the calendar
// (an index trades with its exchange: NSE_INDEX with NSE). Without a loaded
// calendar every hour counts as trading.
bool market_open(const calendar::MarketCalendar& calendar, const std::string& exchange, std::int64_t now_ms);

// The WebSocket server's settings (WEBSOCKET_HOST, WEBSOCKET_PORT, WS_*).
net::WsServerOptions ws_server_options(const config::Config& config);

}  // namespace oa::app
