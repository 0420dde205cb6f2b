#include "net/ws_server.hpp"

#include <array>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <spdlog/spdlog.h>

#include "log/thread_name.hpp"
#include "net/ws_frame.hpp"
#include "net/ws_handshake.hpp"
#include "net/ws_upgrade.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
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
  return ec == asio::error::operation_aborted || ec == asio::error::eof || ec == asio::error::connection_reset ||
         ec == beast::error::timeout || ec == asio::error::broken_pipe || ec == asio::error::not_connected ||
         ec == asio::error::bad_descriptor || ec == asio::ssl::error::stream_truncated;
}

// How much one write gathers from a client's queue: enough that a busy feed
// goes out in few syscalls, little enough that the socket buffer takes it.
constexpr std::size_t kBatchBytes = 64 * 1024;
// How long a server that sent its close frame waits for the client's before
// closing the connection itself.
constexpr std::chrono::seconds kCloseLinger{5};
constexpr std::size_t kReadChunk = 16 * 1024;
// Conflation slots kept while a client's queue is empty; past this many, the
// keys of symbols it no longer follows are let go.
constexpr std::size_t kMaxIdleSlots = 4096;
constexpr std::size_t kHandshakeHeaderLimit = 16 * 1024;

template <class Stream>
constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

template <class Stream>
class WsServerSession : public WsPeer,
                        public WsSessionControl,
                        private ws::FrameParser::Sink,
                        public std::enable_shared_from_this<WsServerSession<Stream>> {
 public:
  WsServerSession(Stream&& stream, std::string peer_ip, WsServer::Impl& server)
      : stream_(std::move(stream)),
        parser_(server.options.max_message_bytes),
        deadline_(stream_.get_executor()),
        keepalive_(stream_.get_executor()),
        kill_(stream_.get_executor()),
        id_(server.next_id++),
        peer_ip_(std::move(peer_ip)),
        server_(server) {}

  std::uint64_t id() const override { return id_; }
  const std::string& peer_ip() const override { return peer_ip_; }

  // The handshake is still to be read (the server's own port).
  void start() {
    auto request = std::make_shared<http::request_parser<http::string_body>>();
    request->header_limit(kHandshakeHeaderLimit);
    request->body_limit(0);
    lowest().expires_after(server_.options.handshake_timeout);
    http::async_read(stream_, handshake_buffer_, *request,
                     [self = this->shared_from_this(), request](beast::error_code ec, std::size_t) {
                       if (ec) {
                         spdlog::debug("ws: handshake with {} failed: {}", self->peer_ip_, describe(ec));
                         return self->cut();
                       }
                       self->answer(request->release());
                     });
  }
  // The HTTP server already read the upgrade request.
  void start(UpgradeRequest request) { answer(std::move(request)); }

  void send(WsFrame frame, std::uint64_t key) override {
    if (!frame) return;
    std::lock_guard lock(mutex_);
    if (closed_ || closing_) return;
    auto now = Clock::now();
    enqueue(std::move(frame), key, now);
    if (auto behind = lagging(now)) return give_up(*behind);
    schedule_write();
  }

  void close(std::uint16_t code, std::string reason) override {
    std::lock_guard lock(mutex_);
    begin_close(code, std::move(reason));
  }

  void set_deadline(std::chrono::milliseconds after, std::uint16_t code, std::string reason) override {
    asio::post(stream_.get_executor(), [self = this->shared_from_this(), after, code, reason = std::move(reason)] {
      self->deadline_.expires_after(after);
      self->deadline_.async_wait([self, code, reason](beast::error_code ec) {
        if (!ec) self->close(code, reason);
      });
    });
  }

  void cancel_deadline() override {
    asio::post(stream_.get_executor(), [self = this->shared_from_this()] { self->deadline_.cancel(); });
  }

  void shut_down() override { close(kWsCloseGoingAway, "server shutting down"); }

  void cut_off() override {
    asio::post(stream_.get_executor(), [self = this->shared_from_this()] { self->cut(); });
  }

 private:
  // A market update's latest frame, one per conflation key the session has
  // seen: kept between updates, so queuing one allocates nothing.
  struct Slot {
    WsFrame frame;
    bool waiting = false;  // in the queue
  };
  struct Entry {
    WsFrame frame;         // a reply or event; empty for a market update, whose frame is in its slot
    Slot* slot = nullptr;  // unordered_map nodes stay put when it grows
    Clock::time_point queued;
  };

  auto& lowest() { return beast::get_lowest_layer(stream_); }

  // ---- opening (on the connection's strand) ----

  void answer(UpgradeRequest request) {
    auto answer = ws::answer_handshake(request);
    if (!answer.accepted) spdlog::debug("ws: refusing the handshake of {}: {}", peer_ip_, answer.error);
    out_ = std::move(answer.response);
    lowest().expires_after(server_.options.handshake_timeout);
    asio::async_write(stream_, asio::buffer(out_),
                      [self = this->shared_from_this(), accepted = answer.accepted](beast::error_code ec, std::size_t) {
                        self->lowest().expires_never();  // the session's own keep-alive takes over
                        self->out_.clear();
                        if (ec || !accepted) return self->cut();
                        self->on_accepted();
                      });
  }

  void on_accepted() {
    last_heard_ = Clock::now();
    arm_keepalive(last_heard_ + server_.options.ping_interval);
    if (server_.stopping || !server_.enlist(id_, this->weak_from_this())) {
      spdlog::warn("ws: refusing {}: {} connections open (limit)", peer_ip_, server_.options.max_connections);
      close(kWsCloseTooMany, "Maximum connections reached");
      return read();
    }
    enlisted_ = true;
    opened_ = true;
    server_.handler.on_open(this->shared_from_this());
    take_early_frames();
    read();
  }

  // Frames a client sent right behind its handshake request were read with it.
  void take_early_frames() {
    auto early = handshake_buffer_.cdata();
    if (early.size() == 0) return;
    if (auto code = parser_.feed(std::string_view(static_cast<const char*>(early.data()), early.size()), *this))
      refuse_stream(code);
    handshake_buffer_.consume(handshake_buffer_.size());
  }

  // ---- reading (strand) ----

  // One read stays pending until the client's close frame (or a protocol
  // error) arrives, or the socket fails: then the session ends (finish).
  void read() {
    if (close_received_) {
      reading_stopped_ = true;
      if (close_written_) end_after_closing_handshake();
      return;
    }
    stream_.async_read_some(asio::buffer(read_chunk_), [self = this->shared_from_this()](beast::error_code ec,
                                                                                        std::size_t size) {
      if (ec) return self->finish(ec);
      self->last_heard_ = Clock::now();
      self->ping_sent_ = false;
      if (auto code = self->parser_.feed(std::string_view(self->read_chunk_.data(), size), *self))
        self->refuse_stream(code);
      self->read();
    });
  }

  void on_message(std::string_view data, bool binary) override {
    if (opened_ && !close_received_) server_.handler.on_message(this->shared_from_this(), data, binary);
  }

  void on_ping(std::string_view payload) override {
    std::lock_guard lock(mutex_);
    pong_payload_ = std::string(payload);  // only the latest ping needs its pong (RFC 6455 §5.5.3)
    schedule_write();
  }

  void on_pong(std::string_view) override {}

  void on_close(std::uint16_t code, std::string_view) override {
    close_received_ = true;
    std::lock_guard lock(mutex_);
    if (close_sent_) return;  // the answer to our close: read() ends the session
    // Echo the client's code at once; what was still queued is not sent after a close.
    drop_queue();
    closing_ = true;
    close_code_ = code;
    close_reason_.clear();
    schedule_write();
  }

  // The client broke the protocol: a close frame saying how, then the connection is closed.
  void refuse_stream(std::uint16_t code) {
    if (close_received_) return;
    close_received_ = true;  // nothing more is read from it
    if (close_sent_now()) return;
    if (code == ws::kCloseTooBig)
      spdlog::info("ws: connection {} from {} closed: message larger than {} bytes", id_, peer_ip_,
                   server_.options.max_message_bytes);
    else
      spdlog::debug("ws: connection {} from {} closed: {}", id_, peer_ip_, parser_.error());
    std::lock_guard lock(mutex_);
    drop_queue();
    closing_ = true;
    close_code_ = code;
    close_reason_ = parser_.error();
    schedule_write();
  }

  bool close_sent_now() {
    std::lock_guard lock(mutex_);
    return close_sent_;
  }

  // Both close frames are out and in, and nothing is being read. TLS ends
  // with its own close_notify (a client's TLS layer calls a bare TCP close a
  // truncation attack); the kill timer bounds a peer that never answers it.
  void end_after_closing_handshake() {
    if constexpr (kTls<Stream>) {
      kill_.expires_after(kCloseLinger);
      kill_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
        if (!ec) self->cut();
      });
      stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) {
        self->cut();
        self->finish({});
      });
    } else {
      cut();
      finish({});
    }
  }

  // The one end of every session, once: the read loop failed (closed by either
  // side, timed out, or the socket was shut), or the closing handshake is done.
  void finish(beast::error_code ec) {
    if (finished_) return;
    finished_ = true;
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
      drop_queue();
    }
    deadline_.cancel();
    keepalive_.cancel();
    kill_.cancel();
    if (ec && !quiet_error(ec)) spdlog::debug("ws: connection {} from {} ended: {}", id_, peer_ip_, describe(ec));
    if (opened_) server_.handler.on_close(this->shared_from_this());
    if (enlisted_) server_.discharge(id_);
  }

  // ---- keep-alive (strand): a ping after ping_interval of silence, closed ping_timeout after it ----

  void arm_keepalive(Clock::time_point when) {
    keepalive_.expires_at(when);
    keepalive_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
      if (!ec) self->check_alive();
    });
  }

  void check_alive() {
    auto now = Clock::now();
    const auto& options = server_.options;
    if (now - last_heard_ >= options.ping_interval + options.ping_timeout) {
      spdlog::debug("ws: connection {} from {} timed out: no answer to a ping", id_, peer_ip_);
      return cut();
    }
    if (now - last_heard_ >= options.ping_interval && !ping_sent_) {
      ping_sent_ = true;
      std::lock_guard lock(mutex_);
      ping_due_ = true;
      schedule_write();
    }
    arm_keepalive(last_heard_ + options.ping_interval + (ping_sent_ ? options.ping_timeout : Clock::duration{}));
  }

  // ---- the send queue (mutex_ held) ----

  void enqueue(WsFrame frame, std::uint64_t key, Clock::time_point now) {
    if (key == 0) {
      ++plain_;
      queue_.push_back({std::move(frame), nullptr, now});
      return;
    }
    Slot& slot = slots_[key];
    slot.frame = std::move(frame);  // latest wins; a waiting one keeps its place and its age
    if (slot.waiting) return;
    slot.waiting = true;
    queue_.push_back({nullptr, &slot, now});
  }

  WsFrame take_front() {
    Entry& entry = queue_.front();
    WsFrame frame;
    if (entry.slot) {
      frame = std::move(entry.slot->frame);
      entry.slot->waiting = false;
    } else {
      frame = std::move(entry.frame);
      --plain_;
    }
    queue_.pop_front();
    return frame;
  }

  void drop_queue() {
    queue_.clear();
    slots_.clear();
    plain_ = 0;
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

  void begin_close(std::uint16_t code, std::string reason) {
    if (closed_ || closing_) return;
    closing_ = true;
    close_code_ = code;
    close_reason_ = std::move(reason);
    schedule_write();
  }

  // Drops what is queued and closes with the reason: through a close frame if
  // the connection still moves, by cutting it after the ping timeout if not.
  void give_up(const std::string& reason) {
    spdlog::warn("ws: closing connection {} from {}: {}", id_, peer_ip_, reason);
    drop_queue();
    begin_close(kWsCloseTooSlow, reason);
    asio::post(stream_.get_executor(), [self = this->shared_from_this()] { self->arm_kill(); });
  }

  void schedule_write() {
    if (writing_) return;
    writing_ = true;
    asio::post(stream_.get_executor(), [self = this->shared_from_this()] { self->write_next(); });
  }

  // ---- writing (strand) ----

  // A client that reads again within the ping timeout still gets the close frame and its reason.
  void arm_kill() {
    kill_.expires_after(std::max<std::chrono::seconds>(std::chrono::seconds(2), server_.options.ping_timeout));
    kill_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
      if (!ec) self->cut();
    });
  }

  // Every byte the session sends goes through here, one write at a time: the
  // pong and keep-alive ping first, then as much of the queue as one batch
  // holds, then the close frame once the queue is empty.
  void write_next() {
    bool closes = false;
    {
      std::lock_guard lock(mutex_);
      if (closed_ || close_sent_ || !take_batch()) {
        writing_ = false;
        return;
      }
      closes = close_sent_;
    }
    for (auto& frame : batch_) ws::append_frame(out_, ws::Opcode::Text, *frame);
    batch_.clear();
    if (closes)
      ws::append_frame(out_, ws::Opcode::Close,
                       close_code_ == ws::kCloseNoStatus ? std::string() : ws::close_payload(close_code_, close_reason_));
    asio::async_write(stream_, asio::buffer(out_), [self = this->shared_from_this(), closes](beast::error_code ec,
                                                                                            std::size_t) {
      self->out_.clear();
      if (ec) {
        self->cut();
        if (self->reading_stopped_) self->finish(ec);  // no read is left to notice
        return;
      }
      if (!closes) return self->write_next();
      self->close_written_ = true;
      if (self->reading_stopped_) return self->end_after_closing_handshake();
      self->linger();
    });
  }

  // Moves what the next write carries out of the queue (mutex_ held); false when there is nothing.
  bool take_batch() {
    if (pong_payload_) {
      ws::append_frame(out_, ws::Opcode::Pong, *pong_payload_);
      pong_payload_.reset();
    }
    if (ping_due_) {
      ws::append_frame(out_, ws::Opcode::Ping, {});
      ping_due_ = false;
    }
    std::size_t bytes = 0;
    while (!queue_.empty() && bytes < kBatchBytes) {
      batch_.push_back(take_front());
      bytes += batch_.back()->size();
    }
    if (queue_.empty() && slots_.size() > kMaxIdleSlots) slots_.clear();  // keys of symbols long unsubscribed
    if (queue_.empty() && closing_) close_sent_ = true;
    return !out_.empty() || !batch_.empty() || close_sent_;
  }

  // Our close frame is out: the client's answer ends the session (read); a client that never answers is cut.
  void linger() {
    kill_.expires_after(kCloseLinger);
    kill_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
      if (!ec) self->cut();
    });
  }

  // Ends the connection without further ceremony; the read loop then finishes.
  void cut() {
    beast::error_code ignored;
    lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
    lowest().socket().close(ignored);
  }

  Stream stream_;
  ws::FrameParser parser_;
  beast::flat_buffer handshake_buffer_;
  std::array<char, kReadChunk> read_chunk_;
  std::string out_;               // strand only (and the handshake answer before that)
  std::vector<WsFrame> batch_;    // strand only
  asio::steady_timer deadline_;
  asio::steady_timer keepalive_;
  asio::steady_timer kill_;
  const std::uint64_t id_;
  const std::string peer_ip_;
  WsServer::Impl& server_;
  bool opened_ = false;          // strand only
  bool enlisted_ = false;        // strand only
  bool close_received_ = false;  // strand only: the client's close frame, or a protocol error
  bool close_written_ = false;   // strand only: our close frame is out
  bool reading_stopped_ = false; // strand only: no read is pending, and none will be
  bool finished_ = false;        // strand only
  bool ping_sent_ = false;       // strand only
  Clock::time_point last_heard_; // strand only

  std::mutex mutex_;
  std::deque<Entry> queue_;
  std::unordered_map<std::uint64_t, Slot> slots_;  // by conflation key
  std::size_t plain_ = 0;                          // queued entries without a key
  std::optional<std::string> pong_payload_;
  bool ping_due_ = false;
  bool writing_ = false;  // a write_next is scheduled or a write is in flight
  bool closing_ = false;
  bool close_sent_ = false;
  bool closed_ = false;
  std::uint16_t close_code_ = ws::kCloseNormal;
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
  for (unsigned i = 0; i < std::max(1u, impl_->options.threads); ++i) {
    impl_->threads.emplace_back([this] {
      log::name_this_thread("oa-ws");
      impl_->ioc.run();
    });
  }
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
