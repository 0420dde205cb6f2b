#include "app/market_stream.hpp"

#include <chrono>

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "sandbox/books.hpp"
#include "ws/market_data_text.hpp"

namespace oa::app {
namespace {

namespace json = boost::json;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

ws::FeedServerOptions feed_server_options(const config::Config& config) {
  ws::FeedServerOptions options;
  options.auth_grace = std::chrono::seconds(config.get_int("WS_AUTH_GRACE_SECONDS"));
  options.max_subscriptions = static_cast<std::size_t>(config.get_int("WS_MAX_SUBSCRIPTIONS"));
  options.max_symbols_per_message = options.max_subscriptions;
  options.max_messages_per_second = static_cast<std::size_t>(config.get_int("WS_MAX_MESSAGES_PER_SECOND"));
  options.supported_brokers = config.get_list("VALID_BROKERS");
  return options;
}

}  // namespace

bool market_open(const calendar::MarketCalendar& calendar, const std::string& exchange, std::int64_t now_ms) {
  auto current = calendar.current();
  if (!current) return true;
  std::string traded = exchange;
  if (auto at = traded.find("_INDEX"); at != std::string::npos) traded.erase(at);
  auto ist = std::chrono::sys_days(std::chrono::floor<std::chrono::days>(
      std::chrono::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(now_ms)) + std::chrono::minutes(330)));
  for (const auto& session : current->sessions_on(calendar::Date(ist)))
    if (session.exchange == traded && session.start_ms <= now_ms && now_ms < session.end_ms) return true;
  return false;
}

net::WsServerOptions ws_server_options(const config::Config& config) {
  net::WsServerOptions options;
  options.host = config.get("WEBSOCKET_HOST");
  options.port = static_cast<std::uint16_t>(config.get_int("WEBSOCKET_PORT"));
  options.threads = static_cast<unsigned>(config.get_int("WS_THREADS"));
  options.max_connections = static_cast<std::size_t>(config.get_int("WS_MAX_CONNECTIONS"));
  options.max_message_bytes = static_cast<std::size_t>(config.get_int("WS_MAX_MESSAGE_BYTES"));
  options.ping_interval = std::chrono::seconds(config.get_int("WS_PING_INTERVAL"));
  options.ping_timeout = std::chrono::seconds(config.get_int("WS_PING_TIMEOUT"));
  options.max_queued_messages = static_cast<std::size_t>(config.get_int("WS_MAX_QUEUE"));
  options.max_lag = std::chrono::seconds(config.get_int("WS_MAX_LAG_SECONDS"));
  return options;
}

MarketStream::MarketStream(const config::Config& config, plugins::PluginHost& plugins,
                           instruments::InstrumentTable& instruments, security::Accounts& accounts,
                           const calendar::MarketCalendar& calendar,
                           std::function<api::BrokerRoute(std::int64_t)> route_for)
    : plugins_(plugins), accounts_(accounts), route_for_(std::move(route_for)), upstream_(plugins, instruments) {
  feed::FeedOptions options;
  options.format = ws::market_data_text;
  options.now_ms = now_ms;
  options.silence = std::chrono::seconds(config.get_int("FEED_SILENCE_SECONDS"));
  options.market_open = [&calendar](const std::string& exchange, std::int64_t now) {
    return market_open(calendar, exchange, now);
  };
  feed_ = std::make_unique<feed::MarketFeed>(upstream_, std::move(options));
  ws::FeedServerServices services;
  services.authenticate = [this](std::string_view api_key) { return identify(api_key); };
  services.now_ms = now_ms;
  services.broker_status = [this](const std::string& broker) -> std::string {
    for (const auto& plugin : plugins_.list())
      if (plugin.manifest.id == broker) return plugin.stream.reported && !plugin.stream.connected ? "disconnected" : "connected";
    return "disconnected";
  };
  services.order_stream = [this](const ws::Identity& identity, bool on) { order_stream(identity, on); };
  server_ = std::make_unique<ws::FeedServer>(*feed_, std::move(services), feed_server_options(config));
}

// Runs on a plugin worker: the WebSocket thread that asked never waits for the broker.
void MarketStream::order_stream(const ws::Identity& identity, bool on) {
  auto manifest = plugins_.manifest(identity.broker);
  if (!manifest || !(manifest->capabilities & OA_CAP_ORDER_STREAM)) return;
  auto operation = on ? plugins::Operation::OrderStreamOpen : plugins::Operation::OrderStreamClose;
  order_stream_calls_->run(identity.broker, [&plugins = plugins_, calls = order_stream_calls_, identity, operation,
                                             on](orders::PerKeyQueue::Release release) {
    plugins.call(identity.broker, operation, "{}", identity.session,
                 [broker = identity.broker, on, calls, release](plugins::Outcome outcome) {
                   if (!outcome.ok())
                     spdlog::warn("feed: {} could not {} its order updates: {}", broker, on ? "start" : "stop",
                                  outcome.message);
                   release();
                 });
  });
}

MarketStream::~MarketStream() {
  server_.reset();
  feed_->shut_down();
}

std::optional<ws::Identity> MarketStream::identify(std::string_view api_key) {
  auto user_id = accounts_.user_for_api_key(api_key);
  if (!user_id) return std::nullopt;
  ws::Identity identity;
  identity.user_id = *user_id;
  for (const auto& user : accounts_.list_users())
    if (user.id == *user_id) identity.username = user.username;
  auto route = route_for_(*user_id);
  identity.broker = route.broker;
  identity.session = route.session;
  return identity;
}

json::object MarketStream::status() const {
  json::array brokers;
  for (const auto& feed : feed_->status())
    brokers.push_back(json::object{{"broker", feed.broker},
                                   {"state", feed.state},
                                   {"lines", feed.lines},
                                   {"subscriptions", feed.subscriptions},
                                   {"subscribers", feed.subscribers},
                                   {"last_tick_ms", feed.last_tick_ms},
                                   {"ticks", feed.ticks},
                                   {"reconnects", feed.reconnects},
                                   {"last_error", feed.last_error},
                                   {"next_attempt_ms", feed.next_attempt_ms}});
  return json::object{{"clients", server_->clients()}, {"brokers", std::move(brokers)}};
}

void MarketStream::on_order_update(const std::string& broker, std::string_view text) {
  boost::system::error_code ec;
  auto document = json::parse(text, ec);
  if (ec || !document.is_object()) {
    spdlog::warn("feed: {} sent an order update that is not a JSON object; dropped", broker);
    return;
  }
  // websocket.md §2.3.6's key order: mode and broker before the order's own fields.
  json::object update{{"mode", "live"}, {"broker", broker}};
  for (auto& [key, value] : document.as_object()) update[key] = std::move(value);
  server_->publish_order_update(0, broker, update);
}

void MarketStream::on_sandbox_order(const sandbox::Order& order, const std::string& broker) {
  // Built on the sandbox engine's thread for every order it stores: with no
  // feed client connected there is no one to tell (a tenth of that thread's
  // time under a burst of orders).
  if (server_->clients() == 0) return;
  json::object update{{"type", "order_update"}, {"mode", "analyze"}, {"broker", broker}};
  for (auto& [key, value] : sandbox::order_update_fields(order)) update[key] = value;
  server_->publish_order_update(order.user_id, broker, update);
}

}  // namespace oa::app
