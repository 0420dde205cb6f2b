#pragma once
// TLS for the upstream clients: how their contexts are built, how each
// connection is bound to the name it must prove, and how a failed handshake
// is described. Asio and OpenSSL types are only forward-declared here.
#include <string>

#include "net/upstream_url.hpp"

namespace boost::asio::ssl {
class context;
}
struct ssl_st;

namespace oa::net {

// Client context, TLS 1.2 or newer. With `verify`, peers are checked against
// `ca_file` (PEM), or the system's trust store when it is empty. Throws
// std::runtime_error when ca_file cannot be loaded.
boost::asio::ssl::context make_upstream_tls_context(bool verify, const std::string& ca_file);

// Before the handshake: sends SNI for a host name and requires the peer's
// certificate to match the URL's host (name or IP address). Returns false
// when OpenSSL refuses the settings.
bool bind_tls_to_host(ssl_st* ssl, const UpstreamUrl& url);

// Why a handshake failed: "certificate verify failed: self-signed certificate"
// (OpenSSL's verdict on the peer's certificate) when that is the reason, else
// the handshake error itself.
std::string describe_tls_failure(ssl_st* ssl, const std::string& handshake_error);

}  // namespace oa::net
