// auth.hpp — Kite Connect's login (brokers.md §3.1): the browser goes to
// ZERODHA_LOGIN_URL?v=3&api_key=..., Kite redirects to /zerodha/callback with
// a request_token, and that token is exchanged for an access token with
// checksum = hex SHA-256(api_key + request_token + api_secret).
#pragma once

#include <string>
#include <string_view>

#include "kite_client.hpp"

namespace oa::zerodha {

inline constexpr std::string_view kDefaultLoginUrl = "https://kite.zerodha.com/connect/login";

std::string login_checksum(std::string_view api_key, std::string_view request_token, std::string_view api_secret);

// The callback's fields -> {"auth_token": "<api_key>:<access_token>", "feed_token", "broker_user_id"}.
// {"action":"login_url","state":S} -> {"login_url": Kite's login page, which redirects back with state=S}.
// OpenAlgo stores Zerodha's token as api_key:access_token, which is what the
// Authorization header and the ticker need.
json::value authenticate(const KiteClient& kite, const sdk::Call& call, const json::object& request);

// The access token part of a stored auth token.
std::string_view access_token_of(std::string_view auth_token);

}  // namespace oa::zerodha
