#include "auth.hpp"

#include <sodium.h>

namespace oa::zerodha {
namespace {

std::string field(const json::object& request, std::string_view key) {
  const auto* value = request.if_contains(key);
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

}  // namespace

std::string login_checksum(std::string_view api_key, std::string_view request_token, std::string_view api_secret) {
  std::string message = std::string(api_key) + std::string(request_token) + std::string(api_secret);
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(message.data()), message.size());
  sodium_memzero(message.data(), message.size());  // it holds the API secret
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

// Kite appends redirect_params to its redirect to /zerodha/callback, so the
// host's one-time state comes back with the request_token.
json::value login_url(const KiteClient& kite, const json::object& request) {
  auto login = kite.host().config_or("ZERODHA_LOGIN_URL", kDefaultLoginUrl);
  return json::object{{"login_url", login + "?v=3&api_key=" + sdk::url_encode(kite.api_key()) + "&redirect_params=" +
                                        sdk::url_encode("state=" + field(request, "state"))}};
}

json::value authenticate(const KiteClient& kite, const sdk::Call& call, const json::object& request) {
  if (field(request, "action") == "login_url") return login_url(kite, request);
  auto api_key = kite.api_key();
  if (field(request, "status") == "error")
    throw sdk::Error(OA_ERR_AUTH, "Kite reported a failed login: " + field(request, "message"));
  auto request_token = field(request, "request_token");
  if (request_token.empty()) request_token = field(request, "code");
  if (request_token.empty()) {
    auto login = kite.host().config_or("ZERODHA_LOGIN_URL", kDefaultLoginUrl);
    throw sdk::Error(OA_ERR_INVALID_ARGUMENT, "request_token is required: log in at " + login + "?v=3&api_key=" +
                                                  api_key + " and Kite redirects to /zerodha/callback with it");
  }
  sdk::FormFields form{{"api_key", api_key},
                       {"request_token", request_token},
                       {"checksum", login_checksum(api_key, request_token, kite.api_secret())}};
  auto data = KiteClient::data_of(kite.unauthorised("POST", "/session/token", sdk::form_encode(form), call.deadline_ms));
  const auto* session = data.if_object();
  const auto* access = session ? session->if_contains("access_token") : nullptr;
  if (!access || !access->is_string() || access->get_string().empty())
    throw sdk::Error(OA_ERR_BROKER, "Kite's session answer has no access_token");
  return json::object{{"auth_token", api_key + ":" + std::string(access->get_string())},
                      {"feed_token", ""},
                      {"broker_user_id", field(*session, "user_id")}};
}

std::string_view access_token_of(std::string_view auth_token) {
  auto colon = auth_token.find(':');
  return colon == std::string_view::npos ? auth_token : auth_token.substr(colon + 1);
}

}  // namespace oa::zerodha
