#include "auth.hpp"

#include <algorithm>
#include <cctype>

namespace oa::angel {
namespace {

inline constexpr std::string_view kLoginPath = "/rest/auth/angelbroking/user/v1/loginByPassword";

// The first of `keys` present as a non-empty string.
std::string field(const json::object& request, std::initializer_list<std::string_view> keys) {
  for (auto key : keys) {
    const auto* value = request.if_contains(key);
    if (value && value->is_string() && !value->get_string().empty()) return std::string(value->get_string());
  }
  return {};
}

std::string required(const json::object& request, std::initializer_list<std::string_view> keys, std::string_view what) {
  auto value = field(request, keys);
  if (value.empty()) throw sdk::Error(OA_ERR_INVALID_ARGUMENT, std::string(what) + " is required to log in to Angel One");
  return value;
}

bool six_digits(std::string_view totp) {
  return totp.size() == 6 && std::all_of(totp.begin(), totp.end(), [](unsigned char c) { return std::isdigit(c); });
}

std::string text_member(const json::value& data, std::string_view key) {
  const auto* object = data.if_object();
  const auto* value = object ? object->if_contains(key) : nullptr;
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

// SmartAPI hands the JWT back as "Bearer <jwt>"; the session keeps the bare token.
std::string bare_token(std::string token) {
  constexpr std::string_view kBearer = "Bearer ";
  if (token.starts_with(kBearer)) token.erase(0, kBearer.size());
  return token;
}

}  // namespace

json::value authenticate(SmartApiClient& smartapi, const sdk::Call& call, const json::object& request) {
  auto client_code = required(request, {"userid", "clientcode"}, "the client code (userid)");
  auto pin = required(request, {"pin", "password"}, "the PIN");
  auto totp = required(request, {"totp"}, "the TOTP");
  if (!six_digits(totp))
    throw sdk::Error(OA_ERR_INVALID_ARGUMENT, "the TOTP must be the 6 digits your authenticator shows");
  auto data = smartapi.login(kLoginPath, json::object{{"clientcode", client_code}, {"password", pin}, {"totp", totp}},
                             call.deadline_ms);
  auto jwt = bare_token(text_member(data, "jwtToken"));
  if (jwt.empty()) throw sdk::Error(OA_ERR_BROKER, "Angel's login answer has no jwtToken");
  return json::object{{"auth_token", jwt}, {"feed_token", text_member(data, "feedToken")},
                      {"broker_user_id", client_code}};
}

}  // namespace oa::angel
