#include <doctest/doctest.h>

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include "net/ws_client.hpp"

using namespace oa;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

// A WebSocket echo server on 127.0.0.1. It remembers the upgrade request's
// headers, closes with 4000 "bye" when sent "close-me", and holds upgrades to
// /hold until release().
class EchoServer {
 public:
  EchoServer() : acceptor_(ioc_, {asio::ip::make_address("127.0.0.1"), 0}) {
    asio::co_spawn(ioc_, accept_loop(), asio::detached);
    thread_ = std::thread([this] { ioc_.run(); });
  }

  ~EchoServer() {
    ioc_.stop();
    thread_.join();
  }

  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  std::string url(const std::string& path) const { return "ws://127.0.0.1:" + std::to_string(port()) + path; }

  std::string upgrade_header(const std::string& name) {
    std::lock_guard lock(mutex_);
    auto found = upgrade_headers_.find(name);
    return found == upgrade_headers_.end() ? "<absent>" : found->second;
  }

  void release() {
    asio::post(ioc_, [this] { held_.cancel(); });
  }

 private:
  asio::awaitable<void> accept_loop() {
    for (;;) {
      auto socket = co_await acceptor_.async_accept(asio::use_awaitable);
      asio::co_spawn(ioc_, serve(std::move(socket)), asio::detached);
    }
  }

  // Ends by exception when the client goes away; co_spawn(detached) drops it.
  asio::awaitable<void> serve(tcp::socket socket) {
    beast::flat_buffer buffer;
    http::request<http::string_body> upgrade;
    co_await http::async_read(socket, buffer, upgrade, asio::use_awaitable);
    remember(upgrade);
    if (upgrade.target() == "/hold") co_await held_.async_wait(asio::as_tuple(asio::use_awaitable));
    websocket::stream<tcp::socket> ws(std::move(socket));
    co_await ws.async_accept(upgrade, asio::use_awaitable);
    for (;;) {
      beast::flat_buffer message;
      co_await ws.async_read(message, asio::use_awaitable);
      if (ws.got_text() && beast::buffers_to_string(message.data()) == "close-me") {
        co_await ws.async_close(websocket::close_reason(static_cast<websocket::close_code>(4000), "bye"), asio::use_awaitable);
        co_return;
      }
      ws.text(ws.got_text());
      co_await ws.async_write(message.data(), asio::use_awaitable);
    }
  }

  void remember(const http::request<http::string_body>& upgrade) {
    std::lock_guard lock(mutex_);
    for (const auto& field : upgrade) {
      std::string name(field.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      upgrade_headers_[name] = std::string(field.value());
    }
  }

  asio::io_context ioc_;
  tcp::acceptor acceptor_;
  asio::steady_timer held_{ioc_, asio::steady_timer::time_point::max()};
  std::mutex mutex_;
  std::map<std::string, std::string> upgrade_headers_;
  std::thread thread_;
};

// Records what a connection reports, for the test thread to wait on.
struct Events {
  std::mutex mutex;
  std::condition_variable changed;
  int opened = 0;
  std::vector<std::pair<bool, std::string>> messages;
  std::vector<std::pair<int, std::string>> closes;

  net::WsCallbacks callbacks() {
    return {[this] { record([&] { ++opened; }); },
            [this](bool is_binary, std::string_view data) {
              record([&] { messages.emplace_back(is_binary, std::string(data)); });
            },
            [this](int code, std::string reason) { record([&] { closes.emplace_back(code, std::move(reason)); }); }};
  }

  template <class Change>
  void record(Change change) {
    std::lock_guard lock(mutex);
    change();
    changed.notify_all();
  }

  template <class Done>
  bool wait(Done done) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, std::chrono::seconds(5), done);
  }

  bool wait_open() { return wait([this] { return opened > 0 || !closes.empty(); }) && opened == 1; }
  bool wait_closed() { return wait([this] { return !closes.empty(); }); }
};

std::uint16_t unused_port() {
  asio::io_context ioc;
  tcp::acceptor acceptor(ioc, {asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

}  // namespace

TEST_SUITE("net") {
  TEST_CASE("text and binary messages are echoed with their type") {
    EchoServer server;
    Events events;
    net::WsClient client;
    auto connection = client.connect(server.url("/feed"), {}, events.callbacks());
    REQUIRE(events.wait_open());
    CHECK(connection->is_open());
    CHECK(connection->send(false, "hello"));
    CHECK(connection->send(true, std::string("\x00\x01\xff", 3)));
    REQUIRE(events.wait([&] { return events.messages.size() == 2; }));
    CHECK(events.messages[0] == std::pair<bool, std::string>(false, "hello"));
    CHECK(events.messages[1] == std::pair<bool, std::string>(true, std::string("\x00\x01\xff", 3)));
  }

  TEST_CASE("extra headers reach the server on the upgrade request") {
    EchoServer server;
    Events events;
    net::WsClient client;
    client.connect(server.url("/feed"), {{"X-Api-Key", "key-1"}}, events.callbacks());
    REQUIRE(events.wait_open());
    CHECK(server.upgrade_header("x-api-key") == "key-1");
    CHECK(server.upgrade_header("user-agent") == "openalgod");
  }

  TEST_CASE("a close from the server reports its code and reason once") {
    EchoServer server;
    Events events;
    net::WsClient client;
    auto connection = client.connect(server.url("/feed"), {}, events.callbacks());
    REQUIRE(events.wait_open());
    connection->send(false, "close-me");
    REQUIRE(events.wait_closed());
    CHECK(events.closes == std::vector<std::pair<int, std::string>>{{4000, "bye"}});
    CHECK_FALSE(connection->is_open());
  }

  TEST_CASE("a connection that cannot be made reports 1006 naming the failure") {
    auto port = std::to_string(unused_port());
    Events events;
    net::WsClient client;
    client.connect("ws://127.0.0.1:" + port + "/feed", {}, events.callbacks());
    REQUIRE(events.wait_closed());
    CHECK(events.opened == 0);
    CHECK(events.closes.size() == 1);
    CHECK(events.closes[0].first == 1006);
    CHECK(events.closes[0].second.find("cannot connect to 127.0.0.1:" + port) == 0);
  }

  TEST_CASE("an invalid URL reports 1006 without connecting") {
    Events events;
    net::WsClient client;
    auto connection = client.connect("http://127.0.0.1/feed", {}, events.callbacks());
    REQUIRE(events.wait_closed());
    CHECK(events.closes[0] ==
          std::pair<int, std::string>(1006, "invalid URL 'http://127.0.0.1/feed': scheme must be ws or wss"));
    CHECK_FALSE(connection->send(false, "x"));
  }

  TEST_CASE("close ends the connection with 1000 and later sends are refused") {
    EchoServer server;
    Events events;
    net::WsClient client;
    auto connection = client.connect(server.url("/feed"), {}, events.callbacks());
    REQUIRE(events.wait_open());
    connection->close();
    CHECK_FALSE(connection->is_open());
    CHECK_FALSE(connection->send(false, "too late"));
    REQUIRE(events.wait_closed());
    CHECK(events.closes == std::vector<std::pair<int, std::string>>{{1000, "closed by client"}});
    CHECK_FALSE(connection->send(false, "still too late"));
  }

  TEST_CASE("messages queued past the limit drop the connection with 1008") {
    EchoServer server;
    Events events;
    net::WsClient client;
    auto connection = client.connect(server.url("/hold"), {}, events.callbacks());
    int accepted = 0;
    for (std::size_t i = 0; i < net::WsConnection::kMaxQueuedMessages; ++i) accepted += connection->send(false, "m");
    CHECK(accepted == static_cast<int>(net::WsConnection::kMaxQueuedMessages));
    CHECK_FALSE(connection->send(false, "one too many"));
    REQUIRE(events.wait_closed());
    CHECK(events.opened == 0);
    CHECK(events.closes == std::vector<std::pair<int, std::string>>{{1008, "send queue full"}});
    server.release();
  }

  TEST_CASE("destroying the client closes its open connections promptly, reporting each once") {
    EchoServer server;
    std::vector<std::unique_ptr<Events>> events;
    auto client = std::make_unique<net::WsClient>();
    for (int i = 0; i < 3; ++i) {
      events.push_back(std::make_unique<Events>());
      client->connect(server.url("/feed"), {}, events.back()->callbacks());
    }
    for (auto& connection : events) REQUIRE(connection->wait_open());
    auto started = Clock::now();
    client.reset();
    CHECK(Clock::now() - started < std::chrono::seconds(2));
    for (auto& connection : events)
      CHECK(connection->closes == std::vector<std::pair<int, std::string>>{{1001, "client shutting down"}});
  }
}
