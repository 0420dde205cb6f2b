#include "net/ws_client.hpp"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>
#include <unordered_map>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <spdlog/spdlog.h>

#include "log/thread_name.hpp"
#include "net/upstream_tls.hpp"
#include "net/text_case.hpp"
#include "net/upstream_url.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

namespace oa::net {

// What WsConnection handles point to; one per connect(). Every member is
// thread-safe.
class WsSession {
 public:
  virtual ~WsSession() = default;
  virtual bool send(bool is_binary, std::string data) = 0;
  virtual void close() = 0;
  virtual bool is_open() const = 0;
  // The client is going away: close now with 1001, dropping what is queued.
  virtual void shut_down() = 0;
  // The client's threads are gone: report on_close on this thread if it has not been.
  virtual void abandon() = 0;
};

namespace {

using Clock = std::chrono::steady_clock;
using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// Silence for half of this sends a ping; silence for all of it drops the connection.
constexpr auto kIdleTimeout = std::chrono::seconds(30);
// How long a close handshake may take before the socket is simply closed.
constexpr auto kCloseTimeout = std::chrono::seconds(5);
// How long the client's destructor waits for close handshakes.
constexpr auto kShutdownGrace = std::chrono::seconds(2);
constexpr std::size_t kMaxCloseReasonBytes = 123;  // RFC 6455: a control frame carries at most 125 bytes

struct Closing {
  int code;
  std::string reason;
};

// The connections that have not reported on_close yet; the client waits on it when shutting down.
class SessionRegistry {
 public:
  void add(std::shared_ptr<WsSession> session) {
    std::lock_guard lock(mutex_);
    auto* key = session.get();
    live_.emplace(key, std::move(session));
  }

  void remove(WsSession* session) {
    std::lock_guard lock(mutex_);
    live_.erase(session);
    if (live_.empty()) emptied_.notify_all();
  }

  std::vector<std::shared_ptr<WsSession>> snapshot() {
    std::lock_guard lock(mutex_);
    std::vector<std::shared_ptr<WsSession>> out;
    for (auto& [key, session] : live_) out.push_back(session);
    return out;
  }

  void wait_until_empty(std::chrono::milliseconds limit) {
    std::unique_lock lock(mutex_);
    emptied_.wait_for(lock, limit, [this] { return live_.empty(); });
  }

  void clear() {
    std::lock_guard lock(mutex_);
    live_.clear();
  }

 private:
  std::mutex mutex_;
  std::condition_variable emptied_;
  std::unordered_map<WsSession*, std::shared_ptr<WsSession>> live_;
};

bool has_line_break(std::string_view text) { return text.find_first_of("\r\n") != std::string_view::npos; }

// One upstream WebSocket connection.
//
// Threads: the public members lock `mutex_`, which guards `state_` and
// `queue_`, and post the real work to `strand_`. Everything else is touched
// only on the strand (or by abandon(), after the client's threads are joined).
// Life: pending handlers and the registry hold the session; handles hold it weakly.
template <class Stream>
class Session final : public WsSession, public std::enable_shared_from_this<Session<Stream>> {
 public:
  Session(asio::io_context& ioc, asio::ssl::context& tls, UpstreamUrl url, std::vector<Header> headers,
          WsCallbacks callbacks, SessionRegistry& registry, std::chrono::milliseconds connect_timeout)
      : strand_(asio::make_strand(ioc)),
        ws_(make_stream(strand_, tls)),
        resolver_(strand_),
        connect_timer_(strand_),
        close_timer_(strand_),
        url_(std::move(url)),
        headers_(std::move(headers)),
        callbacks_(std::move(callbacks)),
        registry_(registry),
        connect_timeout_(connect_timeout) {}

  void start() {
    asio::post(strand_, [self = this->shared_from_this()] { self->resolve(); });
  }

  // Ends the connection before it starts, reporting `reason` with 1006.
  void reject(std::string reason) {
    asio::post(strand_, [self = this->shared_from_this(), reason = std::move(reason)]() mutable {
      self->finish({1006, std::move(reason)});
    });
  }

  bool send(bool is_binary, std::string data) override {
    {
      std::lock_guard lock(mutex_);
      if (state_ == State::closing || state_ == State::closed) return false;
      if (queue_.size() < WsConnection::kMaxQueuedMessages) {
        queue_.push_back({is_binary, std::move(data)});
        asio::post(strand_, [self = this->shared_from_this()] { self->pump(); });
        return true;
      }
      state_ = State::closing;
      queue_.clear();
    }
    spdlog::warn("ws client: {} is not keeping up ({} messages queued); dropping the connection", url_.endpoint(),
                 WsConnection::kMaxQueuedMessages);
    request_close({1008, "send queue full"});
    return false;
  }

  void close() override {
    {
      std::lock_guard lock(mutex_);
      if (state_ == State::closing || state_ == State::closed) return;
      state_ = State::closing;
    }
    request_close({1000, "closed by client"});
  }

  bool is_open() const override {
    std::lock_guard lock(mutex_);
    return state_ == State::open;
  }

  void shut_down() override {
    {
      std::lock_guard lock(mutex_);
      if (state_ == State::closed) return;
      state_ = State::closing;
      queue_.clear();
    }
    request_close({1001, "client shutting down"});
  }

  void abandon() override { finish(local_close_.value_or(Closing{1001, "client shutting down"})); }

 private:
  enum class State { connecting, open, closing, closed };
  enum class Phase { resolving, connecting, handshaking, upgrading, open };
  struct Outgoing {
    bool binary = false;
    std::string data;
  };

  static websocket::stream<Stream> make_stream(const asio::strand<asio::io_context::executor_type>& strand,
                                               asio::ssl::context& tls) {
    if constexpr (std::is_same_v<Stream, TlsStream>)
      return websocket::stream<Stream>(strand, tls);
    else
      return websocket::stream<Stream>(strand);
  }

  // ---- connecting ----------------------------------------------------------

  // One timer bounds the whole connect; the resolver cannot be interrupted,
  // so the timer ends the attempt itself and late answers find it finished.
  void resolve() {
    phase_ = Phase::resolving;
    connect_timer_.expires_after(connect_timeout_);
    connect_timer_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
      if (!ec) self->connect_timed_out();
    });
    resolver_.async_resolve(
        url_.host, std::to_string(url_.port),
        [self = this->shared_from_this()](beast::error_code ec, tcp::resolver::results_type endpoints) {
          self->on_resolved(ec, endpoints);
        });
  }

  void on_resolved(beast::error_code ec, const tcp::resolver::results_type& endpoints) {
    if (finished_) return;
    if (ec) return finish({1006, "cannot resolve " + url_.host + ": " + ec.message()});
    phase_ = Phase::connecting;
    beast::get_lowest_layer(ws_).async_connect(
        endpoints, [self = this->shared_from_this()](beast::error_code ec, const tcp::endpoint&) {
          self->on_connected(ec);
        });
  }

  void on_connected(beast::error_code ec) {
    if (finished_) return;
    if (ec) return finish({1006, "cannot connect to " + url_.endpoint() + ": " + ec.message()});
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().set_option(tcp::no_delay(true), ignored);
    if constexpr (std::is_same_v<Stream, TlsStream>)
      handshake();
    else
      upgrade();
  }

  void handshake() {
    phase_ = Phase::handshaking;
    if (!bind_tls_to_host(ws_.next_layer().native_handle(), url_))
      return finish({1006, "cannot set up TLS for " + url_.endpoint()});
    ws_.next_layer().async_handshake(asio::ssl::stream_base::client,
                                     [self = this->shared_from_this()](beast::error_code ec) {
                                       self->on_handshake(ec);
                                     });
  }

  void on_handshake(beast::error_code ec) {
    if (finished_) return;
    if (ec)
      return finish({1006, "TLS handshake with " + url_.endpoint() + " failed: " +
                               describe_tls_failure(ws_.next_layer().native_handle(), ec.message())});
    upgrade();
  }

  void upgrade() {
    phase_ = Phase::upgrading;
    ws_.set_option(websocket::stream_base::decorator([headers = headers_](websocket::request_type& request) {
      bool has_agent = false;
      for (const auto& [name, value] : headers) {
        has_agent = has_agent || equals_ignoring_case(name, "user-agent");
        request.insert(name, value);
      }
      if (!has_agent) request.set(http::field::user_agent, "openalgod");
    }));
    ws_.async_handshake(upgrade_response_, url_.host_header, url_.target,
                        [self = this->shared_from_this()](beast::error_code ec) { self->on_upgraded(ec); });
  }

  void on_upgraded(beast::error_code ec) {
    if (finished_) return;
    if (ec == websocket::error::upgrade_declined)
      return finish({1006, "WebSocket upgrade declined by " + url_.endpoint() + ": HTTP " +
                               std::to_string(upgrade_response_.result_int())});
    if (ec) return finish({1006, "WebSocket upgrade with " + url_.endpoint() + " failed: " + ec.message()});
    connect_timer_.cancel();
    auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::client);
    timeouts.idle_timeout = kIdleTimeout;  // the client suggestion has neither idle timeout nor pings
    timeouts.keep_alive_pings = true;
    timeouts.handshake_timeout = kCloseTimeout;  // from here on it bounds only the close handshake
    ws_.set_option(timeouts);
    phase_ = Phase::open;
    bool opened = false;
    {
      std::lock_guard lock(mutex_);
      opened = state_ == State::connecting;
      if (opened) state_ = State::open;
    }
    if (opened) notify("on_open", callbacks_.on_open);
    read();
    pump();
  }

  void connect_timed_out() {
    if (finished_ || phase_ == Phase::open) return;
    finish({1006, "timed out after " + std::to_string(connect_timeout_.count()) + " ms " + phase_text()});
  }

  std::string phase_text() const {
    switch (phase_) {
      case Phase::resolving: return "resolving " + url_.host;
      case Phase::connecting: return "connecting to " + url_.endpoint();
      case Phase::handshaking: return "in the TLS handshake with " + url_.endpoint();
      case Phase::upgrading:
      case Phase::open: break;
    }
    return "in the WebSocket upgrade with " + url_.endpoint();
  }

  // ---- open ----------------------------------------------------------------

  void read() {
    ws_.async_read(read_buffer_, [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
      self->on_read(ec);
    });
  }

  void on_read(beast::error_code ec) {
    if (ec) return on_read_failed(ec);
    auto data = read_buffer_.cdata();
    notify("on_message", callbacks_.on_message, !ws_.got_text(),
           std::string_view(static_cast<const char*>(data.data()), data.size()));
    read_buffer_.consume(read_buffer_.size());
    read();
  }

  // Every open connection ends here: the read completes with `closed` after
  // either side's close frame, or with the error that ended the connection.
  void on_read_failed(beast::error_code ec) {
    if (local_close_) return finish(*local_close_);
    if (ec == websocket::error::closed) {
      const auto& peer = ws_.reason();
      int code = peer.code == websocket::close_code::none ? 1005 : peer.code;
      return finish({code, std::string(peer.reason.data(), peer.reason.size())});
    }
    if (ec == beast::error::timeout)
      return finish({1006, "connection to " + url_.endpoint() + " lost: no data or pong for " +
                               std::to_string(kIdleTimeout.count()) + " s"});
    finish({1006, "connection to " + url_.endpoint() + " lost: " + ec.message()});
  }

  // Writes queued messages one at a time; once a close is requested and the
  // queue is drained, sends the close frame.
  void pump() {
    if (phase_ != Phase::open || finished_ || writing_ || close_sent_) return;
    {
      std::lock_guard lock(mutex_);
      if (!queue_.empty()) {
        in_flight_ = std::move(queue_.front());
        queue_.pop_front();
        writing_ = true;
      }
    }
    if (!writing_) {
      if (local_close_) send_close();
      return;
    }
    ws_.binary(in_flight_.binary);
    ws_.async_write(asio::buffer(in_flight_.data), [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
      self->writing_ = false;
      if (ec) return self->cut();  // the read side reports the loss
      self->pump();
    });
  }

  void send_close() {
    close_sent_ = true;
    websocket::close_reason reason(static_cast<std::uint16_t>(local_close_->code));
    reason.reason.assign(local_close_->reason.data(), std::min(local_close_->reason.size(), kMaxCloseReasonBytes));
    ws_.async_close(reason, [self = this->shared_from_this()](beast::error_code ec) {
      if (ec) self->cut();
    });
  }

  // ---- closing -------------------------------------------------------------

  void request_close(Closing why) {
    asio::post(strand_, [self = this->shared_from_this(), why = std::move(why)]() mutable {
      self->begin_close(std::move(why));
    });
  }

  // The first close request wins. While connecting there is nothing to
  // close gracefully: the attempt just ends.
  void begin_close(Closing why) {
    if (finished_ || local_close_) return;
    local_close_ = std::move(why);
    if (phase_ != Phase::open) return finish(*local_close_);
    close_timer_.expires_after(kCloseTimeout);
    close_timer_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
      if (!ec) self->cut();
    });
    pump();
  }

  void cut() {
    resolver_.cancel();
    beast::get_lowest_layer(ws_).close();
  }

  void finish(Closing why) {
    if (finished_) return;
    finished_ = true;
    {
      std::lock_guard lock(mutex_);
      state_ = State::closed;
      queue_.clear();
    }
    connect_timer_.cancel();
    close_timer_.cancel();
    cut();
    // Dropping the callbacks after on_close also releases whatever they captured.
    auto callbacks = std::move(callbacks_);
    callbacks_ = {};
    notify("on_close", callbacks.on_close, why.code, std::move(why.reason));
    registry_.remove(this);
  }

  template <class Callback, class... Args>
  void notify(const char* name, Callback& callback, Args&&... args) {
    if (!callback) return;
    try {
      callback(std::forward<Args>(args)...);
    } catch (const std::exception& error) {
      spdlog::error("ws client: {} callback for {} threw: {}", name, url_.endpoint(), error.what());
    }
  }

  asio::strand<asio::io_context::executor_type> strand_;
  websocket::stream<Stream> ws_;
  tcp::resolver resolver_;
  asio::steady_timer connect_timer_;
  asio::steady_timer close_timer_;
  const UpstreamUrl url_;
  const std::vector<Header> headers_;
  WsCallbacks callbacks_;
  SessionRegistry& registry_;
  const std::chrono::milliseconds connect_timeout_;
  websocket::response_type upgrade_response_;
  beast::flat_buffer read_buffer_;

  mutable std::mutex mutex_;
  State state_ = State::connecting;
  std::deque<Outgoing> queue_;

  Phase phase_ = Phase::resolving;
  Outgoing in_flight_;
  bool writing_ = false;
  bool close_sent_ = false;
  bool finished_ = false;
  std::optional<Closing> local_close_;
};

}  // namespace

WsConnection::WsConnection(std::weak_ptr<WsSession> session) : session_(std::move(session)) {}

bool WsConnection::send(bool is_binary, std::string data) {
  auto session = session_.lock();
  return session && session->send(is_binary, std::move(data));
}

void WsConnection::close() {
  if (auto session = session_.lock()) session->close();
}

bool WsConnection::is_open() const {
  auto session = session_.lock();
  return session && session->is_open();
}

// The TLS context outlives the io_context, whose destruction may release
// sessions (and their SSL objects) still held by pending handlers.
struct WsClient::Impl {
  asio::ssl::context tls = make_upstream_tls_context(true, "");
  asio::io_context ioc;
  asio::executor_work_guard<asio::io_context::executor_type> keep_running = asio::make_work_guard(ioc);
  SessionRegistry registry;
  std::vector<std::thread> threads;

  template <class Stream>
  std::shared_ptr<WsConnection> open(UpstreamUrl url, std::vector<Header> headers, WsCallbacks callbacks,
                                     std::chrono::milliseconds connect_timeout,
                                     std::optional<std::string> rejection) {
    auto session = std::make_shared<Session<Stream>>(ioc, tls, std::move(url), std::move(headers),
                                                     std::move(callbacks), registry, connect_timeout);
    registry.add(session);
    if (rejection)
      session->reject(std::move(*rejection));
    else
      session->start();
    return std::make_shared<WsConnection>(session);
  }
};

WsClient::WsClient(unsigned threads) : impl_(std::make_unique<Impl>()) {
  for (unsigned i = 0; i < std::max(1u, threads); ++i) {
    impl_->threads.emplace_back([this] {
      log::name_this_thread("oa-ws-client");
      impl_->ioc.run();
    });
  }
}

WsClient::~WsClient() {
  for (auto& session : impl_->registry.snapshot()) session->shut_down();
  impl_->registry.wait_until_empty(kShutdownGrace);
  impl_->keep_running.reset();
  impl_->ioc.stop();
  for (auto& thread : impl_->threads) thread.join();
  for (auto& session : impl_->registry.snapshot()) session->abandon();
  impl_->registry.clear();
}

std::shared_ptr<WsConnection> WsClient::connect(const std::string& url, std::vector<Header> headers,
                                                WsCallbacks callbacks, std::chrono::milliseconds connect_timeout) {
  auto parsed = parse_upstream_url(url, "ws", "wss");
  if (auto* invalid = std::get_if<std::string>(&parsed))
    return impl_->open<PlainStream>({}, {}, std::move(callbacks), connect_timeout, std::move(*invalid));
  auto& target = std::get<UpstreamUrl>(parsed);
  std::optional<std::string> rejection;
  for (const auto& [name, value] : headers)
    if (name.empty() || has_line_break(name) || has_line_break(value))
      rejection = "invalid upgrade request header '" + name + "' for " + target.endpoint();
  if (target.tls)
    return impl_->open<TlsStream>(std::move(target), std::move(headers), std::move(callbacks), connect_timeout,
                                  std::move(rejection));
  return impl_->open<PlainStream>(std::move(target), std::move(headers), std::move(callbacks), connect_timeout,
                                  std::move(rejection));
}

}  // namespace oa::net
