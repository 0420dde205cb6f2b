#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "net/http_client.hpp"
#include "net/http_server.hpp"

using namespace oa;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

// What the scripted upstream does with one request.
struct Reply {
  std::string bytes;         // written as they are
  bool close_after = false;  // then close, whatever the headers promised
  bool hang = false;         // never answer
  bool drop = false;         // close without answering
};

Reply answer(const std::string& body, const std::string& extra_headers = "", const std::string& status = "200 OK") {
  return {"HTTP/1.1 " + status + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" + extra_headers +
          "\r\n" + body};
}

// Sees each request with its position on its connection (0 = the first).
using Script = std::function<Reply(const http::request<http::string_body>&, int nth_on_connection)>;

// A raw HTTP/1.1 upstream on 127.0.0.1 whose every answer the test scripts,
// including the misbehaviour a real server shows (hanging, dropping, closing
// a connection it advertised as kept alive). Counts connections.
class ScriptedUpstream {
 public:
  explicit ScriptedUpstream(Script script)
      : script_(std::move(script)), acceptor_(ioc_, {asio::ip::make_address("127.0.0.1"), 0}) {
    asio::co_spawn(ioc_, accept_loop(), asio::detached);
    thread_ = std::thread([this] { ioc_.run(); });
  }

  ~ScriptedUpstream() {
    ioc_.stop();
    thread_.join();
  }

  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port()) + path; }
  int connections() const { return connections_; }
  int closed_by_upstream() const { return closed_; }

 private:
  asio::awaitable<void> accept_loop() {
    for (;;) {
      auto socket = co_await acceptor_.async_accept(asio::use_awaitable);
      ++connections_;
      asio::co_spawn(ioc_, serve(std::move(socket)), asio::detached);
    }
  }

  asio::awaitable<void> serve(tcp::socket socket) {
    beast::flat_buffer buffer;
    for (int nth = 0;; ++nth) {
      http::request<http::string_body> request;
      auto [read_error, ignored] =
          co_await http::async_read(socket, buffer, request, asio::as_tuple(asio::use_awaitable));
      if (read_error) co_return;
      auto reply = script_(request, nth);
      if (reply.hang) {
        asio::steady_timer forever(socket.get_executor(), std::chrono::hours(1));
        co_await forever.async_wait(asio::as_tuple(asio::use_awaitable));
      }
      if (!reply.drop)
        co_await asio::async_write(socket, asio::buffer(reply.bytes), asio::as_tuple(asio::use_awaitable));
      if (reply.drop || reply.close_after) {
        socket.close();
        ++closed_;
        co_return;
      }
    }
  }

  Script script_;
  asio::io_context ioc_;
  tcp::acceptor acceptor_;
  std::atomic<int> connections_{0};
  std::atomic<int> closed_{0};
  std::thread thread_;
};

net::ClientRequest get(const std::string& url, std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  return {"GET", url, {}, "", Clock::now() + timeout};
}

net::ClientRequest post(const std::string& url, std::string body) {
  return {"POST", url, {{"Content-Type", "application/json"}}, std::move(body), Clock::now() + std::chrono::seconds(5)};
}

std::string header(const net::ClientResponse& response, const std::string& lower_name) {
  for (const auto& [name, value] : response.headers)
    if (name == lower_name) return value;
  return "<absent>";
}

// The response, or a failed check showing the client's error.
net::ClientResponse expect_response(std::variant<net::ClientResponse, net::ClientError> outcome) {
  if (auto* error = std::get_if<net::ClientError>(&outcome)) FAIL_CHECK("unexpected client error: " << error->message);
  auto* response = std::get_if<net::ClientResponse>(&outcome);
  return response ? std::move(*response) : net::ClientResponse{};
}

std::string expect_error(std::variant<net::ClientResponse, net::ClientError> outcome) {
  if (auto* response = std::get_if<net::ClientResponse>(&outcome))
    FAIL_CHECK("unexpected response " << response->status << ": " << response->body);
  auto* error = std::get_if<net::ClientError>(&outcome);
  return error ? error->message : std::string();
}

std::uint16_t unused_port() {
  ScriptedUpstream gone([](const auto&, int) { return answer(""); });
  return gone.port();
}

// A self-signed certificate for IP 127.0.0.1 only, made with the openssl CLI.
class SelfSignedCertificate {
 public:
  SelfSignedCertificate() {
    static std::atomic<int> counter{0};
    dir_ = std::filesystem::temp_directory_path() /
           ("oa-http-client-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::create_directories(dir_);
    auto command = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1"
                   " -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout '" +
                   key().string() + "' -out '" + cert().string() + "' 2>/dev/null";
    REQUIRE(std::system(command.c_str()) == 0);
  }
  ~SelfSignedCertificate() { std::filesystem::remove_all(dir_); }

  std::filesystem::path cert() const { return dir_ / "cert.pem"; }
  std::filesystem::path key() const { return dir_ / "key.pem"; }

 private:
  std::filesystem::path dir_;
};

// HttpServer over TLS with that certificate, answering "secure".
struct TlsUpstream {
  explicit TlsUpstream(const SelfSignedCertificate& certificate)
      : server(
            [&] {
              net::ServerOptions options;
              options.port = 0;
              options.threads = 1;
              options.tls_cert_file = certificate.cert();
              options.tls_key_file = certificate.key();
              return options;
            }(),
            [](net::HttpRequest&&, net::Responder respond) { respond({200, "text/plain", "secure", {}}); }),
        port(server.start()) {}
  ~TlsUpstream() { server.stop(std::chrono::seconds(1)); }

  net::HttpServer server;
  std::uint16_t port;
};

}  // namespace

TEST_SUITE("net") {
  TEST_CASE("a GET carries the caller's headers and returns status, headers and body") {
    ScriptedUpstream upstream([](const auto& request, int) {
      return answer(std::string(request.method_string()) + "|" + std::string(request["X-Probe"]) + "|" +
                        std::string(request[http::field::user_agent]) + "|" + std::string(request[http::field::host]),
                    "X-Reply: yes\r\n");
    });
    net::HttpClient client({});
    auto request = get(upstream.url("/quotes?symbol=SBIN"));
    request.headers = {{"X-Probe", "probe-1"}};
    auto response = expect_response(client.send(request));
    CHECK(response.status == 200);
    CHECK(header(response, "x-reply") == "yes");
    CHECK(response.body == "GET|probe-1|openalgod|127.0.0.1:" + std::to_string(upstream.port()));
  }

  TEST_CASE("a POST sends its body with its length and returns the upstream's status") {
    ScriptedUpstream upstream([](const auto& request, int) {
      return answer(request.body() + "|" + std::string(request[http::field::content_length]) + "|" +
                        std::string(request[http::field::content_type]),
                    "", "201 Created");
    });
    net::HttpClient client({});
    auto response = expect_response(client.send(post(upstream.url("/orders"), R"({"qty":1})")));
    CHECK(response.status == 201);
    CHECK(response.body == R"({"qty":1}|9|application/json)");
  }

  TEST_CASE("sequential requests to one upstream reuse one kept-alive connection") {
    ScriptedUpstream upstream([](const auto&, int) { return answer("ok"); });
    net::HttpClient client({});
    CHECK(expect_response(client.send(get(upstream.url("/a")))).body == "ok");
    CHECK(expect_response(client.send(get(upstream.url("/b")))).body == "ok");
    CHECK(upstream.connections() == 1);
  }

  TEST_CASE("sixteen threads sending at once each get their own answers") {
    ScriptedUpstream upstream([](const auto& request, int) { return answer(std::string(request.target())); });
    net::HttpClient::Options options;
    options.max_idle_per_host = 16;  // room for every sender's connection, so none is ever made twice
    net::HttpClient client(options);
    std::atomic<int> wrong{0};
    std::vector<std::thread> senders;
    for (int t = 0; t < 16; ++t)
      senders.emplace_back([&, t] {
        for (int r = 0; r < 20; ++r) {
          auto path = "/t" + std::to_string(t) + "/r" + std::to_string(r);
          auto outcome = client.send(get(upstream.url(path)));
          auto* response = std::get_if<net::ClientResponse>(&outcome);
          if (!response || response->status != 200 || response->body != path) ++wrong;
        }
      });
    for (auto& sender : senders) sender.join();
    CHECK(wrong == 0);
    CHECK(upstream.connections() <= 16);
  }

  TEST_CASE("an upstream that never answers is a timeout at the deadline, and the client stays usable") {
    ScriptedUpstream upstream([](const auto& request, int) {
      Reply reply = answer("ok");
      reply.hang = request.target() == "/hang";
      return reply;
    });
    net::HttpClient client({});
    auto started = Clock::now();
    auto message = expect_error(client.send(get(upstream.url("/hang"), std::chrono::milliseconds(300))));
    auto waited = Clock::now() - started;
    CHECK(message.find("timed out after ") == 0);
    CHECK(message.find(" ms waiting for the response from 127.0.0.1:" + std::to_string(upstream.port())) !=
          std::string::npos);
    CHECK(waited >= std::chrono::milliseconds(250));
    CHECK(waited < std::chrono::seconds(2));
    CHECK(expect_response(client.send(get(upstream.url("/ok")))).body == "ok");
  }

  TEST_CASE("a refused connection is an error naming the upstream") {
    auto port = unused_port();
    net::HttpClient client({});
    auto message = expect_error(client.send(get("http://127.0.0.1:" + std::to_string(port) + "/")));
    CHECK(message.find("cannot connect to 127.0.0.1:" + std::to_string(port)) == 0);
  }

  TEST_CASE("a malformed URL is an error that says what is wrong") {
    net::HttpClient client({});
    CHECK(expect_error(client.send(get("ftp://example.com/x?token=secret"))) ==
          "invalid URL 'ftp://example.com/x': scheme must be http or https");
    CHECK(expect_error(client.send(get("no scheme"))).find("invalid URL") == 0);
  }

  TEST_CASE("a chunked response arrives de-chunked") {
    ScriptedUpstream upstream([](const auto&, int) {
      return Reply{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"};
    });
    net::HttpClient client({});
    CHECK(expect_response(client.send(get(upstream.url("/")))).body == "hello world");
  }

  TEST_CASE("a response body over max_response_bytes is an error") {
    ScriptedUpstream upstream([](const auto&, int) { return answer(std::string(4096, 'x')); });
    net::HttpClient::Options options;
    options.max_response_bytes = 1024;
    net::HttpClient client(options);
    CHECK(expect_error(client.send(get(upstream.url("/")))) ==
          "response from 127.0.0.1:" + std::to_string(upstream.port()) + " exceeds 1024 bytes");
  }

  TEST_CASE("a connection the upstream closed while idle is not reused") {
    ScriptedUpstream upstream([](const auto&, int) {
      Reply reply = answer("ok");  // advertises keep-alive
      reply.close_after = true;
      return reply;
    });
    net::HttpClient client({});
    CHECK(expect_response(client.send(get(upstream.url("/a")))).body == "ok");
    auto limit = Clock::now() + std::chrono::seconds(5);
    while (upstream.closed_by_upstream() < 1 && Clock::now() < limit) std::this_thread::yield();
    CHECK(expect_response(client.send(post(upstream.url("/b"), "{}"))).body == "ok");
    CHECK(upstream.connections() == 2);
  }

  TEST_CASE("a GET that finds its pooled connection closed under it is sent once more on a new one") {
    std::atomic<int> seen{0};
    ScriptedUpstream upstream([&](const auto&, int nth) {
      ++seen;
      Reply reply = answer("ok");
      reply.drop = nth == 1;  // the second request on a connection dies unanswered
      return reply;
    });
    net::HttpClient client({});
    CHECK(expect_response(client.send(get(upstream.url("/a")))).body == "ok");
    CHECK(expect_response(client.send(get(upstream.url("/b")))).body == "ok");
    CHECK(seen == 3);
    CHECK(upstream.connections() == 2);
  }

  TEST_CASE("a POST that finds its pooled connection closed under it is not sent again") {
    std::atomic<int> posts{0};
    ScriptedUpstream upstream([&](const auto& request, int nth) {
      posts += request.method() == http::verb::post;
      Reply reply = answer("ok");
      reply.drop = nth == 1;
      return reply;
    });
    net::HttpClient client({});
    CHECK(expect_response(client.send(get(upstream.url("/a")))).body == "ok");
    auto message = expect_error(client.send(post(upstream.url("/orders"), "{}")));
    CHECK(message.find("cannot read the response from 127.0.0.1:" + std::to_string(upstream.port())) == 0);
    CHECK(posts == 1);
    CHECK(upstream.connections() == 1);
  }

  TEST_CASE("https to a self-signed upstream fails verification against the system trust store") {
    SelfSignedCertificate certificate;
    TlsUpstream upstream(certificate);
    net::HttpClient client({});
    auto message = expect_error(client.send(get("https://127.0.0.1:" + std::to_string(upstream.port) + "/")));
    CHECK(message.find("TLS handshake with 127.0.0.1:" + std::to_string(upstream.port) + " failed") == 0);
    CHECK(message.find("certificate verify failed") != std::string::npos);
  }

  TEST_CASE("https succeeds when ca_file trusts the upstream's certificate") {
    SelfSignedCertificate certificate;
    TlsUpstream upstream(certificate);
    net::HttpClient::Options options;
    options.ca_file = certificate.cert().string();
    net::HttpClient client(options);
    auto response = expect_response(client.send(get("https://127.0.0.1:" + std::to_string(upstream.port) + "/")));
    CHECK(response.status == 200);
    CHECK(response.body == "secure");
  }

  TEST_CASE("https rejects a trusted certificate that does not name the host connected to") {
    SelfSignedCertificate certificate;
    TlsUpstream upstream(certificate);
    net::HttpClient::Options options;
    options.ca_file = certificate.cert().string();
    net::HttpClient client(options);
    auto message = expect_error(client.send(get("https://localhost:" + std::to_string(upstream.port) + "/")));
    CHECK(message.find("certificate verify failed") != std::string::npos);
    CHECK(message.find("hostname mismatch") != std::string::npos);
  }

  TEST_CASE("a ca_file that cannot be read is refused at construction") {
    net::HttpClient::Options options;
    options.ca_file = "/nonexistent/ca.pem";
    CHECK_THROWS_WITH_AS(net::HttpClient{options}, doctest::Contains("cannot load TLS trust store '/nonexistent/ca.pem'"),
                         std::runtime_error);
  }
}
