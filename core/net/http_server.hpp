#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "net/http_types.hpp"

namespace oa::net {

class WsServer;

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 5000;              // 0 = any free port; start() returns the one bound
  unsigned threads = 0;                   // 0 = hardware concurrency
  std::size_t max_body_bytes = 1 << 20;
  std::chrono::seconds header_timeout{10};
  std::chrono::seconds idle_timeout{60};
  std::filesystem::path tls_cert_file;    // both set = every connection is TLS
  std::filesystem::path tls_key_file;
  // When set, WebSocket upgrade requests for websocket_path are handed to it.
  WsServer* websocket = nullptr;
  std::string websocket_path = "/ws";
};

// HTTP/1.1 server on Beast: keep-alive, body limit, header and idle timeouts,
// optional TLS. Requests are handed to one RequestHandler; framing errors
// (oversized body, malformed request) are answered here in the OpenAlgo envelope.
class HttpServer {
 public:
  HttpServer(ServerOptions options, RequestHandler handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and starts the io threads. Throws std::runtime_error when it cannot
  // bind or load the TLS files. Returns the bound port.
  std::uint16_t start();

  // Stops accepting, lets in-flight requests finish (up to `drain`), then
  // closes every connection and joins the threads. Idempotent.
  void stop(std::chrono::milliseconds drain);

  std::size_t requests_in_flight() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace oa::net
