#include "streaming.hpp"

#include <algorithm>
#include <chrono>
#include <charconv>

#include "auth.hpp"
#include "value_maps.hpp"

namespace oa::zerodha {
namespace {

std::uint32_t token_number(std::string_view token) {
  auto head = token.substr(0, token.find("::::"));
  std::uint32_t number = 0;
  auto [end, error] = std::from_chars(head.data(), head.data() + head.size(), number);
  if (error != std::errc() || end != head.data() + head.size() || number == 0)
    throw sdk::Error(OA_ERR_INVALID_ARGUMENT, "'" + std::string(token) + "' is not a Kite instrument token");
  return number;
}

std::string token_list(const std::vector<std::uint32_t>& tokens) {
  std::string out = "[";
  for (std::size_t i = 0; i < tokens.size(); ++i) out += (i ? "," : "") + std::to_string(tokens[i]);
  return out + "]";
}

}  // namespace

std::string ticker_url(const KiteClient& kite, std::string_view auth_token) {
  return kite.host().config_or("ZERODHA_WS_URL", kDefaultWsUrl) + "?api_key=" + sdk::url_encode(kite.api_key()) +
         "&access_token=" + sdk::url_encode(access_token_of(auth_token));
}

void Ticker::send(Connection& connection, const std::string& action, const std::vector<std::uint32_t>& tokens,
                  std::string_view mode) {
  for (std::size_t start = 0; start < tokens.size(); start += kTokensPerMessage) {
    std::vector<std::uint32_t> batch(tokens.begin() + start,
                                     tokens.begin() + std::min(tokens.size(), start + kTokensPerMessage));
    std::string message = mode.empty()
                              ? R"({"a":")" + action + R"(","v":)" + token_list(batch) + "}"
                              : R"({"a":"mode","v":[")" + std::string(mode) + R"(",)" + token_list(batch) + "]}";
    if (kite_.host().api()->ws_send(connection.ws, 0, sdk::view(message)) != OA_OK)
      throw sdk::Error(OA_ERR_UPSTREAM, "the Kite ticker connection closed while subscribing");
  }
}

void Ticker::prune_closed() {
  connections_.remove_if([this](const std::unique_ptr<Connection>& connection) {
    if (connection->state != Connection::State::Closed) return false;
    for (auto it = watched_.begin(); it != watched_.end();)
      it = it->second.connection == connection.get() ? watched_.erase(it) : std::next(it);
    return true;
  });
}

Ticker::Connection* Ticker::open_connection(const sdk::Call& call, std::unique_lock<std::mutex>& lock) {
  if (call.auth_token.empty()) throw sdk::Error(OA_ERR_AUTH, "not logged in to Zerodha: the ticker needs a session");
  auto url = ticker_url(kite_, call.auth_token);
  auto& connection = *connections_.emplace_back(std::make_unique<Connection>());
  connection.owner = this;
  oa_ws_callbacks callbacks{&connection, &Ticker::on_open, &Ticker::on_message, &Ticker::on_close};
  connection.ws = kite_.host().api()->ws_connect(kite_.host().handle(), sdk::view(url), nullptr, 0, &callbacks);
  if (!connection.ws) {
    connection.state = Connection::State::Closed;
    throw sdk::Error(OA_ERR_UPSTREAM, "the host could not start a connection to the Kite ticker");
  }
  auto deadline = std::chrono::system_clock::time_point(std::chrono::milliseconds(call.deadline_ms));
  bool settled = changed_.wait_until(lock, deadline, [&connection] { return connection.state != Connection::State::Opening; });
  if (!settled) {
    connection.closing_on_purpose = true;
    kite_.host().api()->ws_close(connection.ws);
    throw sdk::Error(OA_ERR_UPSTREAM, "the Kite ticker did not open before the deadline");
  }
  if (connection.state == Connection::State::Closed)
    throw sdk::Error(OA_ERR_UPSTREAM, "the Kite ticker refused the connection: " +
                                          (connection.close_reason.empty() ? "check the session" : connection.close_reason));
  return &connection;
}

Ticker::Connection* Ticker::connection_with_room(const sdk::Call& call, std::size_t needed,
                                                 std::unique_lock<std::mutex>& lock) {
  // A connection whose last token went is closing: a new token on it would be
  // lost with it (and its send fail), so it neither takes tokens nor counts.
  std::size_t usable = 0;
  for (auto& connection : connections_) {
    if (connection->closing_on_purpose) continue;
    ++usable;
    if (connection->state == Connection::State::Open && connection->tokens.size() + needed <= kMaxTokensPerConnection)
      return connection.get();
  }
  if (usable >= kMaxConnections)
    throw sdk::Error(OA_ERR_RATE_LIMITED, "Kite allows " + std::to_string(kMaxConnections) + " ticker connections of " +
                                              std::to_string(kMaxTokensPerConnection) +
                                              " instruments each; unsubscribe something first");
  return open_connection(call, lock);
}

void Ticker::subscribe(const sdk::Call& call, const std::vector<sdk::Subscription>& items) {
  std::unique_lock lock(mutex_);
  prune_closed();
  // New tokens first (one call may carry a token in several modes), then
  // mode changes of tokens already streaming.
  std::map<std::uint32_t, std::vector<const sdk::Subscription*>> fresh;
  std::map<Connection*, std::vector<std::uint32_t>> raised;
  for (const auto& item : items) {
    auto token = token_number(item.token);
    auto found = watched_.find(token);
    if (found == watched_.end()) {
      fresh[token].push_back(&item);
      continue;
    }
    int before = *found->second.modes.rbegin();
    found->second.modes.insert(item.mode);
    if (item.mode > before) raised[found->second.connection].push_back(token);
  }
  for (auto& [connection, tokens] : raised)
    for (auto token : tokens) send(*connection, "mode", {token}, kite_mode(*watched_.at(token).modes.rbegin()));
  std::vector<std::uint32_t> pending;
  for (const auto& [token, wanted] : fresh) pending.push_back(token);
  while (!pending.empty()) {
    Connection* connection = connection_with_room(call, 1, lock);
    std::size_t room = kMaxTokensPerConnection - connection->tokens.size();
    std::vector<std::uint32_t> batch(pending.begin(), pending.begin() + std::min(room, pending.size()));
    pending.erase(pending.begin(), pending.begin() + batch.size());
    send(*connection, "subscribe", batch);
    std::map<int, std::vector<std::uint32_t>> by_mode;
    for (auto token : batch) {
      const auto& wanted = fresh.at(token);
      Watched watched{wanted.front()->symbol, wanted.front()->exchange, wanted.front()->token, {}, connection};
      for (const auto* item : wanted) watched.modes.insert(item->mode);
      by_mode[*watched.modes.rbegin()].push_back(token);  // Kite streams the highest mode asked for
      watched_[token] = std::move(watched);
      connection->tokens.insert(token);
    }
    for (const auto& [mode, tokens] : by_mode) send(*connection, "mode", tokens, kite_mode(mode));
  }
}

void Ticker::unsubscribe(const sdk::Call&, const std::vector<sdk::Subscription>& items) {
  std::unique_lock lock(mutex_);
  std::map<Connection*, std::vector<std::uint32_t>> dropped;
  for (const auto& item : items) {
    auto found = watched_.find(token_number(item.token));
    if (found == watched_.end()) continue;
    auto& watched = found->second;
    int before = *watched.modes.rbegin();
    watched.modes.erase(item.mode);
    if (watched.modes.empty()) {
      dropped[watched.connection].push_back(found->first);
      watched.connection->tokens.erase(found->first);
      watched_.erase(found);
    } else if (*watched.modes.rbegin() < before && watched.connection->state == Connection::State::Open) {
      send(*watched.connection, "mode", {found->first}, kite_mode(*watched.modes.rbegin()));
    }
  }
  for (auto& [connection, tokens] : dropped) {
    if (connection->state != Connection::State::Open) continue;
    if (connection->tokens.empty()) {
      connection->closing_on_purpose = true;
      kite_.host().api()->ws_close(connection->ws);
      continue;
    }
    send(*connection, "unsubscribe", tokens);
  }
}

void Ticker::on_open(void* user, oa_ws*) {
  auto* connection = static_cast<Connection*>(user);
  {
    std::lock_guard lock(connection->owner->mutex_);
    connection->state = Connection::State::Open;
  }
  connection->owner->changed_.notify_all();
  sdk::report_stream(connection->owner->kite_.host(), true, "Kite ticker connected");
}

void Ticker::on_message(void* user, oa_ws*, int is_binary, oa_str data) {
  auto* connection = static_cast<Connection*>(user);
  auto& host = connection->owner->kite_.host();
  if (!is_binary) {
    // {"type":"error","data":"..."} and order postbacks; only errors matter
    // here (postbacks are read on the order-update connection, order_updates.hpp).
    auto text = sdk::view(data);
    if (text.find("\"error\"") != std::string_view::npos) host.warn("Kite ticker: " + std::string(text.substr(0, 300)));
    return;
  }
  auto packets = parse_ticker_frame(sdk::view(data));
  if (!packets) {
    host.warn("Kite ticker: a malformed frame of " + std::to_string(data.len) + " bytes was dropped");
    return;
  }
  if (!packets->empty()) connection->owner->emit(*packets);
}

void Ticker::emit(const std::vector<TickerPacket>& packets) {
  std::lock_guard lock(mutex_);
  for (const auto& packet : packets) {
    auto found = watched_.find(packet.token);
    if (found == watched_.end()) continue;  // unsubscribed while the frame was on its way
    oa_tick tick = packet.tick;
    tick.symbol = sdk::view(found->second.symbol);
    tick.exchange = sdk::view(found->second.exchange);
    tick.token = sdk::view(found->second.token_text);
    kite_.host().emit_tick(tick);
  }
}

void Ticker::on_close(void* user, oa_ws*, int code, oa_str reason) {
  auto* connection = static_cast<Connection*>(user);
  auto* owner = connection->owner;
  bool on_purpose = false;
  std::string why = "Kite ticker closed (" + std::to_string(code) + (reason.len ? ": " + std::string(sdk::view(reason)) : "") + ")";
  {
    std::lock_guard lock(owner->mutex_);
    connection->state = Connection::State::Closed;
    connection->close_reason = why;
    on_purpose = connection->closing_on_purpose;
    // Its tokens are forgotten: the host subscribes them again after stream_status(0).
    for (auto token : connection->tokens) owner->watched_.erase(token);
    connection->tokens.clear();
  }
  owner->changed_.notify_all();
  if (!on_purpose) sdk::report_stream(owner->kite_.host(), false, why);
}

}  // namespace oa::zerodha
