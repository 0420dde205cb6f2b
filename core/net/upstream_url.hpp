#pragma once
// An absolute upstream URL split into what a client connects to. Shared by
// HttpClient and WsClient; plain types only.
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace oa::net {

struct UpstreamUrl {
  bool tls = false;         // https:// or wss://
  std::string host;         // a name or an IP address, without brackets
  bool host_is_ip = false;  // no SNI for addresses; the certificate must name the IP
  std::uint16_t port = 0;   // as given, else the scheme's default
  std::string host_header;  // host[:port] as written, for the Host header
  std::string target;       // path and query, at least "/"

  // "host:port": names the upstream in errors and logs, and keys the pool.
  // Never the path or query, which may carry credentials.
  std::string endpoint() const;
};

// Accepts `plain_scheme`://... or `tls_scheme`://... (e.g. "http"/"https").
// On failure returns a message a person can act on (the URL without its query).
std::variant<UpstreamUrl, std::string> parse_upstream_url(std::string_view url, std::string_view plain_scheme,
                                                          std::string_view tls_scheme);

}  // namespace oa::net
