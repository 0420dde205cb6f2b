#include "loopback_server.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <deque>
#include <thread>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

namespace oa::test {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

FakeHttpRequest to_fake(const http::request<http::string_body>& request) {
  FakeHttpRequest out;
  out.method = std::string(request.method_string());
  std::string target(request.target());
  auto question = target.find('?');
  out.path = target.substr(0, question);
  if (question != std::string::npos) out.query = target.substr(question + 1);
  out.body = request.body();
  for (const auto& field : request) {
    std::string name(field.name_string());
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    out.headers[name] = std::string(field.value());
  }
  return out;
}

class WsPeer : public FakeWsPeer, public std::enable_shared_from_this<WsPeer> {
 public:
  WsPeer(beast::tcp_stream stream, std::string path) : ws_(std::move(stream)), path_(std::move(path)) {}

  const std::string& path() const override { return path_; }

  void send(bool binary, std::string data) override {
    asio::post(ws_.get_executor(), [self = shared_from_this(), binary, data = std::move(data)]() mutable {
      self->queue_.emplace_back(binary, std::move(data));
      if (!self->writing_) asio::co_spawn(self->ws_.get_executor(), self->write_all(), asio::detached);
    });
  }

  void drop() override {
    asio::post(ws_.get_executor(), [self = shared_from_this()] {
      boost::system::error_code ignored;
      beast::get_lowest_layer(self->ws_).socket().shutdown(tcp::socket::shutdown_both, ignored);
      beast::get_lowest_layer(self->ws_).socket().close(ignored);
    });
  }

  websocket::stream<beast::tcp_stream>& ws() { return ws_; }

 private:
  asio::awaitable<void> write_all() {
    auto self = shared_from_this();
    writing_ = true;
    while (!queue_.empty()) {
      auto [binary, data] = std::move(queue_.front());
      queue_.pop_front();
      ws_.binary(binary);
      auto [ec, n] = co_await ws_.async_write(asio::buffer(data), kTuple);
      if (ec) break;
    }
    writing_ = false;
  }

  websocket::stream<beast::tcp_stream> ws_;
  std::string path_;
  std::deque<std::pair<bool, std::string>> queue_;
  bool writing_ = false;
};

}  // namespace

struct LoopbackServer::Impl {
  HttpHandler http_handler;
  FakeWsHandlers ws_handlers;
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc, {asio::ip::make_address("127.0.0.1"), 0}};
  std::thread thread;

  asio::awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, socket] = co_await acceptor.async_accept(kTuple);
      if (ec) co_return;
      asio::co_spawn(ioc, session(std::move(socket)), asio::detached);
    }
  }

  asio::awaitable<void> session(tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    for (;;) {
      http::request<http::string_body> request;
      auto [ec, n] = co_await http::async_read(stream, buffer, request, kTuple);
      if (ec) co_return;
      auto fake = to_fake(request);
      if (websocket::is_upgrade(request)) {
        co_await upgrade(std::move(stream), std::move(request), fake);
        co_return;
      }
      auto answer = http_handler(fake);
      if (answer.delay_ms > 0) {
        asio::steady_timer timer(ioc, std::chrono::milliseconds(answer.delay_ms));
        co_await timer.async_wait(kTuple);
      }
      http::response<http::string_body> response{static_cast<http::status>(answer.status), request.version()};
      response.set(http::field::content_type, answer.content_type);
      response.body() = std::move(answer.body);
      response.keep_alive(request.keep_alive());
      response.prepare_payload();
      auto [write_ec, written] = co_await http::async_write(stream, response, kTuple);
      if (write_ec || !request.keep_alive()) co_return;
    }
  }

  asio::awaitable<void> upgrade(beast::tcp_stream stream, http::request<http::string_body> request,
                                const FakeHttpRequest& fake) {
    int verdict = ws_handlers.accept ? ws_handlers.accept(fake) : 404;
    if (verdict != 101) {
      http::response<http::string_body> refusal{static_cast<http::status>(verdict), request.version()};
      refusal.body() = "refused";
      refusal.prepare_payload();
      co_await http::async_write(stream, refusal, kTuple);
      co_return;
    }
    auto peer = std::make_shared<WsPeer>(std::move(stream), fake.path);
    auto [accept_ec] = co_await peer->ws().async_accept(request, kTuple);
    if (accept_ec) co_return;
    if (ws_handlers.on_open) ws_handlers.on_open(peer);
    beast::flat_buffer buffer;
    for (;;) {
      auto [ec, n] = co_await peer->ws().async_read(buffer, kTuple);
      if (ec) break;
      auto text = beast::buffers_to_string(buffer.data());
      buffer.consume(buffer.size());
      if (ws_handlers.on_message) ws_handlers.on_message(peer, !peer->ws().got_text(), text);
    }
    if (ws_handlers.on_close) ws_handlers.on_close(peer);
  }
};

LoopbackServer::LoopbackServer(HttpHandler http, FakeWsHandlers ws) : impl_(std::make_unique<Impl>()) {
  impl_->http_handler = std::move(http);
  impl_->ws_handlers = std::move(ws);
  asio::co_spawn(impl_->ioc, impl_->accept_loop(), asio::detached);
  impl_->thread = std::thread([this] { impl_->ioc.run(); });
}

LoopbackServer::~LoopbackServer() {
  impl_->ioc.stop();
  impl_->thread.join();
}

std::uint16_t LoopbackServer::port() const { return impl_->acceptor.local_endpoint().port(); }
std::string LoopbackServer::http_url() const { return "http://127.0.0.1:" + std::to_string(port()); }
std::string LoopbackServer::ws_url() const { return "ws://127.0.0.1:" + std::to_string(port()); }

}  // namespace oa::test
