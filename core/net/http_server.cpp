#include "net/http_server.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <stdexcept>
#include <thread>
#include <unordered_set>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <spdlog/spdlog.h>

#include "log/thread_name.hpp"
#include "net/error_envelope.hpp"
#include "net/ws_upgrade.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace oa::net {
namespace {

constexpr std::size_t kHeaderLimitBytes = 16 * 1024;

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
           return std::tolower(x) == std::tolower(y);
         });
}

void append_header(std::string& out, std::string_view name, std::string_view value) {
  out.append(name).append(": ").append(value).append("\r\n");
}

// The whole response in one buffer, written with one call: cheaper than
// Beast's serializer, which walks the header fields and the body as a chain
// of small buffers. A header the handler set replaces the default of that name.
std::string serialise(const HttpResponse& response, bool keep_alive) {
  const bool has_body = response.status >= 200 && response.status != 204 && response.status != 304;
  std::string out;
  out.reserve(256 + response.body.size());
  out.append("HTTP/1.1 ").append(std::to_string(response.status)).append(" ");
  out.append(http::obsolete_reason(static_cast<http::status>(response.status))).append("\r\n");
  const std::pair<std::string_view, std::string_view> defaults[] = {
      {"Server", "openalgod"},
      {"Content-Type", response.content_type},
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "strict-origin-when-cross-origin"}};
  for (const auto& [name, value] : defaults) {
    bool replaced = std::any_of(response.headers.begin(), response.headers.end(),
                                [name = name](const Header& header) { return same_name(header.first, name); });
    if (!replaced) append_header(out, name, value);
  }
  for (const auto& [name, value] : response.headers) append_header(out, name, value);
  if (has_body) append_header(out, "Content-Length", std::to_string(response.body.size()));
  if (!keep_alive) append_header(out, "Connection", "close");
  out.append("\r\n");
  if (has_body) out.append(response.body);
  return out;
}

class SessionBase;

// What every session shares with the server. Responders reach sessions only
// through the gate, which closes before the io_context stops, so a handler that
// answers late (after stop) touches nothing that is gone.
struct ServerState {
  ServerOptions options;
  RequestHandler handler;
  std::atomic<std::size_t> in_flight{0};
  std::atomic<bool> stopping{false};
  std::mutex drain_mutex;
  std::condition_variable drained;

  std::shared_mutex gate_mutex;  // shared by responders, exclusive to close the gate
  bool gate_open = true;

  std::mutex sessions_mutex;
  std::unordered_set<std::shared_ptr<SessionBase>> sessions;

  void request_done() {
    if (in_flight.fetch_sub(1) == 1) {
      std::lock_guard lock(drain_mutex);
      drained.notify_all();
    }
  }
};

class SessionBase {
 public:
  virtual ~SessionBase() = default;
};

template <class Stream>
class Session : public SessionBase, public std::enable_shared_from_this<Session<Stream>> {
 public:
  Session(Stream stream, std::string peer_ip, bool tls, ServerState& state)
      : stream_(std::move(stream)), peer_ip_(std::move(peer_ip)), tls_(tls), state_(state) {}

  void run() {
    if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
      read_header(state_.options.header_timeout);
    } else {
      beast::get_lowest_layer(stream_).expires_after(state_.options.header_timeout);
      stream_.async_handshake(asio::ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code ec) {
                                if (ec) return self->finish();
                                self->read_header(self->state_.options.header_timeout);
                              });
    }
  }

 private:
  void read_header(std::chrono::seconds deadline) {
    parser_.emplace();
    parser_->header_limit(kHeaderLimitBytes);
    parser_->body_limit(state_.options.max_body_bytes);
    beast::get_lowest_layer(stream_).expires_after(deadline);
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                              self->on_header(ec);
                            });
  }

  void on_header(beast::error_code ec) {
    if (ec) return on_read_error(ec);
    if (wants_websocket()) return hand_over();
    if (parser_->get()[http::field::expect] == "100-continue") return send_continue();
    read_body();
  }

  bool wants_websocket() {
    const auto& options = state_.options;
    if (!options.websocket || !beast::websocket::is_upgrade(parser_->get())) return false;
    auto target = parser_->get().target();
    return target.substr(0, target.find('?')) == options.websocket_path;
  }

  // The connection now belongs to the WebSocket server; this session ends.
  void hand_over() {
    upgrade_to_websocket(*state_.options.websocket, std::move(stream_), parser_->release(), peer_ip_);
    finish();
  }

  void send_continue() {
    auto reply = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
    http::async_write(stream_, *reply,
                      [self = this->shared_from_this(), reply](beast::error_code ec, std::size_t) {
                        if (ec) return self->finish();
                        self->read_body();
                      });
  }

  void read_body() {
    if (parse_buffered_body()) return;
    beast::get_lowest_layer(stream_).expires_after(state_.options.header_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                       if (ec) return self->on_read_error(ec);
                       self->dispatch();
                     });
  }

  // A small request's body comes in with its header and is already in the
  // buffer: parsing it here saves an asynchronous read that would complete at
  // once, but only after a round through the scheduler and a timer update.
  // True when the request was dispatched or refused; false when more bytes
  // must be read.
  bool parse_buffered_body() {
    parser_->eager(true);  // as http::async_read sets it
    while (!parser_->is_done() && buffer_.size() > 0) {
      beast::error_code ec;
      auto used = parser_->put(buffer_.data(), ec);
      buffer_.consume(used);
      if (ec == http::error::need_more || (!ec && used == 0)) break;
      if (ec) {
        on_read_error(ec);
        return true;
      }
    }
    if (!parser_->is_done()) return false;
    dispatch();
    return true;
  }

  void on_read_error(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::operation_aborted || ec == asio::error::connection_reset ||
        ec == asio::error::eof)
      return finish();
    std::string message = "Malformed HTTP request";
    if (ec == http::error::body_limit)
      message = "Request body too large (limit " + std::to_string(state_.options.max_body_bytes) +
                " bytes)";
    else if (ec == http::error::header_limit)
      message = "Request headers too large";
    state_.in_flight.fetch_add(1);
    HttpResponse response;
    response.status = 400;
    response.body = error_envelope(message);
    write(std::move(response), /*keep_alive=*/false);
  }

  void dispatch() {
    auto request = to_request(parser_->release());
    bool keep_alive = request_keep_alive_;
    state_.in_flight.fetch_add(1);
    std::weak_ptr<Session> weak = this->shared_from_this();
    ServerState& state = state_;
    Responder respond = [weak, &state, keep_alive](HttpResponse response) {
      std::shared_lock gate(state.gate_mutex);
      if (!state.gate_open) return;
      auto self = weak.lock();
      if (!self) return;
      // Inline when the handler answers on the session's own strand (the
      // common case); queued when it answers from a worker thread.
      asio::dispatch(self->stream_.get_executor(),
                     [self, response = std::move(response), keep_alive]() mutable {
                       self->write(std::move(response), keep_alive);
                     });
    };
    try {
      state_.handler(std::move(request), std::move(respond));
    } catch (const std::exception& error) {
      // The handler owns error reporting; reaching here is a bug worth a log line.
      spdlog::error("http: handler threw: {}", error.what());
    }
  }

  HttpRequest to_request(http::request<http::string_body>&& raw) {
    request_keep_alive_ = raw.keep_alive();
    HttpRequest request;
    request.method = std::string(raw.method_string());
    request.target = std::string(raw.target());
    auto query_at = request.target.find('?');
    request.path = request.target.substr(0, query_at);
    if (query_at != std::string::npos) request.query = request.target.substr(query_at + 1);
    request.headers.reserve(std::distance(raw.begin(), raw.end()));
    for (const auto& field : raw) request.headers.emplace_back(lower(field.name_string()), std::string(field.value()));
    request.body = std::move(raw.body());
    request.peer_ip = peer_ip_;
    request.tls = tls_;
    return request;
  }

  void write(HttpResponse&& response, bool keep_alive) {
    keep_alive = keep_alive && !state_.stopping.load();
    auto text = std::make_shared<std::string>(serialise(response, keep_alive));
    beast::get_lowest_layer(stream_).expires_after(state_.options.header_timeout);
    asio::async_write(stream_, asio::buffer(*text),
                      [self = this->shared_from_this(), text, keep_alive](beast::error_code ec, std::size_t) {
                        self->state_.request_done();
                        if (ec || !keep_alive) return self->close();
                        self->read_header(self->state_.options.idle_timeout);
                      });
  }

  void close() {
    if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
      beast::error_code ignored;
      stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
      finish();
    } else {
      beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(2));
      stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) { self->finish(); });
    }
  }

  // Drops the server's reference: the session dies when its last handler ends.
  void finish() {
    std::lock_guard lock(state_.sessions_mutex);
    state_.sessions.erase(this->shared_from_this());
  }

  Stream stream_;
  std::string peer_ip_;
  bool tls_;
  ServerState& state_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  bool request_keep_alive_ = true;
};

}  // namespace

struct HttpServer::Impl {
  // Declared first so it is destroyed last: queued handlers may still hold sessions.
  asio::io_context ioc;
  // Keeps the io threads running while a handler answers from another thread
  // and no socket operation is pending (e.g. after the acceptor closed in stop()).
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> keep_running;
  std::optional<asio::ssl::context> tls;
  ServerState state;
  std::optional<tcp::acceptor> acceptor;
  std::vector<std::thread> threads;
  bool started = false;
  bool stopped = false;

  void load_tls() {
    if (state.options.tls_cert_file.empty()) return;
    tls.emplace(asio::ssl::context::tls_server);
    tls->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                     asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                     asio::ssl::context::no_tlsv1_1);
    try {
      tls->use_certificate_chain_file(state.options.tls_cert_file.string());
      tls->use_private_key_file(state.options.tls_key_file.string(), asio::ssl::context::pem);
    } catch (const std::exception& error) {
      throw std::runtime_error("cannot load TLS certificate or key: " + std::string(error.what()));
    }
  }

  std::uint16_t bind() {
    beast::error_code ec;
    auto address = asio::ip::make_address(state.options.host, ec);
    if (ec) throw std::runtime_error("invalid listen address '" + state.options.host + "'");
    tcp::endpoint endpoint(address, state.options.port);
    acceptor.emplace(asio::make_strand(ioc));
    acceptor->open(endpoint.protocol());
    acceptor->set_option(asio::socket_base::reuse_address(true));
    acceptor->bind(endpoint, ec);
    if (ec)
      throw std::runtime_error("cannot listen on " + state.options.host + ":" +
                               std::to_string(state.options.port) + ": " + ec.message());
    acceptor->listen(asio::socket_base::max_listen_connections);
    return acceptor->local_endpoint().port();
  }

  void accept() {
    acceptor->async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted || !acceptor->is_open()) return;
      if (!ec) start_session(std::move(socket));
      accept();
    });
  }

  void start_session(tcp::socket socket) {
    beast::error_code ec;
    auto peer = socket.remote_endpoint(ec);
    std::string peer_ip = ec ? std::string() : peer.address().to_string();
    socket.set_option(tcp::no_delay(true), ec);
    std::shared_ptr<SessionBase> session;
    if (tls) {
      auto typed = std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(
          beast::ssl_stream<beast::tcp_stream>(beast::tcp_stream(std::move(socket)), *tls),
          std::move(peer_ip), true, state);
      session = typed;
      register_session(session);
      typed->run();
    } else {
      auto typed = std::make_shared<Session<beast::tcp_stream>>(beast::tcp_stream(std::move(socket)),
                                                                std::move(peer_ip), false, state);
      session = typed;
      register_session(session);
      typed->run();
    }
  }

  void register_session(const std::shared_ptr<SessionBase>& session) {
    std::lock_guard lock(state.sessions_mutex);
    state.sessions.insert(session);
  }

  void wait_for_drain(std::chrono::milliseconds drain) {
    std::unique_lock lock(state.drain_mutex);
    state.drained.wait_for(lock, drain, [this] { return state.in_flight.load() == 0; });
  }
};

HttpServer::HttpServer(ServerOptions options, RequestHandler handler) : impl_(std::make_unique<Impl>()) {
  impl_->state.options = std::move(options);
  impl_->state.handler = std::move(handler);
}

HttpServer::~HttpServer() { stop(std::chrono::milliseconds(0)); }

std::uint16_t HttpServer::start() {
  if (impl_->started) throw std::logic_error("HttpServer::start called twice");
  impl_->load_tls();
  auto port = impl_->bind();
  impl_->accept();
  impl_->keep_running.emplace(impl_->ioc.get_executor());
  unsigned threads = impl_->state.options.threads;
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  for (unsigned i = 0; i < threads; ++i) {
    impl_->threads.emplace_back([this] {
      log::name_this_thread("oa-http");
      impl_->ioc.run();
    });
  }
  impl_->started = true;
  return port;
}

void HttpServer::stop(std::chrono::milliseconds drain) {
  if (!impl_->started || impl_->stopped) return;
  impl_->stopped = true;
  impl_->state.stopping = true;
  asio::post(impl_->acceptor->get_executor(), [this] {
    beast::error_code ignored;
    impl_->acceptor->close(ignored);
  });
  impl_->wait_for_drain(drain);
  impl_->keep_running.reset();
  {
    std::lock_guard gate(impl_->state.gate_mutex);
    impl_->state.gate_open = false;
  }
  impl_->ioc.stop();
  for (auto& thread : impl_->threads) thread.join();
  std::lock_guard lock(impl_->state.sessions_mutex);
  impl_->state.sessions.clear();
}

std::size_t HttpServer::requests_in_flight() const { return impl_->state.in_flight.load(); }

}  // namespace oa::net
