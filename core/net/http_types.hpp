#pragma once
// Plain request/response types shared by the network layer and the API layer.
// Nothing here includes Beast or Asio: only core/net/*.cpp does.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace oa::net {

using Header = std::pair<std::string, std::string>;

struct HttpRequest {
  std::string method;               // upper case, e.g. "POST"
  std::string target;               // as received, e.g. "/api/v1/ping?x=1"
  std::string path;                 // target without the query string
  std::string query;                // raw query string, without '?'
  std::vector<Header> headers;      // names lower-cased
  std::string body;
  std::string peer_ip;
  bool tls = false;

  // First header with that (lower-case) name, or empty.
  std::string_view header(std::string_view lower_name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<Header> headers;
};

// Completes one request. Called exactly once, from any thread.
using Responder = std::function<void(HttpResponse)>;
// The application's entry point: owns the request, answers through the responder.
using RequestHandler = std::function<void(HttpRequest&&, Responder)>;

}  // namespace oa::net
