#include "smartapi_client.hpp"

namespace oa::angel {
namespace {

std::string member_text(const json::object& document, std::string_view key) {
  const auto* value = document.if_contains(key);
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

// SmartAPI's session error codes: AG8001 invalid token, AG8002 expired,
// AG8003 missing, AB1010 session expired.
bool session_error(std::string_view code) {
  return code == "AG8001" || code == "AG8002" || code == "AG8003" || code == "AB1010";
}

bool truthy(const json::value* flag) {
  if (!flag) return false;
  if (flag->is_bool()) return flag->get_bool();
  if (flag->is_string()) return flag->get_string() == "true";  // modifyOrder has answered "true"
  return false;
}

// Angel's gateway answers an exceeded limit with plain text, not the envelope.
bool rate_limit_text(std::string_view body) {
  return body.find("exceeding access rate") != std::string_view::npos ||
         body.find("Access denied because of exceeding") != std::string_view::npos;
}

}  // namespace

std::string SmartApiClient::api_key() const {
  auto key = host_.config("BROKER_API_KEY");
  if (!key || key->empty()) throw sdk::Error(OA_ERR_AUTH, "BROKER_API_KEY is not set: it is the SmartAPI app's API key");
  return std::string(*key);
}

std::vector<std::pair<std::string, std::string>> SmartApiClient::headers(std::string_view jwt) const {
  // SmartAPI requires the client address headers but does not check their
  // values; the official SDKs send placeholders when they cannot tell.
  std::vector<std::pair<std::string, std::string>> out{{"Content-Type", "application/json"},
                                                       {"Accept", "application/json"},
                                                       {"X-UserType", "USER"},
                                                       {"X-SourceID", "WEB"},
                                                       {"X-ClientLocalIP", "127.0.0.1"},
                                                       {"X-ClientPublicIP", "127.0.0.1"},
                                                       {"X-MACAddress", "00:00:00:00:00:00"},
                                                       {"X-PrivateKey", api_key()}};
  if (!jwt.empty()) out.emplace_back("Authorization", "Bearer " + std::string(jwt));
  return out;
}

json::value SmartApiClient::data_of(const sdk::HttpResponse& response) {
  auto http = std::to_string(response.status);
  if (response.status == 429 || rate_limit_text(response.body))
    throw sdk::Error(OA_ERR_RATE_LIMITED, "Angel refused the request: access rate exceeded; retry in a second");
  boost::system::error_code ec;
  json::value body = json::parse(response.body, ec);
  if (ec || !body.is_object()) {
    if (response.status >= 500) throw sdk::Error(OA_ERR_UPSTREAM, "Angel answered HTTP " + http);
    throw sdk::Error(OA_ERR_UPSTREAM, "Angel answered HTTP " + http + " with a body that is not JSON");
  }
  const auto& envelope = body.as_object();
  auto message = member_text(envelope, "message");
  auto code = member_text(envelope, "errorcode");
  bool ok = response.status >= 200 && response.status < 300 && truthy(envelope.if_contains("status"));
  if (ok) {
    const auto* data = envelope.if_contains("data");
    return data ? *data : json::value(nullptr);
  }
  if (message.empty()) message = "Angel answered HTTP " + http + " without a message";
  if (!code.empty()) message += " (" + code + ")";
  if (session_error(code) || response.status == 401 || response.status == 403)
    throw sdk::Error(OA_ERR_AUTH, message);
  if (response.status >= 500) throw sdk::Error(OA_ERR_UPSTREAM, message);
  throw sdk::Error(OA_ERR_BROKER, message);
}

json::value SmartApiClient::request(const sdk::Call& call, sdk::TokenBucket& limit, std::string_view method,
                                    std::string_view path, const json::value* body) const {
  if (call.auth_token.empty())
    throw sdk::Error(OA_ERR_AUTH, "not logged in to Angel One: submit client code, PIN and TOTP to /angel/callback");
  auto sent = headers(call.auth_token);
  limit.take_or_throw(host_.now_ms());
  auto text = body ? json::serialize(*body) : std::string();
  return data_of(host_.http(method, api_url() + std::string(path), sent, text, call.deadline_ms));
}

json::value SmartApiClient::login(std::string_view path, const json::object& body, std::int64_t deadline_ms) const {
  auto sent = headers({});
  limits_.login.take_or_throw(host_.now_ms());
  return data_of(host_.http("POST", api_url() + std::string(path), sent, json::serialize(body), deadline_ms));
}

}  // namespace oa::angel
