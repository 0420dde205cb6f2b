#pragma once
// Broker logins through the daemon's callback: the one-time state a callback
// must carry, asked for with the user's API key.
#include <cstdint>
#include <string>

#include <boost/json.hpp>
#include <doctest/doctest.h>

#include "support/http_client.hpp"

namespace oa::test {

// POST /api/v1/broker/login_url's whole answer.
inline boost::json::object login_url_answer(std::uint16_t port, const std::string& api_key, const std::string& broker) {
  auto reply = http(port, "POST", "/api/v1/broker/login_url",
                    boost::json::serialize(boost::json::object{{"apikey", api_key}, {"broker", broker}}));
  REQUIRE_MESSAGE(reply.status == 200, reply.body);
  return boost::json::parse(reply.body).as_object();
}

// A fresh one-time state for `broker`, issued to the key's user.
inline std::string login_state(std::uint16_t port, const std::string& api_key, const std::string& broker) {
  return std::string(login_url_answer(port, api_key, broker).at("data").at("state").as_string());
}

// What Kite does once the person logged in at `login_url`: redirects to
// /zerodha/callback with the request token, appending the URL's
// redirect_params (percent-decoded) as they are.
inline std::string kite_redirect(const std::string& login_url, const std::string& request_token) {
  auto at = login_url.find("redirect_params=");
  REQUIRE(at != std::string::npos);
  std::string params;
  for (auto i = at + 16; i < login_url.size() && login_url[i] != '&'; ++i) {
    if (login_url[i] == '%' && i + 2 < login_url.size()) {
      params += static_cast<char>(std::stoi(login_url.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      params += login_url[i];
    }
  }
  return "/zerodha/callback?request_token=" + request_token + "&action=login&status=success&" + params;
}

}  // namespace oa::test
