#include "kite_client.hpp"

namespace oa::zerodha {
namespace {

oa_status status_for(int http_status, std::string_view error_type) {
  if (error_type == "TokenException") return OA_ERR_AUTH;
  if (error_type == "PermissionException") return OA_ERR_AUTH;
  if (http_status == 429) return OA_ERR_RATE_LIMITED;
  if (http_status >= 500 || error_type == "NetworkException") return OA_ERR_UPSTREAM;
  return OA_ERR_BROKER;  // InputException, OrderException, MarginException, DataException, ...
}

std::string member_text(const json::object& document, std::string_view key) {
  const auto* value = document.if_contains(key);
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

}  // namespace

std::string KiteClient::api_key() const {
  auto key = host_.config("BROKER_API_KEY");
  if (!key || key->empty()) throw sdk::Error(OA_ERR_AUTH, "BROKER_API_KEY is not set: it is the Kite Connect app's API key");
  return std::string(*key);
}

std::string KiteClient::api_secret() const {
  auto secret = host_.config("BROKER_API_SECRET");
  if (!secret || secret->empty())
    throw sdk::Error(OA_ERR_AUTH, "BROKER_API_SECRET is not set: it is the Kite Connect app's API secret");
  return std::string(*secret);
}

json::value KiteClient::data_of(const sdk::HttpResponse& response) {
  boost::system::error_code ec;
  json::value body = json::parse(response.body, ec);
  if (ec || !body.is_object()) {
    if (response.status >= 500) throw sdk::Error(OA_ERR_UPSTREAM, "Kite answered HTTP " + std::to_string(response.status));
    throw sdk::Error(OA_ERR_UPSTREAM, "Kite answered HTTP " + std::to_string(response.status) + " with a body that is not JSON");
  }
  const auto& envelope = body.as_object();
  if (response.status >= 200 && response.status < 300 && member_text(envelope, "status") == "success") {
    const auto* data = envelope.if_contains("data");
    return data ? *data : json::value(nullptr);
  }
  auto message = member_text(envelope, "message");
  if (message.empty()) message = "Kite answered HTTP " + std::to_string(response.status) + " without a message";
  throw sdk::Error(status_for(response.status, member_text(envelope, "error_type")), message);
}

json::value KiteClient::request(const sdk::Call& call, sdk::TokenBucket& limit, std::string_view method,
                                std::string_view path, const sdk::FormFields& form) const {
  return send(call, limit, method, path, form.empty() ? "" : "application/x-www-form-urlencoded",
              form.empty() ? std::string() : sdk::form_encode(form));
}

json::value KiteClient::request_json(const sdk::Call& call, sdk::TokenBucket& limit, std::string_view method,
                                     std::string_view path, const json::value& body) const {
  return send(call, limit, method, path, "application/json", json::serialize(body));
}

json::value KiteClient::send(const sdk::Call& call, sdk::TokenBucket& limit, std::string_view method,
                             std::string_view path, std::string_view content_type, std::string_view body) const {
  if (call.auth_token.empty()) throw sdk::Error(OA_ERR_AUTH, "not logged in to Zerodha: open the Kite login and complete /zerodha/callback");
  limit.take_or_throw(host_.now_ms());
  std::vector<std::pair<std::string, std::string>> headers{{"X-Kite-Version", "3"},
                                                           {"Authorization", "token " + std::string(call.auth_token)}};
  if (!content_type.empty()) headers.emplace_back("Content-Type", std::string(content_type));
  return data_of(host_.http(method, api_url() + std::string(path), headers, body, call.deadline_ms));
}

sdk::HttpResponse KiteClient::unauthorised(std::string_view method, std::string_view path, std::string_view body,
                                           std::int64_t deadline_ms) const {
  std::vector<std::pair<std::string, std::string>> headers{{"X-Kite-Version", "3"}};
  if (!body.empty()) headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  return host_.http(method, api_url() + std::string(path), headers, body, deadline_ms);
}

}  // namespace oa::zerodha
