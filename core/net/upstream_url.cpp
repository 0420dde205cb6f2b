#include "net/upstream_url.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include "net/text_case.hpp"

namespace oa::net {
namespace {

std::string invalid(std::string_view url, std::string_view why) {
  return "invalid URL '" + std::string(url.substr(0, url.find('?'))) + "': " + std::string(why);
}

}  // namespace

std::string UpstreamUrl::endpoint() const {
  bool ipv6 = host.find(':') != std::string::npos;
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::variant<UpstreamUrl, std::string> parse_upstream_url(std::string_view url, std::string_view plain_scheme,
                                                          std::string_view tls_scheme) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) return invalid(url, "not an absolute URI");
  const auto& uri = *parsed;
  UpstreamUrl out;
  if (equals_ignoring_case(uri.scheme(), tls_scheme))
    out.tls = true;
  else if (!equals_ignoring_case(uri.scheme(), plain_scheme))
    return invalid(url, "scheme must be " + std::string(plain_scheme) + " or " + std::string(tls_scheme));
  if (uri.host_type() == boost::urls::host_type::none || uri.encoded_host().empty())
    return invalid(url, "no host");
  if (uri.host_type() == boost::urls::host_type::ipvfuture) return invalid(url, "unsupported IP literal");
  if (uri.has_port() && uri.port_number() == 0) return invalid(url, "bad port");
  out.host = uri.host_address();
  out.host_is_ip = uri.host_type() != boost::urls::host_type::name;
  out.port = uri.has_port() ? uri.port_number() : (out.tls ? 443 : 80);
  out.host_header = std::string(uri.encoded_host_and_port());
  out.target = std::string(uri.encoded_target());
  if (out.target.empty() || out.target.front() != '/') out.target.insert(0, "/");
  return out;
}

}  // namespace oa::net
