#include "ws/feed_server.hpp"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "api/json_text.hpp"
#include "ws/server_message.hpp"

namespace oa::ws {
namespace {

namespace json = boost::json;

net::WsFrame frame(std::string text) { return std::make_shared<const std::string>(std::move(text)); }

using SymbolKey = std::tuple<std::string, std::string, int>;  // exchange, symbol, mode
SymbolKey key_of(const feed::SymbolRequest& request) { return {request.exchange, request.symbol, request.mode}; }

// The conflation key of one line at one mode: a newer tick replaces an unsent older one.
std::uint64_t conflation_key(std::uint64_t line_id, int mode) { return (line_id << 2) | static_cast<std::uint64_t>(mode); }

constexpr std::size_t kRememberedUpdates = 4096;

}  // namespace

// One connection's protocol state. Ticks arrive on plugin threads, replies on
// io and broker threads: `mutex` guards the state, the peer is thread-safe.
class FeedServer::Client : public feed::Subscriber {
 public:
  explicit Client(std::shared_ptr<net::WsPeer> peer) : peer(std::move(peer)) {}

  void on_tick(const feed::TickEvent& event, std::uint8_t modes) override {
    for (int mode = feed::kModeLtp; mode <= feed::kModeDepth; ++mode)
      if (modes & feed::mode_bit(mode)) peer->send(event.frame(mode), conflation_key(event.line_id(), mode));
  }

  void reply(std::string text) { peer->send(frame(std::move(text))); }

  // False when the client sends faster than allowed; closes a flood.
  bool within_rate(std::int64_t now_ms, std::size_t per_second) {
    std::lock_guard lock(mutex);
    if (now_ms - window_start_ms >= 1000) {
      window_start_ms = now_ms;
      window_count = 0;
      warned = false;
    }
    ++window_count;
    if (window_count <= per_second) return true;
    if (window_count > per_second * 5) {
      peer->close(net::kWsCloseTooSlow, "message flood: more than " + std::to_string(per_second * 5) + " messages a second");
      return false;
    }
    if (!warned) {
      warned = true;
      reply(error_text("RATE_LIMITED", "Too many messages: at most " + std::to_string(per_second) + " a second"));
    }
    return false;
  }

  const std::shared_ptr<net::WsPeer> peer;
  feed::SubscriberId feed_id = 0;
  std::mutex mutex;
  std::optional<Identity> identity;
  std::set<SymbolKey> subscriptions;  // held or waiting for the broker
  bool orders = false;
  std::int64_t window_start_ms = 0;
  std::size_t window_count = 0;
  bool warned = false;
};

FeedServer::FeedServer(feed::MarketFeed& feed, FeedServerServices services, FeedServerOptions options)
    : feed_(feed), services_(std::move(services)), options_(std::move(options)) {}

FeedServer::~FeedServer() {
  std::map<std::uint64_t, std::shared_ptr<Client>> clients;
  {
    std::lock_guard lock(mutex_);
    clients.swap(clients_);
  }
  for (auto& [id, client] : clients) feed_.detach(client->feed_id);
}

std::size_t FeedServer::clients() const {
  std::lock_guard lock(mutex_);
  return clients_.size();
}

std::shared_ptr<FeedServer::Client> FeedServer::client_of(const net::WsPeer& peer) const {
  std::lock_guard lock(mutex_);
  auto found = clients_.find(peer.id());
  return found == clients_.end() ? nullptr : found->second;
}

void FeedServer::on_open(const std::shared_ptr<net::WsPeer>& peer) {
  auto client = std::make_shared<Client>(peer);
  client->feed_id = feed_.attach(client);
  {
    std::lock_guard lock(mutex_);
    clients_[peer->id()] = client;
  }
  peer->set_deadline(options_.auth_grace, kCloseAuthTimeout, "auth timeout");
}

void FeedServer::on_close(const std::shared_ptr<net::WsPeer>& peer) {
  std::shared_ptr<Client> client;
  {
    std::lock_guard lock(mutex_);
    auto found = clients_.find(peer->id());
    if (found == clients_.end()) return;
    client = std::move(found->second);
    clients_.erase(found);
  }
  feed_.detach(client->feed_id);
  want_orders(client, false);
}

void FeedServer::want_orders(const std::shared_ptr<Client>& client, bool on) {
  std::optional<Identity> identity;
  {
    std::lock_guard lock(client->mutex);
    if (client->orders == on) return;
    client->orders = on;
    identity = client->identity;
  }
  if (identity) count_order_client(*identity, on);
}

void FeedServer::count_order_client(const Identity& identity, bool joined) {
  bool edge = false;
  {
    std::lock_guard lock(mutex_);
    auto& count = order_clients_[identity.broker];
    if (joined) edge = count++ == 0;
    else if (count > 0) edge = --count == 0;
    if (edge && joined) order_stream_accounts_[identity.broker] = identity.session.broker_user_id;
    // Handed over under the lock, so opens and closes leave in the order they were decided; the service
    // only queues the plugin call.
    if (edge && services_.order_stream) services_.order_stream(identity, joined);
  }
}

void FeedServer::on_message(const std::shared_ptr<net::WsPeer>& peer, std::string_view data, bool) {
  auto client = client_of(*peer);
  if (!client) return;
  if (!client->within_rate(services_.now_ms(), options_.max_messages_per_second)) return;
  auto parsed = read_client_message(data, options_.max_symbols_per_message);
  if (auto* error = std::get_if<ProtocolError>(&parsed)) return client->reply(error_text(error->code, error->message));
  handle(client, std::get<ClientMessage>(parsed));
}

void FeedServer::handle(const std::shared_ptr<Client>& client, const ClientMessage& message) {
  std::optional<Identity> identity;
  {
    std::lock_guard lock(client->mutex);
    identity = client->identity;
  }
  if (needs_authentication(message.action) && !identity)
    return client->reply(error_text("NOT_AUTHENTICATED", "You must authenticate first"));
  switch (message.action) {
    case Action::Authenticate: return authenticate(client, message);
    case Action::Subscribe: return subscribe(client, message);
    case Action::Unsubscribe: return unsubscribe(client, message);
    case Action::UnsubscribeAll: return unsubscribe_all(client, message);
    case Action::SubscribeOrders:
    case Action::UnsubscribeOrders: {
      bool on = message.action == Action::SubscribeOrders;
      want_orders(client, on);
      return client->reply(orders_ack_text(on, message.request_id));
    }
    case Action::BrokerInfo:
      return client->reply(broker_info_text(identity->broker, services_.broker_status(identity->broker), identity->username));
    case Action::SupportedBrokers: return client->reply(supported_brokers_text(options_.supported_brokers));
    case Action::Ping: return client->reply(pong_text(services_.now_ms(), message.client_timestamp, message.ping_id));
  }
}

void FeedServer::authenticate(const std::shared_ptr<Client>& client, const ClientMessage& message) {
  if (!message.api_key || message.api_key->empty())
    return client->reply(error_text("AUTHENTICATION_ERROR", "API key is required"));
  auto identity = services_.authenticate(*message.api_key);
  if (!identity) return client->reply(error_text("AUTHENTICATION_ERROR", "Invalid API key"));
  if (identity->broker.empty())
    return client->reply(error_text("BROKER_ERROR", "No broker is configured for this user"));
  bool switched = false;
  std::optional<Identity> before;
  bool orders = false;
  {
    std::lock_guard lock(client->mutex);
    before = client->identity;
    orders = client->orders;
    switched = client->identity && (client->identity->user_id != identity->user_id || client->identity->broker != identity->broker);
    client->identity = identity;
    if (switched) client->subscriptions.clear();
  }
  if (switched) feed_.unsubscribe_all(client->feed_id);  // its lines belonged to the other login
  if (switched && orders) {  // its order updates now come from the new login's broker
    count_order_client(*before, false);
    count_order_client(*identity, true);
  }
  client->peer->cancel_deadline();
  client->reply(auth_success_text(identity->broker, identity->username));
}

void FeedServer::subscribe(const std::shared_ptr<Client>& client, const ClientMessage& message) {
  const auto& requested = message.symbols;
  std::vector<feed::SymbolResult> results(requested.size());
  std::vector<feed::SymbolRequest> asked;
  std::vector<std::size_t> asked_at;  // index in `requested` of each asked symbol
  Identity identity;
  {
    std::lock_guard lock(client->mutex);
    identity = *client->identity;
    for (std::size_t i = 0; i < requested.size(); ++i) {
      results[i].request = requested[i];
      auto key = key_of(requested[i]);
      if (!client->subscriptions.count(key) && client->subscriptions.size() >= options_.max_subscriptions) {
        results[i].message = "Subscription limit reached: " + std::to_string(options_.max_subscriptions) +
                             " subscriptions per connection";
        continue;
      }
      client->subscriptions.insert(key);
      asked.push_back(requested[i]);
      asked_at.push_back(i);
    }
  }
  // Answered once the broker accepted or refused every symbol (websocket.md §2.6: never before).
  std::weak_ptr<Client> weak = client;
  auto answer = [weak, results = std::move(results), asked_at = std::move(asked_at), depth = message.depth,
                 broker = identity.broker, request_id = message.request_id](std::vector<feed::SymbolResult> answered) mutable {
    auto client = weak.lock();
    if (!client) return;
    {
      std::lock_guard lock(client->mutex);
      for (std::size_t k = 0; k < answered.size(); ++k) {
        if (!answered[k].ok) client->subscriptions.erase(key_of(answered[k].request));
        results[asked_at[k]] = std::move(answered[k]);
      }
    }
    // Depth: five levels are what every plugin streams (oa_tick), whatever was asked.
    (void)depth;
    client->reply(subscribe_ack_text(results, OA_DEPTH_LEVELS, broker, request_id));
  };
  if (asked.empty()) return answer({});
  feed_.subscribe(client->feed_id, identity.broker, identity.session, std::move(asked), std::move(answer));
}

void FeedServer::unsubscribe(const std::shared_ptr<Client>& client, const ClientMessage& message) {
  std::string broker;
  {
    std::lock_guard lock(client->mutex);
    broker = client->identity->broker;
    for (const auto& request : message.symbols) client->subscriptions.erase(key_of(request));
  }
  auto results = feed_.unsubscribe(client->feed_id, broker, message.symbols);
  client->reply(unsubscribe_ack_text(results, broker, message.request_id));
}

void FeedServer::unsubscribe_all(const std::shared_ptr<Client>& client, const ClientMessage& message) {
  std::string broker;
  {
    std::lock_guard lock(client->mutex);
    broker = client->identity->broker;
    client->subscriptions.clear();
  }
  auto results = feed_.unsubscribe_all(client->feed_id);
  client->reply(unsubscribe_ack_text(results, broker, message.request_id));
}

// websocket.md §2.3.6: a broker's socket and its postbacks can both report a transition.
bool FeedServer::first_time(const json::object& update) {
  auto part = [&update](std::string_view key) {
    const json::value* value = update.if_contains(key);
    return value ? api::to_json_text(*value) : std::string();
  };
  std::string key = part("orderid") + "|" + part("order_status") + "|" + part("filled_quantity");
  std::lock_guard lock(seen_mutex_);
  if (!seen_updates_.insert(key).second) return false;
  seen_order_.push_back(key);
  if (seen_order_.size() > kRememberedUpdates) {
    seen_updates_.erase(seen_order_.front());
    seen_order_.pop_front();
  }
  return true;
}

void FeedServer::publish_order_update(std::int64_t user_id, const std::string& broker, const json::object& update) {
  if (!first_time(update)) return;
  std::vector<std::shared_ptr<Client>> targets;
  std::string account;  // a broker stream's updates belong to the account that opened it
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, client] : clients_) targets.push_back(client);
    if (user_id == 0) account = order_stream_accounts_[broker];
  }
  for (const auto& client : targets) {
    std::optional<std::string> username;
    {
      std::lock_guard lock(client->mutex);
      if (!client->orders || !client->identity) continue;
      const auto& identity = *client->identity;
      bool theirs = user_id != 0 ? identity.user_id == user_id
                                 : identity.broker == broker && identity.session.broker_user_id == account;
      if (!theirs) continue;
      username = identity.username;
    }
    client->reply(order_update_text(update, *username));
  }
}

}  // namespace oa::ws
