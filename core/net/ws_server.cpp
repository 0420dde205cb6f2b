#include "net/ws_server.hpp"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <spdlog/spdlog.h>

#include "net/ws_upgrade.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace oa::net {

// What stop() needs of every session, whatever its stream type.
class WsSessionControl {
 public:
  virtual ~WsSessionControl() = default;
  virtual void shut_down() = 0;  // a close frame after what is queued
  virtual void cut_off() = 0;    // the socket closed at once
};

struct WsServer::Impl {
  // Declared first so it is destroyed last: queued handlers may still hold sessions.
  asio::io_context ioc;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> keep_running;
  WsServerOptions options;
  WsHandler& handler;
  std::optional<tcp::acceptor> acceptor;
  std::vector<std::thread> threads;
  std::atomic<std::uint64_t> next_id{1};
  std::atomic<bool> stopping{false};
  mutable std::mutex sessions_mutex;
  std::condition_variable sessions_gone;
  std::unordered_map<std::uint64_t, std::weak_ptr<WsSessionControl>> sessions;
  bool started = false;
  bool stopped = false;

  Impl(WsServerOptions options_in, WsHandler& handler_in) : options(std::move(options_in)), handler(handler_in) {}

  // False when the connection limit is reached.
  bool enlist(std::uint64_t id, std::weak_ptr<WsSessionControl> session) {
    std::lock_guard lock(sessions_mutex);
    if (sessions.size() >= options.max_connections) return false;
    sessions.emplace(id, std::move(session));
    return true;
  }
  std::vector<std::shared_ptr<WsSessionControl>> open_sessions() {
    std::vector<std::shared_ptr<WsSessionControl>> open;
    std::lock_guard lock(sessions_mutex);
    for (auto& [id, weak] : sessions)
      if (auto session = weak.lock()) open.push_back(std::move(session));
    return open;
  }
  bool wait_until_no_sessions(std::chrono::seconds limit) {
    std::unique_lock lock(sessions_mutex);
    return sessions_gone.wait_for(lock, limit, [this] { return sessions.empty(); });
  }
  void discharge(std::uint64_t id) {
    std::lock_guard lock(sessions_mutex);
    sessions.erase(id);
    if (sessions.empty()) sessions_gone.notify_all();
  }
  std::uint16_t bind();
  void accept();
};

namespace {

std::string describe(const beast::error_code& ec) { return ec.message(); }

bool quiet_error(const beast::error_code& ec) {
  return ec == websocket::error::closed || ec == asio::error::operation_aborted || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == beast::error::timeout || ec == asio::error::broken_pipe ||
         ec == asio::error::not_connected || ec == asio::error::bad_descriptor;
}

template <class Stream>
class WsServerSession : public WsPeer,
                        public WsSessionControl,
                        public std::enable_shared_from_this<WsServerSession<Stream>> {
 public:
  WsServerSession(Stream&& stream, std::string peer_ip, WsServer::Impl& server)
      : ws_(std::move(stream)),
        deadline_(ws_.get_executor()),
        kill_(ws_.get_executor()),
        id_(server.next_id++),
        peer_ip_(std::move(peer_ip)),
        server_(server) {}

  std::uint64_t id() const override { return id_; }
  const std::string& peer_ip() const override { return peer_ip_; }

  // The handshake is still to be read (the server's own port).
  void start() {
    configure();
    ws_.async_accept([self = this->shared_from_this()](beast::error_code ec) { self->on_accepted(ec); });
  }
  // The HTTP server already read the upgrade request.
  void start(UpgradeRequest request) {
    configure();
    auto held = std::make_shared<UpgradeRequest>(std::move(request));
    ws_.async_accept(*held, [self = this->shared_from_this(), held](beast::error_code ec) { self->on_accepted(ec); });
  }

  void send(WsFrame frame, std::uint64_t key) override {
    if (!frame) return;
    std::lock_guard lock(mutex_);
    if (closed_ || closing_) return;
    auto now = Clock::now();
    if (!enqueue(std::move(frame), key, now)) return;
    if (auto behind = lagging(now)) return give_up(*behind);
    schedule_write();
  }

  void close(std::uint16_t code, std::string reason) override {
    std::lock_guard lock(mutex_);
    if (closed_ || closing_) return;
    closing_ = true;
    close_code_ = code;
    close_reason_ = std::move(reason);
    schedule_write();
  }

  void set_deadline(std::chrono::milliseconds after, std::uint16_t code, std::string reason) override {
    asio::post(ws_.get_executor(), [self = this->shared_from_this(), after, code, reason = std::move(reason)] {
      self->deadline_.expires_after(after);
      self->deadline_.async_wait([self, code, reason](beast::error_code ec) {
        if (!ec) self->close(code, reason);
      });
    });
  }

  void cancel_deadline() override {
    asio::post(ws_.get_executor(), [self = this->shared_from_this()] { self->deadline_.cancel(); });
  }

  void shut_down() override { close(kWsCloseGoingAway, "server shutting down"); }

  void cut_off() override {
    asio::post(ws_.get_executor(), [self = this->shared_from_this()] { self->cut(); });
  }

 private:
  struct Entry {
    WsFrame frame;
    std::uint64_t key = 0;
    Clock::time_point queued;
  };

  void configure() {
    websocket::stream_base::timeout timeout;
    timeout.handshake_timeout = server_.options.handshake_timeout;
    timeout.idle_timeout = server_.options.ping_interval + server_.options.ping_timeout;
    timeout.keep_alive_pings = true;  // a ping at half the idle timeout
    ws_.set_option(timeout);
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& response) { response.set(http::field::server, "openalgod"); }));
    ws_.read_message_max(server_.options.max_message_bytes);
    ws_.auto_fragment(false);
  }

  void on_accepted(beast::error_code ec) {
    if (ec) {
      spdlog::debug("ws: handshake with {} failed: {}", peer_ip_, describe(ec));
      return;
    }
    if (server_.stopping || !server_.enlist(id_, this->weak_from_this())) {
      spdlog::warn("ws: refusing {}: {} connections open (limit)", peer_ip_, server_.options.max_connections);
      enlisted_ = false;
      close(kWsCloseTooMany, "Maximum connections reached");
      return read();
    }
    enlisted_ = true;
    opened_ = true;
    server_.handler.on_open(this->shared_from_this());
    read();
  }

  void read() {
    ws_.async_read(buffer_, [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->finish(ec);
      if (self->opened_) {
        auto data = self->buffer_.cdata();
        std::string_view text(static_cast<const char*>(data.data()), data.size());
        self->server_.handler.on_message(self, text, !self->ws_.got_text());
      }
      self->buffer_.consume(self->buffer_.size());
      self->read();
    });
  }

  // The one end of every session: the read loop failed (closed by either side,
  // timed out, or the socket was shut).
  void finish(beast::error_code ec) {
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
      queue_.clear();
      keyed_.clear();
    }
    deadline_.cancel();
    kill_.cancel();
    if (!quiet_error(ec) && ec != websocket::error::message_too_big)
      spdlog::debug("ws: connection {} from {} ended: {}", id_, peer_ip_, describe(ec));
    if (ec == websocket::error::message_too_big)
      spdlog::info("ws: connection {} from {} closed: message larger than {} bytes", id_, peer_ip_,
                   server_.options.max_message_bytes);
    if (opened_) server_.handler.on_close(this->shared_from_this());
    if (enlisted_) server_.discharge(id_);
  }

  // ---- the send queue (mutex_ held) ----

  bool enqueue(WsFrame frame, std::uint64_t key, Clock::time_point now) {
    if (key != 0) {
      if (auto found = keyed_.find(key); found != keyed_.end()) {
        queue_[found->second - front_seq_].frame = std::move(frame);  // latest wins, in the older one's place
        return true;
      }
      keyed_.emplace(key, front_seq_ + queue_.size());
    } else {
      ++plain_;
    }
    queue_.push_back({std::move(frame), key, now});
    return true;
  }

  std::optional<std::string> lagging(Clock::time_point now) const {
    if (plain_ > server_.options.max_queued_messages)
      return "client too slow: more than " + std::to_string(server_.options.max_queued_messages) +
             " messages waiting";
    if (!queue_.empty() && now - queue_.front().queued > server_.options.max_lag)
      return "client too slow: " +
             std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(now - queue_.front().queued).count()) +
             " ms behind";
    return std::nullopt;
  }

  // Drops what is queued and closes with the reason: through a close frame if
  // the connection still moves, by cutting it after the ping timeout if not.
  void give_up(const std::string& reason) {
    spdlog::warn("ws: closing connection {} from {}: {}", id_, peer_ip_, reason);
    queue_.clear();
    keyed_.clear();
    plain_ = 0;
    closing_ = true;
    close_code_ = kWsCloseTooSlow;
    close_reason_ = reason;
    schedule_write();
    asio::post(ws_.get_executor(), [self = this->shared_from_this()] { self->arm_kill(); });
  }

  void schedule_write() {
    if (writing_) return;
    writing_ = true;
    asio::post(ws_.get_executor(), [self = this->shared_from_this()] { self->write_next(); });
  }

  // ---- on the connection's strand ----

  // A client that reads again within the ping timeout still gets the close frame and its reason.
  void arm_kill() {
    kill_.expires_after(std::max<std::chrono::seconds>(std::chrono::seconds(2), server_.options.ping_timeout));
    kill_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
      if (ec) return;
      beast::error_code ignored;
      beast::get_lowest_layer(self->ws_).socket().shutdown(tcp::socket::shutdown_both, ignored);
      beast::get_lowest_layer(self->ws_).socket().close(ignored);
    });
  }

  void write_next() {
    WsFrame frame;
    {
      std::lock_guard lock(mutex_);
      if (closed_) {
        writing_ = false;
        return;
      }
      if (queue_.empty()) {
        if (closing_ && !close_sent_) {
          close_sent_ = true;
          return send_close();
        }
        writing_ = false;
        return;
      }
      Entry entry = std::move(queue_.front());
      queue_.pop_front();
      if (entry.key != 0) keyed_.erase(entry.key);
      else --plain_;
      ++front_seq_;
      frame = std::move(entry.frame);
    }
    ws_.text(true);
    ws_.async_write(asio::buffer(*frame), [self = this->shared_from_this(), frame](beast::error_code ec, std::size_t) {
      if (ec) return self->cut();
      self->write_next();
    });
  }

  void send_close() {
    websocket::close_reason reason(static_cast<websocket::close_code>(close_code_), close_reason_);
    ws_.async_close(reason, [self = this->shared_from_this()](beast::error_code) { self->cut(); });
  }

  // Ends the connection without further ceremony; the read loop then finishes.
  void cut() {
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
  }

  websocket::stream<Stream> ws_;
  beast::flat_buffer buffer_;
  asio::steady_timer deadline_;
  asio::steady_timer kill_;
  const std::uint64_t id_;
  const std::string peer_ip_;
  WsServer::Impl& server_;
  bool opened_ = false;    // strand only
  bool enlisted_ = false;  // strand only

  std::mutex mutex_;
  std::deque<Entry> queue_;
  std::uint64_t front_seq_ = 0;                         // sequence number of queue_.front()
  std::unordered_map<std::uint64_t, std::uint64_t> keyed_;  // conflation key -> sequence number
  std::size_t plain_ = 0;                               // queued entries without a key
  bool writing_ = false;  // a write_next is scheduled or a write is in flight
  bool closing_ = false;
  bool close_sent_ = false;
  bool closed_ = false;
  std::uint16_t close_code_ = websocket::close_code::normal;
  std::string close_reason_;
};

// A slow client's backlog belongs in its own queue, where a newer tick replaces the queued one for its
// symbol and mode and the lag limit sees it; Linux grows a socket's send buffer to megabytes, which would
// hold seconds of stale ticks that can only be delivered in order.
constexpr int kSendBufferBytes = 128 * 1024;

template <class Stream>
void launch(WsServer::Impl& server, Stream&& stream, std::optional<UpgradeRequest> request, std::string peer_ip) {
  beast::error_code ignored;
  beast::get_lowest_layer(stream).socket().set_option(asio::socket_base::send_buffer_size(kSendBufferBytes), ignored);
  auto session = std::make_shared<WsServerSession<Stream>>(std::move(stream), std::move(peer_ip), server);
  if (request) session->start(std::move(*request));
  else session->start();
}

}  // namespace

std::uint16_t WsServer::Impl::bind() {
  beast::error_code ec;
  auto address = asio::ip::make_address(options.host, ec);
  if (ec) throw std::runtime_error("invalid WebSocket listen address '" + options.host + "'");
  tcp::endpoint endpoint(address, options.port);
  acceptor.emplace(asio::make_strand(ioc));
  acceptor->open(endpoint.protocol());
  acceptor->set_option(asio::socket_base::reuse_address(true));
  acceptor->bind(endpoint, ec);
  if (ec)
    throw std::runtime_error("cannot listen on " + options.host + ":" + std::to_string(options.port) +
                             " for WebSocket clients: " + ec.message());
  acceptor->listen(asio::socket_base::max_listen_connections);
  return acceptor->local_endpoint().port();
}

void WsServer::Impl::accept() {
  acceptor->async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor->is_open()) return;
    if (!ec) {
      beast::error_code ignored;
      auto peer = socket.remote_endpoint(ignored);
      socket.set_option(tcp::no_delay(true), ignored);
      launch(*this, beast::tcp_stream(std::move(socket)), std::nullopt, ignored ? "" : peer.address().to_string());
    }
    accept();
  });
}

void upgrade_to_websocket(WsServer& server, beast::tcp_stream&& stream, UpgradeRequest&& request,
                          std::string peer_ip) {
  beast::get_lowest_layer(stream).expires_never();  // the WebSocket's own timeouts take over
  launch(server.internals(), std::move(stream), std::optional<UpgradeRequest>(std::move(request)), std::move(peer_ip));
}

void upgrade_to_websocket(WsServer& server, beast::ssl_stream<beast::tcp_stream>&& stream, UpgradeRequest&& request,
                          std::string peer_ip) {
  beast::get_lowest_layer(stream).expires_never();
  launch(server.internals(), std::move(stream), std::optional<UpgradeRequest>(std::move(request)), std::move(peer_ip));
}

WsServer::WsServer(WsServerOptions options, WsHandler& handler)
    : impl_(std::make_unique<Impl>(std::move(options), handler)) {}

WsServer::~WsServer() { stop(); }

std::uint16_t WsServer::start(bool listen) {
  if (impl_->started) throw std::logic_error("WsServer::start called twice");
  std::uint16_t port = 0;
  if (listen) {
    port = impl_->bind();
    impl_->accept();
  }
  impl_->keep_running.emplace(impl_->ioc.get_executor());
  for (unsigned i = 0; i < std::max(1u, impl_->options.threads); ++i)
    impl_->threads.emplace_back([this] { impl_->ioc.run(); });
  impl_->started = true;
  return port;
}

void WsServer::stop() {
  if (!impl_->started || impl_->stopped) return;
  impl_->stopped = true;
  impl_->stopping = true;
  if (impl_->acceptor)
    asio::post(impl_->acceptor->get_executor(), [this] {
      beast::error_code ignored;
      impl_->acceptor->close(ignored);
    });
  for (auto& session : impl_->open_sessions()) session->shut_down();
  // A client that does not read never takes its close frame: cut it off, so
  // every session ends (and the handler drops it in on_close) while the io
  // threads still run. A session outliving them would be destroyed after the
  // io_context it was made on.
  if (!impl_->wait_until_no_sessions(std::chrono::seconds(3)))
    for (auto& session : impl_->open_sessions()) session->cut_off();
  impl_->wait_until_no_sessions(std::chrono::seconds(2));
  impl_->keep_running.reset();
  impl_->ioc.stop();
  for (auto& thread : impl_->threads) thread.join();
}

std::size_t WsServer::connections() const {
  std::lock_guard lock(impl_->sessions_mutex);
  return impl_->sessions.size();
}

}  // namespace oa::net
