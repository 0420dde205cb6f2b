#include "net/upstream_tls.hpp"

#include <stdexcept>

#include <boost/asio/ssl/context.hpp>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

namespace oa::net {

boost::asio::ssl::context make_upstream_tls_context(bool verify, const std::string& ca_file) {
  namespace ssl = boost::asio::ssl;
  ssl::context context(ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(context.native_handle(), TLS1_2_VERSION);
  if (!verify) {
    context.set_verify_mode(ssl::verify_none);
    return context;
  }
  context.set_verify_mode(ssl::verify_peer);
  boost::system::error_code ec;
  if (ca_file.empty())
    context.set_default_verify_paths(ec);
  else
    context.load_verify_file(ca_file, ec);
  if (ec)
    throw std::runtime_error("cannot load TLS trust store" + (ca_file.empty() ? "" : " '" + ca_file + "'") + ": " +
                             ec.message());
  return context;
}

bool bind_tls_to_host(ssl_st* ssl, const UpstreamUrl& url) {
  if (url.host_is_ip) return X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), url.host.c_str()) == 1;
  return SSL_set_tlsext_host_name(ssl, url.host.c_str()) == 1 && SSL_set1_host(ssl, url.host.c_str()) == 1;
}

std::string describe_tls_failure(ssl_st* ssl, const std::string& handshake_error) {
  // Without verify_peer OpenSSL still records a verdict, but it did not fail the handshake.
  auto verdict = SSL_get_verify_result(ssl);
  if (verdict == X509_V_OK || (SSL_get_verify_mode(ssl) & SSL_VERIFY_PEER) == 0) return handshake_error;
  return std::string("certificate verify failed: ") + X509_verify_cert_error_string(verdict);
}

}  // namespace oa::net
