#include "cli/daemon_request.hpp"

#include <chrono>

#include <boost/json.hpp>

#include "net/http_client.hpp"
#include "store/users.hpp"

namespace oa::cli {

namespace json = boost::json;

std::string admin_api_key(app::Runtime& runtime) {
  for (const auto& user : store::Users(*runtime.store).list()) {
    if (!user.is_admin) continue;
    if (auto key = runtime.accounts->reveal_api_key(user.username)) return *key;
    throw app::UsageError("the administrator '" + user.username +
                          "' has no API key: run `openalgod apikey issue --username " + user.username + "`");
  }
  throw app::UsageError("there is no administrator: run `openalgod user add --username NAME`");
}

std::string user_api_key(app::Runtime& runtime, const std::string& username) {
  for (const auto& user : store::Users(*runtime.store).list()) {
    if (user.username != username) continue;
    if (auto key = runtime.accounts->reveal_api_key(user.username)) return *key;
    throw app::UsageError("the user '" + username + "' has no API key: run `openalgod apikey issue --username " +
                          username + "`");
  }
  throw app::UsageError("no user '" + username + "' (see `openalgod user list`)");
}

DaemonReply ask_daemon(app::Runtime& runtime, const std::string& path, json::object request,
                       const std::string& api_key) {
  request["apikey"] = api_key;
  auto host = runtime.config.get("HTTP_HOST");
  if (host == "0.0.0.0") host = "127.0.0.1";
  const char* scheme = runtime.config.get("TLS_CERT_FILE").empty() ? "http" : "https";
  net::HttpClient::Options options;
  options.verify_tls = false;  // our own daemon on loopback, often with a self-signed certificate
  net::HttpClient client(options);
  net::ClientRequest http_request;
  http_request.method = "POST";
  http_request.url = std::string(scheme) + "://" + host + ":" + runtime.config.get("HTTP_PORT") + path;
  http_request.headers = {{"Content-Type", "application/json"}};
  http_request.body = json::serialize(request);
  http_request.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  auto outcome = client.send(http_request);
  if (auto* failure = std::get_if<net::ClientError>(&outcome)) return {false, 0, {}, failure->message};
  auto& response = std::get<net::ClientResponse>(outcome);
  boost::system::error_code ec;
  auto body = json::parse(response.body, ec);
  return {true, response.status, ec ? json::value(response.body) : std::move(body), {}};
}

}  // namespace oa::cli
