#include "support/ws_test_client.hpp"

#include <doctest/doctest.h>

#include <deque>
#include <stdexcept>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace oa::test {

struct WsTestClient::Impl {
  asio::io_context ioc;
  websocket::stream<beast::tcp_stream> ws{ioc};
  beast::flat_buffer buffer;
  std::deque<std::string> inbox;
  bool reading = false;
  bool closed = false;

  void start_read() {
    reading = true;
    ws.async_read(buffer, [this](beast::error_code ec, std::size_t) {
      reading = false;
      if (ec) {
        closed = true;
        return;
      }
      inbox.push_back(beast::buffers_to_string(buffer.data()));
      buffer.consume(buffer.size());
    });
  }

  // Runs the io until `done` or the deadline.
  template <class Done>
  void run_until(Done done, Clock::time_point deadline) {
    while (!done() && Clock::now() < deadline) {
      ioc.restart();
      ioc.run_one_for(deadline - Clock::now());
    }
  }
};

WsTestClient::WsTestClient(std::uint16_t port, Options options) : impl_(std::make_unique<Impl>()) {
  auto& socket = beast::get_lowest_layer(impl_->ws).socket();
  socket.open(tcp::v4());
  if (options.receive_buffer_bytes > 0) socket.set_option(asio::socket_base::receive_buffer_size(options.receive_buffer_bytes));
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  impl_->ws.handshake("127.0.0.1:" + std::to_string(port), options.path);
}

WsTestClient::~WsTestClient() {
  beast::error_code ignored;
  beast::get_lowest_layer(impl_->ws).socket().close(ignored);
}

void WsTestClient::send(const std::string& text) {
  impl_->ws.text(true);
  bool done = false;
  beast::error_code result;
  impl_->ws.async_write(asio::buffer(text), [&](beast::error_code ec, std::size_t) {
    done = true;
    result = ec;
  });
  impl_->run_until([&] { return done; }, Clock::now() + std::chrono::seconds(10));
  if (!done || result) throw std::runtime_error("ws test client: send failed: " + result.message());
}

void WsTestClient::send_json(const boost::json::value& message) { send(boost::json::serialize(message)); }

std::optional<std::string> WsTestClient::receive(std::chrono::milliseconds deadline) {
  auto until = Clock::now() + deadline;
  if (impl_->inbox.empty() && !impl_->reading && !impl_->closed) impl_->start_read();
  impl_->run_until([&] { return !impl_->inbox.empty() || impl_->closed; }, until);
  if (impl_->inbox.empty()) return std::nullopt;
  auto message = std::move(impl_->inbox.front());
  impl_->inbox.pop_front();
  return message;
}

std::optional<boost::json::value> WsTestClient::receive_json(std::chrono::milliseconds deadline) {
  auto text = receive(deadline);
  if (!text) return std::nullopt;
  return boost::json::parse(*text);
}

std::optional<boost::json::object> WsTestClient::receive_type(const std::string& type, std::chrono::milliseconds deadline) {
  auto until = Clock::now() + deadline;
  while (Clock::now() < until) {
    auto message = receive_json(std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()));
    if (!message) return std::nullopt;
    if (!message->is_object()) continue;
    const auto* found = message->as_object().if_contains("type");
    if (found && found->is_string() && found->get_string() == type) return message->as_object();
  }
  return std::nullopt;
}

bool WsTestClient::closed() const { return impl_->closed; }
int WsTestClient::close_code() const { return impl_->ws.reason().code; }
std::string WsTestClient::close_reason() const { return std::string(impl_->ws.reason().reason.c_str()); }

bool WsTestClient::wait_closed(std::chrono::milliseconds deadline) {
  auto until = Clock::now() + deadline;
  while (!impl_->closed && Clock::now() < until) {
    receive(std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()));
  }
  return impl_->closed;
}

void WsTestClient::close() {
  beast::error_code ignored;
  impl_->ws.close(websocket::close_code::normal, ignored);
}

std::unique_ptr<WsTestClient> order_update_client(std::uint16_t port, const std::string& api_key) {
  auto ws = std::make_unique<WsTestClient>(port);
  ws->send_json(boost::json::object{{"action", "authenticate"}, {"api_key", api_key}});
  REQUIRE(ws->receive_type("auth"));
  ws->send(R"({"action":"subscribe_orders"})");
  REQUIRE(ws->receive_type("subscribe_orders"));
  return ws;
}

}  // namespace oa::test
