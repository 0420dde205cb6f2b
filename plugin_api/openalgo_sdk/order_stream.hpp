// order_stream.hpp — a broker's order-update WebSocket (OA_CAP_ORDER_STREAM,
// ABI 1.2), kept open between the host's order_stream_open and
// order_stream_close. A connection that drops is opened again after 1, 2, 5,
// 10, 30, then every 60 s (OpenAlgo's order adapters' schedule); a broker that
// refuses the session (HTTP 401/403 on the upgrade) is not asked again until
// the next open, which carries a fresh session. Text frames go to `on_text`
// on the host's network thread; an optional text ping keeps brokers that want
// one (Angel) from closing an idle connection.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "openalgo_plugin.hpp"

namespace oa::sdk {

struct OrderStreamTarget {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
};

class OrderStream {
 public:
  using OnText = std::function<void(std::string_view text)>;
  struct Options {
    std::string name;                   // for log lines, e.g. "Kite order updates"
    std::uint32_t ping_ms = 0;          // 0: no application ping
    std::string ping_text = "ping";
  };

  OrderStream(Host& host, Options options, OnText on_text)
      : host_(host), options_(std::move(options)), on_text_(std::move(on_text)) {}
  OrderStream(const OrderStream&) = delete;
  OrderStream& operator=(const OrderStream&) = delete;

  // Wants the stream on `target` (the session's URL and headers): connects
  // now unless a connection is already open or opening. Returns at once.
  void open(OrderStreamTarget target) {
    std::lock_guard lock(mutex_);
    wanted_ = true;
    refused_ = false;
    failures_ = 0;
    target_ = std::move(target);
    if (!timer_) timer_ = host_.start_timer(kTickMs, [this] { on_timer(); });
    if (!ws_) connect();
  }

  // No longer wanted: closes the connection and stops retrying.
  void close() {
    std::lock_guard lock(mutex_);
    wanted_ = false;
    if (ws_) host_.api()->ws_close(ws_);
  }

  bool connected() const {
    std::lock_guard lock(mutex_);
    return open_;
  }

 private:
  static constexpr std::uint32_t kTickMs = 500;
  static constexpr std::array<std::int64_t, 6> kBackoffMs{1000, 2000, 5000, 10000, 30000, 60000};

  // Under mutex_.
  void connect() {
    std::vector<oa_header> headers;
    for (const auto& [name, value] : target_.headers) headers.push_back({view(name), view(value)});
    oa_ws_callbacks callbacks{this, &OrderStream::on_open, &OrderStream::on_message, &OrderStream::on_close};
    ws_ = host_.api()->ws_connect(host_.handle(), view(target_.url), headers.data(), headers.size(), &callbacks);
    if (!ws_) schedule_retry("the host could not start the connection");
  }

  void schedule_retry(const std::string& why) {
    auto wait = kBackoffMs[std::min(failures_, kBackoffMs.size() - 1)];
    ++failures_;
    retry_at_ms_ = host_.now_ms() + wait;
    host_.warn(options_.name + " lost (" + why + "); connecting again in " + std::to_string(wait / 1000) + " s");
  }

  void on_timer() {
    std::lock_guard lock(mutex_);
    auto now = host_.now_ms();
    if (wanted_ && !ws_ && !refused_ && now >= retry_at_ms_) connect();
    if (open_ && options_.ping_ms && now - last_ping_ms_ >= options_.ping_ms) {
      last_ping_ms_ = now;
      host_.api()->ws_send(ws_, 0, view(options_.ping_text));
    }
  }

  static void on_open(void* user, oa_ws*) {
    auto* self = static_cast<OrderStream*>(user);
    std::lock_guard lock(self->mutex_);
    self->open_ = true;
    self->failures_ = 0;
    self->last_ping_ms_ = self->host_.now_ms();
    self->host_.info(self->options_.name + " connected");
  }

  static void on_message(void* user, oa_ws*, int is_binary, oa_str data) {
    auto* self = static_cast<OrderStream*>(user);
    if (!is_binary) self->on_text_(view(data));
  }

  static void on_close(void* user, oa_ws*, int code, oa_str reason) {
    auto* self = static_cast<OrderStream*>(user);
    std::lock_guard lock(self->mutex_);
    self->ws_ = nullptr;
    self->open_ = false;
    if (!self->wanted_) return;
    std::string why = view(reason).empty() ? "code " + std::to_string(code) : std::string(view(reason));
    if (why.find("HTTP 401") != std::string::npos || why.find("HTTP 403") != std::string::npos) {
      self->refused_ = true;
      self->host_.error(self->options_.name + " refused the session (" + why + "); waiting for the next login");
      return;
    }
    self->schedule_retry(why);
  }

  Host& host_;
  const Options options_;
  const OnText on_text_;
  mutable std::mutex mutex_;
  bool wanted_ = false;
  bool refused_ = false;
  bool open_ = false;
  OrderStreamTarget target_;
  oa_ws* ws_ = nullptr;
  std::uint64_t timer_ = 0;
  std::size_t failures_ = 0;
  std::int64_t retry_at_ms_ = 0;
  std::int64_t last_ping_ms_ = 0;
};

}  // namespace oa::sdk
