#include "net/http_client.hpp"

#include <algorithm>
#include <cctype>
#include <future>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>
#include <unordered_map>

#include <poll.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <spdlog/spdlog.h>

#include "log/thread_name.hpp"
#include "net/upstream_tls.hpp"
#include "net/upstream_url.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace oa::net {
namespace {

using Clock = std::chrono::steady_clock;
using Outcome = std::variant<ClientResponse, ClientError>;
using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

constexpr unsigned kIoThreads = 2;
constexpr std::uint32_t kHeaderLimitBytes = 64 * 1024;

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string upper(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

bool is_idempotent(std::string_view method) {
  return method == "GET" || method == "HEAD" || method == "PUT" || method == "DELETE" || method == "OPTIONS";
}

bool is_token(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](unsigned char c) {
    return std::isalnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
  });
}

bool has_line_break(std::string_view text) { return text.find_first_of("\r\n") != std::string_view::npos; }

// One upstream connection. Owned by one exchange at a time, or by the pool
// between exchanges; its I/O runs on the strand it was made with.
struct Connection {
  template <class Stream, class... Args>
  explicit Connection(std::in_place_type_t<Stream> type, Args&&... args) : stream(type, std::forward<Args>(args)...) {}

  std::variant<PlainStream, TlsStream> stream;
  beast::flat_buffer buffer;
  Clock::time_point idle_since;

  beast::tcp_stream& transport() {
    return std::visit([](auto& s) -> beast::tcp_stream& { return beast::get_lowest_layer(s); }, stream);
  }

  // Between exchanges an HTTP/1.1 server has nothing to say: a readable socket
  // means it closed the connection (or broke the protocol). Checked before
  // reuse, so a POST is not sent into a connection known to be dead.
  bool quiet() {
    auto& socket = transport().socket();
    if (!socket.is_open()) return false;
    pollfd probe{socket.native_handle(), POLLIN, 0};
    return ::poll(&probe, 1, 0) == 0;
  }
};

// Idle keep-alive connections per "scheme://host:port", newest last.
class ConnectionPool {
 public:
  ConnectionPool(std::size_t max_idle_per_host, std::chrono::seconds idle_timeout)
      : max_idle_per_host_(max_idle_per_host), idle_timeout_(idle_timeout) {}

  // The newest idle connection that still looks usable, or null. Stale ones are dropped.
  std::shared_ptr<Connection> take(const std::string& key) {
    for (;;) {
      std::shared_ptr<Connection> candidate;
      {
        std::lock_guard lock(mutex_);
        auto found = idle_.find(key);
        if (found == idle_.end() || found->second.empty()) return nullptr;
        candidate = std::move(found->second.back());
        found->second.pop_back();
      }
      if (Clock::now() - candidate->idle_since < idle_timeout_ && candidate->quiet()) return candidate;
    }
  }

  void put(const std::string& key, std::shared_ptr<Connection> connection) {
    if (max_idle_per_host_ == 0) return;
    connection->idle_since = Clock::now();
    std::lock_guard lock(mutex_);
    auto& idle = idle_[key];
    if (idle.size() >= max_idle_per_host_) idle.erase(idle.begin());
    idle.push_back(std::move(connection));
  }

  void clear() {
    std::lock_guard lock(mutex_);
    idle_.clear();
  }

 private:
  std::size_t max_idle_per_host_;
  std::chrono::seconds idle_timeout_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::vector<std::shared_ptr<Connection>>> idle_;
};

// What every exchange shares. The TLS context outlives the io_context (pending
// operations may still hold SSL objects made from it); the pool's sockets go
// before the io_context.
struct ClientCore {
  explicit ClientCore(HttpClient::Options client_options)
      : options(std::move(client_options)),
        tls(make_upstream_tls_context(options.verify_tls, options.ca_file)),
        pool(options.max_idle_per_host, options.idle_timeout) {}

  HttpClient::Options options;
  asio::ssl::context tls;
  asio::io_context ioc;
  ConnectionPool pool;
};

enum class Phase { resolving, connecting, handshaking, sending, waiting };

// One request/response exchange, retried at most once on a fresh connection.
// Every handler runs on the strand of the current connection; at most one
// operation is pending at a time (plus the resolve timer, on the same strand).
template <class Stream>
class Exchange : public std::enable_shared_from_this<Exchange<Stream>> {
 public:
  Exchange(ClientCore& core, UpstreamUrl url, http::request<http::string_body> request, Clock::time_point start,
           Clock::time_point deadline)
      : core_(core),
        url_(std::move(url)),
        key_((url_.tls ? "https://" : "http://") + url_.endpoint()),
        request_(std::move(request)),
        idempotent_(is_idempotent(request_.method_string())),
        deadline_(deadline),
        budget_(std::chrono::round<std::chrono::milliseconds>(deadline - start)) {}

  std::future<Outcome> run() {
    auto outcome = promise_.get_future();
    conn_ = core_.pool.take(key_);
    reused_ = conn_ != nullptr;
    if (!conn_) conn_ = fresh_connection();
    asio::post(conn_->transport().get_executor(), [self = this->shared_from_this()] {
      if (self->reused_) return self->write();
      self->resolve();
    });
    return outcome;
  }

 private:
  std::shared_ptr<Connection> fresh_connection() {
    auto strand = asio::make_strand(core_.ioc);
    if constexpr (std::is_same_v<Stream, TlsStream>)
      return std::make_shared<Connection>(std::in_place_type<TlsStream>, strand, core_.tls);
    else
      return std::make_shared<Connection>(std::in_place_type<PlainStream>, strand);
  }

  Stream& stream() { return std::get<Stream>(conn_->stream); }

  // The resolver has no deadline of its own: a timer on the same strand ends
  // the exchange at the deadline and the late resolver answer is ignored.
  void resolve() {
    phase_ = Phase::resolving;
    auto executor = conn_->transport().get_executor();
    resolver_.emplace(executor);
    resolve_timer_.emplace(executor, deadline_);
    resolve_timer_->async_wait([self = this->shared_from_this()](beast::error_code ec) {
      if (ec || self->phase_ != Phase::resolving || self->done_) return;
      self->resolver_->cancel();
      self->fail_timeout();
    });
    resolver_->async_resolve(
        url_.host, std::to_string(url_.port),
        [self = this->shared_from_this()](beast::error_code ec, tcp::resolver::results_type endpoints) {
          self->on_resolved(ec, endpoints);
        });
  }

  void on_resolved(beast::error_code ec, const tcp::resolver::results_type& endpoints) {
    if (done_) return;
    resolve_timer_->cancel();
    if (ec) return fail("cannot resolve " + url_.host + ": " + ec.message());
    phase_ = Phase::connecting;
    conn_->transport().expires_at(deadline_);
    conn_->transport().async_connect(
        endpoints, [self = this->shared_from_this()](beast::error_code ec, const tcp::endpoint&) {
          self->on_connected(ec);
        });
  }

  void on_connected(beast::error_code ec) {
    if (ec) return fail_io(ec, "cannot connect to " + url_.endpoint());
    beast::error_code ignored;
    conn_->transport().socket().set_option(tcp::no_delay(true), ignored);
    if constexpr (std::is_same_v<Stream, TlsStream>)
      handshake();
    else
      write();
  }

  void handshake() {
    phase_ = Phase::handshaking;
    if (!bind_tls_to_host(stream().native_handle(), url_))
      return fail("cannot set up TLS for " + url_.endpoint());
    stream().async_handshake(asio::ssl::stream_base::client,
                             [self = this->shared_from_this()](beast::error_code ec) { self->on_handshake(ec); });
  }

  void on_handshake(beast::error_code ec) {
    if (ec && timed_out(ec)) return fail_timeout();
    if (ec)
      return fail("TLS handshake with " + url_.endpoint() +
                  " failed: " + describe_tls_failure(stream().native_handle(), ec.message()));
    write();
  }

  void write() {
    phase_ = Phase::sending;
    conn_->transport().expires_at(deadline_);
    http::async_write(stream(), request_, [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
      self->on_written(ec);
    });
  }

  void on_written(beast::error_code ec) {
    if (ec && may_retry(ec)) return retry();
    if (ec) return fail_io(ec, "cannot send the request to " + url_.endpoint());
    read();
  }

  void read() {
    phase_ = Phase::waiting;
    parser_.emplace();
    parser_->header_limit(kHeaderLimitBytes);
    parser_->body_limit(core_.options.max_response_bytes);
    if (request_.method() == http::verb::head) parser_->skip(true);
    http::async_read(stream(), conn_->buffer, *parser_,
                     [self = this->shared_from_this()](beast::error_code ec, std::size_t received) {
                       self->on_read(ec, received);
                     });
  }

  void on_read(beast::error_code ec, std::size_t received) {
    if (ec == http::error::body_limit)
      return fail("response from " + url_.endpoint() + " exceeds " +
                  std::to_string(core_.options.max_response_bytes) + " bytes");
    if (ec && received == 0 && may_retry(ec)) return retry();
    if (ec) return fail_io(ec, "cannot read the response from " + url_.endpoint());
    succeed();
  }

  // A reused connection the server had closed fails before any response byte
  // arrives; the server may still have received and acted on the request, so
  // only requests that are safe to repeat are sent again.
  bool may_retry(beast::error_code ec) const {
    return reused_ && !retried_ && idempotent_ && !timed_out(ec) && conn_->buffer.size() == 0;
  }

  void retry() {
    spdlog::debug("http client: pooled connection to {} was closed by the server; sending {} again on a new one",
                  key_, request_.method_string());
    retried_ = true;
    reused_ = false;
    conn_ = fresh_connection();
    asio::post(conn_->transport().get_executor(), [self = this->shared_from_this()] { self->resolve(); });
  }

  void succeed() {
    auto& message = parser_->get();
    ClientResponse response;
    response.status = static_cast<int>(message.result_int());
    for (const auto& field : message)
      response.headers.emplace_back(lower(field.name_string()), std::string(field.value()));
    response.body = std::move(message.body());
    if (parser_->keep_alive() && request_.keep_alive() && conn_->buffer.size() == 0)
      core_.pool.put(key_, std::move(conn_));
    finish(std::move(response));
  }

  bool timed_out(beast::error_code ec) const { return ec == beast::error::timeout || Clock::now() >= deadline_; }

  void fail_io(beast::error_code ec, const std::string& what) {
    if (timed_out(ec)) return fail_timeout();
    fail(what + ": " + ec.message());
  }

  void fail_timeout() { fail("timed out after " + std::to_string(budget_.count()) + " ms " + phase_text()); }

  std::string phase_text() const {
    switch (phase_) {
      case Phase::resolving: return "resolving " + url_.host;
      case Phase::connecting: return "connecting to " + url_.endpoint();
      case Phase::handshaking: return "in the TLS handshake with " + url_.endpoint();
      case Phase::sending: return "sending the request to " + url_.endpoint();
      case Phase::waiting: break;
    }
    return "waiting for the response from " + url_.endpoint();
  }

  // The connection is not reusable after a failure: closing it here also ends
  // anything the server might still send.
  void fail(std::string message) {
    conn_.reset();
    finish(ClientError{std::move(message)});
  }

  void finish(Outcome outcome) {
    if (done_) return;
    done_ = true;
    promise_.set_value(std::move(outcome));
  }

  ClientCore& core_;
  const UpstreamUrl url_;
  const std::string key_;
  http::request<http::string_body> request_;
  const bool idempotent_;
  const Clock::time_point deadline_;
  const std::chrono::milliseconds budget_;
  std::promise<Outcome> promise_;
  std::shared_ptr<Connection> conn_;
  std::optional<tcp::resolver> resolver_;
  std::optional<asio::steady_timer> resolve_timer_;
  std::optional<http::response_parser<http::string_body>> parser_;
  Phase phase_ = Phase::resolving;
  bool reused_ = false;
  bool retried_ = false;
  bool done_ = false;
};

// The request as it goes on the wire, or the reason it cannot.
std::variant<http::request<http::string_body>, ClientError> to_wire(const ClientRequest& request,
                                                                     const UpstreamUrl& url) {
  auto method = upper(request.method);
  if (!is_token(method)) return ClientError{"invalid HTTP method '" + request.method + "'"};
  http::request<http::string_body> message;
  message.version(11);
  message.method_string(method);
  message.target(url.target);
  bool has_host = false;
  bool has_agent = false;
  for (const auto& [name, value] : request.headers) {
    if (!is_token(name) || has_line_break(value))
      return ClientError{"invalid request header '" + name + "' for " + url.endpoint()};
    auto key = lower(name);
    if (key == "content-length" || key == "transfer-encoding") continue;
    has_host = has_host || key == "host";
    has_agent = has_agent || key == "user-agent";
    message.insert(name, value);
  }
  if (!has_host) message.set(http::field::host, url.host_header);
  if (!has_agent) message.set(http::field::user_agent, "openalgod");
  message.body() = request.body;
  message.prepare_payload();
  return message;
}

}  // namespace

struct HttpClient::Impl {
  explicit Impl(Options options) : core(std::move(options)), keep_running(asio::make_work_guard(core.ioc)) {
    for (unsigned i = 0; i < kIoThreads; ++i) {
      threads.emplace_back([this] {
        log::name_this_thread("oa-http-client");
        core.ioc.run();
      });
    }
  }

  ClientCore core;
  asio::executor_work_guard<asio::io_context::executor_type> keep_running;
  std::vector<std::thread> threads;
};

HttpClient::HttpClient(Options options) : impl_(std::make_unique<Impl>(std::move(options))) {}

HttpClient::~HttpClient() {
  impl_->keep_running.reset();
  impl_->core.ioc.stop();
  for (auto& thread : impl_->threads) thread.join();
  impl_->core.pool.clear();
}

std::variant<ClientResponse, ClientError> HttpClient::send(const ClientRequest& request) {
  auto start = Clock::now();
  auto deadline = request.deadline == Clock::time_point{} ? start + impl_->core.options.default_timeout
                                                           : request.deadline;
  auto parsed = parse_upstream_url(request.url, "http", "https");
  if (auto* invalid = std::get_if<std::string>(&parsed)) return ClientError{std::move(*invalid)};
  auto& url = std::get<UpstreamUrl>(parsed);
  if (deadline <= start) return ClientError{"deadline passed before the request to " + url.endpoint() + " was sent"};
  auto wire = to_wire(request, url);
  if (auto* invalid = std::get_if<ClientError>(&wire)) return std::move(*invalid);
  auto& message = std::get<http::request<http::string_body>>(wire);
  auto endpoint = url.endpoint();
  auto outcome = url.tls ? std::make_shared<Exchange<TlsStream>>(impl_->core, std::move(url), std::move(message),
                                                                  start, deadline)
                               ->run()
                         : std::make_shared<Exchange<PlainStream>>(impl_->core, std::move(url), std::move(message),
                                                                    start, deadline)
                               ->run();
  try {
    return outcome.get();
  } catch (const std::future_error&) {
    return ClientError{"the HTTP client shut down during the request to " + endpoint};
  }
}

}  // namespace oa::net
