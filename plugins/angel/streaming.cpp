#include "streaming.hpp"

#include <chrono>

#include "value_maps.hpp"

namespace oa::angel {
namespace {

void report(sdk::Host& host, bool connected, std::string_view reason) {
#if OA_PLUGIN_ABI_MINOR >= 1
  sdk::report_stream(host, connected, reason);
#endif
  host.log(connected ? OA_LOG_INFO : OA_LOG_WARNING,
           connected ? std::string("SmartStream connected") : "SmartStream lost: " + std::string(reason));
}

double price(std::int64_t units, double divisor) { return static_cast<double>(units) / divisor; }

}  // namespace

Feed::Key Feed::key_of(const sdk::Subscription& item) {
  auto type = stream_exchange_type(item.exchange);
  if (!type) throw sdk::Error(OA_ERR_INVALID_ARGUMENT, "Angel's feed does not carry exchange " + item.exchange);
  if (item.token.empty()) throw sdk::Error(OA_ERR_INVALID_ARGUMENT, "no Angel token for " + item.symbol);
  return {*type, item.token, stream_mode(item.mode)};
}

void Feed::subscribe(const sdk::Call& call, const std::vector<sdk::Subscription>& items) {
  std::vector<Key> keys;
  for (const auto& item : items) keys.push_back(key_of(item));
  std::unique_lock lock(mutex_);
  std::size_t held = 0;
  for (const auto& connection : connections_) held += connection->keys.size();
  if (held + keys.size() > kMaxConnections * kMaxKeysPerConnection)
    throw sdk::Error(OA_ERR_RATE_LIMITED, "Angel allows " + std::to_string(kMaxConnections) + " feed connections of " +
                                              std::to_string(kMaxKeysPerConnection) + " subscriptions each; " +
                                              std::to_string(held) + " are in use");
  for (std::size_t i = 0; i < items.size(); ++i)
    names_[{std::get<0>(keys[i]), items[i].token}] = {items[i].symbol, items[i].exchange};
  std::size_t next = 0;
  while (next < keys.size()) {
    Connection* connection = connection_with_room(lock, call);
    std::size_t room = kMaxKeysPerConnection - connection->keys.size();
    std::vector<Key> batch(keys.begin() + next, keys.begin() + std::min(keys.size(), next + room));
    if (!send(*connection, 1, batch)) {
      // It closed under us and its on_close, which reports the loss, has not
      // run yet: these keys go to another connection.
      connection->closed = true;
      continue;
    }
    connection->keys.insert(batch.begin(), batch.end());
    next += batch.size();
  }
}

void Feed::unsubscribe(const sdk::Call&, const std::vector<sdk::Subscription>& items) {
  std::lock_guard lock(mutex_);
  for (const auto& item : items) {
    auto key = key_of(item);
    for (auto& connection : connections_) {
      if (!connection->keys.erase(key)) continue;
      if (connection->open) send(*connection, 0, {key});
      if (connection->keys.empty() && connection->open) smartapi_.host().api()->ws_close(connection->ws);
    }
  }
}

// An open connection with room, opening one (and waiting for it) when none has.
Feed::Connection* Feed::connection_with_room(std::unique_lock<std::mutex>& lock, const sdk::Call& call) {
  for (auto& connection : connections_)
    if (connection->open && !connection->closed && connection->keys.size() < kMaxKeysPerConnection)
      return connection.get();
  std::size_t live = 0;
  for (const auto& connection : connections_) live += !connection->closed;
  if (live >= kMaxConnections)
    throw sdk::Error(OA_ERR_RATE_LIMITED, "Angel's 3 feed connections for this client code are all full");
  Connection& connection = open_connection(call);
  wait_open(lock, connection, call.deadline_ms);
  return &connection;
}

Feed::Connection& Feed::open_connection(const sdk::Call& call) {
  if (call.auth_token.empty() || call.feed_token.empty())
    throw sdk::Error(OA_ERR_AUTH, "not logged in to Angel One: the feed needs the session's JWT and feed token");
  auto& host = smartapi_.host();
  auto url = host.config_or("ANGEL_WS_URL", kDefaultWsUrl);
  // OpenAlgo sends the literal "api_key" as x-api-key (websocket.md §6.2);
  // SmartStream's documentation asks for the app's key.
  std::string api_key = smartapi_.api_key(), jwt(call.auth_token), client(call.broker_user_id), feed(call.feed_token);
  oa_header headers[] = {{sdk::view("Authorization"), sdk::view(jwt)},
                         {sdk::view("x-api-key"), sdk::view(api_key)},
                         {sdk::view("x-client-code"), sdk::view(client)},
                         {sdk::view("x-feed-token"), sdk::view(feed)}};
  static const oa_ws_callbacks callbacks_template{nullptr, &Feed::on_open, &Feed::on_message, &Feed::on_close};
  oa_ws_callbacks callbacks = callbacks_template;
  callbacks.user = this;
  connections_.push_back(std::make_unique<Connection>());
  Connection& connection = *connections_.back();
  connection.ws = host.api()->ws_connect(host.handle(), sdk::view(url), headers, 4, &callbacks);
  if (!connection.ws) {
    connections_.pop_back();
    throw sdk::Error(OA_ERR_UPSTREAM, "the host could not open a connection to " + url);
  }
  return connection;
}

void Feed::wait_open(std::unique_lock<std::mutex>& lock, Connection& connection, std::int64_t deadline_ms) {
  auto now = smartapi_.host().now_ms();
  auto wait = std::chrono::milliseconds(deadline_ms > now ? deadline_ms - now : 10000);
  oa_ws* ws = connection.ws;
  bool settled = changed_.wait_for(lock, wait, [&] {
    Connection* current = find(ws);
    return !current || current->open || current->closed;
  });
  Connection* current = find(ws);
  if (current && current->open && !current->closed) return start_heartbeat();
  std::string reason = current && !current->close_reason.empty() ? current->close_reason : "closed before it opened";
  if (!settled) smartapi_.host().api()->ws_close(ws);
  forget(ws);
  throw sdk::Error(OA_ERR_UPSTREAM, settled ? "SmartStream refused the connection: " + reason
                                            : "SmartStream did not open the connection in time");
}

bool Feed::send(Connection& connection, int action, const std::vector<Key>& keys) {
  std::map<int, std::map<int, json::array>> by_mode;  // mode -> exchangeType -> tokens
  for (const auto& [type, token, mode] : keys) by_mode[mode][type].push_back(json::string(token));
  for (auto& [mode, by_type] : by_mode) {
    json::array token_list;
    for (auto& [type, tokens] : by_type) token_list.push_back(json::object{{"exchangeType", type}, {"tokens", tokens}});
    // Angel asks for a correlation ID of 10 characters.
    char id[16];
    std::snprintf(id, sizeof id, "oa%08llu", static_cast<unsigned long long>(++messages_sent_ % 100000000));
    auto text = json::serialize(json::object{
        {"correlationID", id}, {"action", action}, {"params", {{"mode", mode}, {"tokenList", token_list}}}});
    if (smartapi_.host().api()->ws_send(connection.ws, 0, sdk::view(text)) != OA_OK) return false;
  }
  return true;
}

Feed::Connection* Feed::find(oa_ws* ws) {
  for (auto& connection : connections_)
    if (connection->ws == ws) return connection.get();
  return nullptr;
}

void Feed::start_heartbeat() {
  if (heartbeat_) return;
  heartbeat_ = smartapi_.host().start_timer(kHeartbeatMs, [this] {
    std::lock_guard lock(mutex_);
    for (auto& connection : connections_)
      if (connection->open && !connection->closed) smartapi_.host().api()->ws_send(connection->ws, 0, sdk::view("ping"));
  });
}

void Feed::on_open(void* user, oa_ws* ws) {
  auto* feed = static_cast<Feed*>(user);
  {
    std::lock_guard lock(feed->mutex_);
    if (auto* connection = feed->find(ws)) connection->open = true;
  }
  feed->changed_.notify_all();
  report(feed->smartapi_.host(), true, {});
}

void Feed::on_message(void* user, oa_ws*, int is_binary, oa_str data) {
  if (!is_binary) return;  // "pong" and error texts; ticks are binary
  auto* feed = static_cast<Feed*>(user);
  if (auto packet = parse_packet(sdk::view(data))) feed->emit(*packet);
}

void Feed::on_close(void* user, oa_ws* ws, int code, oa_str reason) {
  auto* feed = static_cast<Feed*>(user);
  bool was_live = false;
  std::string why = sdk::view(reason).empty() ? "closed with code " + std::to_string(code) : std::string(sdk::view(reason));
  {
    std::lock_guard lock(feed->mutex_);
    if (auto* connection = feed->find(ws)) {
      was_live = connection->open && !connection->keys.empty();
      connection->closed = true;
      connection->close_reason = why;
      if (connection->open) feed->forget(ws);  // one that never opened: its subscribe call forgets it
    }
  }
  feed->changed_.notify_all();
  if (was_live) report(feed->smartapi_.host(), false, why);
}

// A connection that was open is dropped with its keys; the host subscribes them
// again. One that never opened stays until its subscribe call has seen why.
void Feed::forget(oa_ws* ws) {
  std::erase_if(connections_, [ws](const auto& connection) { return connection->ws == ws; });
}

void Feed::emit(const StreamPacket& packet) {
  Name name;
  {
    std::lock_guard lock(mutex_);
    auto found = names_.find({packet.exchange_type, packet.token});
    if (found != names_.end()) name = found->second;
  }
  double divisor = stream_price_divisor(packet.exchange_type);
  oa_tick tick{};
  tick.struct_size = sizeof tick;
  tick.mode = packet.mode == 1 ? OA_MODE_LTP : packet.mode == 2 ? OA_MODE_QUOTE : OA_MODE_DEPTH;
  tick.symbol = sdk::view(name.symbol);
  tick.exchange = sdk::view(name.exchange);
  tick.token = sdk::view(packet.token);
  tick.exchange_time_ms = packet.exchange_time_ms;
  tick.ltp = price(packet.ltp, divisor);
  tick.ltq = packet.last_quantity;
  tick.open = price(packet.open, divisor);
  tick.high = price(packet.high, divisor);
  tick.low = price(packet.low, divisor);
  tick.close = price(packet.close, divisor);
  tick.average_price = price(packet.average_price, divisor);
  tick.volume = packet.volume;
  tick.oi = packet.open_interest;
  tick.total_buy_quantity = static_cast<std::int64_t>(packet.total_buy_quantity);
  tick.total_sell_quantity = static_cast<std::int64_t>(packet.total_sell_quantity);
  tick.upper_circuit = price(packet.upper_circuit, divisor);
  tick.lower_circuit = price(packet.lower_circuit, divisor);
  for (std::size_t i = 0; i < OA_DEPTH_LEVELS; ++i) {
    tick.bids[i] = {price(packet.bids[i].price, divisor), packet.bids[i].quantity, packet.bids[i].orders};
    tick.asks[i] = {price(packet.asks[i].price, divisor), packet.asks[i].quantity, packet.asks[i].orders};
  }
  smartapi_.host().emit_tick(tick);
}

}  // namespace oa::angel
