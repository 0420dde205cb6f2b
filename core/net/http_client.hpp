#pragma once
// The host's upstream HTTP(S) client: what plugins reach through
// oa_host_api.http_request. Plain types only; Beast stays in http_client.cpp.
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "net/http_types.hpp"

namespace oa::net {

struct ClientRequest {
  std::string method;                              // "GET", "POST", ...
  std::string url;                                 // absolute http:// or https:// URL
  std::vector<Header> headers;                     // sent as given, except Content-Length and Transfer-Encoding
                                                   // (framing is the client's); Host and User-Agent
                                                   // ("openalgod") are added when absent
  std::string body;
  std::chrono::steady_clock::time_point deadline;  // for the whole exchange; {} = now + Options::default_timeout
};

struct ClientResponse {
  int status = 0;
  std::vector<Header> headers;  // names lower-cased, in the order received
  std::string body;             // de-chunked
};

// No HTTP answer: bad URL, DNS, connect, TLS, timeout, or a response that could
// not be read. The message names the upstream as host:port, never the path or
// query (they may carry credentials), e.g.
// "timed out after 2000 ms connecting to api.kite.trade:443".
struct ClientError {
  std::string message;
};

// Blocking HTTP/1.1 client with a keep-alive pool per (scheme, host, port).
// Thread-safe: many worker threads may call send at once; the I/O runs on the
// client's own threads.
class HttpClient {
 public:
  struct Options {
    std::size_t max_idle_per_host = 8;
    std::chrono::seconds idle_timeout{30};  // an idle connection older than this is not reused
    std::chrono::milliseconds default_timeout{10000};
    std::size_t max_response_bytes = 64 << 20;  // body limit
    bool verify_tls = true;
    std::string ca_file;  // PEM trust anchors; empty = the system's trust store
  };

  // Throws std::runtime_error when ca_file cannot be loaded.
  explicit HttpClient(Options options);
  // No send may be in progress.
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // One request/response exchange within request.deadline. A pooled idle
  // connection is reused when there is one; if it turns out to have been closed
  // by the server before any response byte arrived, an idempotent request
  // (GET HEAD PUT DELETE OPTIONS) is sent once more on a fresh connection, any
  // other is not (the server may have acted on it). Only connections that
  // finished an exchange cleanly with keep-alive go back to the pool.
  std::variant<ClientResponse, ClientError> send(const ClientRequest& request);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace oa::net
