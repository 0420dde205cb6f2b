#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "net/http_server.hpp"
#include "net/ws_server.hpp"

using namespace oa;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

namespace {

// A throwaway self-signed certificate for 127.0.0.1 and its key, as PEM files
// in a directory of their own that goes with the object.
struct SelfSigned {
  std::filesystem::path directory;
  std::filesystem::path cert;
  std::filesystem::path key;

  SelfSigned() {
    char pattern[] = "/tmp/openalgod-tls-XXXXXX";
    REQUIRE(::mkdtemp(pattern));
    directory = pattern;
    cert = directory / "cert.pem";
    key = directory / "key.pem";
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> pkey(EVP_EC_gen("P-256"), EVP_PKEY_free);
    std::unique_ptr<X509, decltype(&X509_free)> x509(X509_new(), X509_free);
    REQUIRE(pkey);
    ASN1_INTEGER_set(X509_get_serialNumber(x509.get()), 1);
    X509_gmtime_adj(X509_getm_notBefore(x509.get()), -60);
    X509_gmtime_adj(X509_getm_notAfter(x509.get()), 3600);
    X509_set_pubkey(x509.get(), pkey.get());
    X509_NAME* name = X509_get_subject_name(x509.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
    X509_set_issuer_name(x509.get(), name);
    REQUIRE(X509_sign(x509.get(), pkey.get(), EVP_sha256()) > 0);
    FILE* cert_file = std::fopen(cert.c_str(), "w");
    FILE* key_file = std::fopen(key.c_str(), "w");
    REQUIRE((cert_file && key_file));
    PEM_write_X509(cert_file, x509.get());
    PEM_write_PrivateKey(key_file, pkey.get(), nullptr, nullptr, 0, nullptr, nullptr);
    std::fclose(cert_file);
    std::fclose(key_file);
  }
  ~SelfSigned() { std::filesystem::remove_all(directory); }
};

class EchoFeed : public net::WsHandler {
 public:
  void on_open(const std::shared_ptr<net::WsPeer>&) override {}
  void on_message(const std::shared_ptr<net::WsPeer>& peer, std::string_view data, bool) override {
    peer->send(std::make_shared<const std::string>(data));
  }
  void on_close(const std::shared_ptr<net::WsPeer>&) override {}
};

// An HTTPS server whose /ws upgrades go to an echoing WebSocket server.
struct TlsServers {
  SelfSigned files;
  EchoFeed feed;
  net::WsServer websocket{net::WsServerOptions{}, feed};
  std::unique_ptr<net::HttpServer> http;
  std::uint16_t port = 0;

  TlsServers() {
    net::ServerOptions options;
    options.port = 0;
    options.threads = 1;
    options.tls_cert_file = files.cert;
    options.tls_key_file = files.key;
    options.websocket = &websocket;
    http = std::make_unique<net::HttpServer>(options, [](net::HttpRequest&& request, net::Responder respond) {
      respond({200, "text/plain", "you asked for " + request.path, {}});
    });
    websocket.start(false);
    port = http->start();
  }
  ~TlsServers() { http->stop(std::chrono::milliseconds(500)); }
};

// A client that accepts any certificate: the test is about the server's TLS path, not about trust.
asio::ssl::context trusting_client() {
  asio::ssl::context context(asio::ssl::context::tls_client);
  context.set_verify_mode(asio::ssl::verify_none);
  return context;
}

}  // namespace

TEST_SUITE("net") {
  TEST_CASE("with a certificate and key every connection is TLS, and a request is answered over it") {
    TlsServers servers;
    asio::io_context ioc;
    auto context = trusting_client();
    beast::ssl_stream<beast::tcp_stream> stream(ioc, context);
    beast::get_lowest_layer(stream).connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), servers.port));
    stream.handshake(asio::ssl::stream_base::client);
    http::request<http::string_body> request(http::verb::get, "/api/v1/ping", 11);
    request.set(http::field::host, "127.0.0.1");
    http::write(stream, request);
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    http::read(stream, buffer, response);
    CHECK(response.result_int() == 200);
    CHECK(response.body() == "you asked for /api/v1/ping");
  }

  TEST_CASE("the HTTPS port upgrades /ws to a WebSocket over the same TLS connection") {
    TlsServers servers;
    asio::io_context ioc;
    auto context = trusting_client();
    websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws(ioc, context);
    beast::get_lowest_layer(ws).connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), servers.port));
    ws.next_layer().handshake(asio::ssl::stream_base::client);
    ws.handshake("127.0.0.1", "/ws");
    ws.write(asio::buffer(std::string(R"({"action":"ping"})")));
    beast::flat_buffer buffer;
    ws.read(buffer);
    CHECK(beast::buffers_to_string(buffer.data()) == R"({"action":"ping"})");
    // A clean close: both close frames, then TLS's own close_notify both ways (a bare TCP close would
    // be reported as a truncated stream).
    beast::error_code ec;
    ws.close(websocket::close_reason(static_cast<websocket::close_code>(4000), "done"), ec);
    CHECK(ec.message() == beast::error_code{}.message());
  }
}
