// The broker login flow end to end: OpenAlgo's /<broker>/callback with its
// one-time state (login CSRF), and `openalgod broker login|logout`, against
// the login test broker, whose funds answer only with the access token its
// login produced.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include <boost/json.hpp>

#include "support/account.hpp"
#include "support/broker_login.hpp"
#include "support/daemon_process.hpp"
#include "support/http_client.hpp"

namespace json = boost::json;
using namespace oa::test;

namespace {

std::vector<std::string> login_broker_settings() {
  return {"--set", std::string("PLUGIN_DIRS=") + OPENALGOD_PLUGIN_DIR + ":" + TEST_PLUGIN_DIR, "--set",
          "VALID_BROKERS=loginbroker"};
}

std::vector<std::string> with_settings(std::vector<std::string> args) {
  for (auto& setting : login_broker_settings()) args.push_back(setting);
  return args;
}

json::object body_of(const HttpReply& reply) { return json::parse(reply.body).as_object(); }

std::string broker_of(std::uint16_t port, const std::string& key) {
  auto pong = http(port, "POST", "/api/v1/ping", R"({"apikey":")" + key + R"("})");
  REQUIRE(pong.status == 200);
  return std::string(body_of(pong).at("data").at("broker").as_string());
}

}  // namespace

TEST_SUITE("broker login") {
  TEST_CASE("the OAuth callback logs the administrator in and the broker serves their requests") {
    Account account;
    Daemon daemon(account.dir.path(), login_broker_settings());
    CHECK(broker_of(daemon.port(), account.api_key) == "simulator");
    auto state = login_state(daemon.port(), account.api_key, "loginbroker");
    auto reply = http(daemon.port(), "GET",
                      "/loginbroker/callback?request_token=good-token&action=login&status=success&state=" + state);
    REQUIRE(reply.status == 200);
    CHECK(body_of(reply).at("status") == "success");
    CHECK(body_of(reply).at("broker") == "loginbroker");
    CHECK(broker_of(daemon.port(), account.api_key) == "loginbroker");
    auto funds = http(daemon.port(), "POST", "/api/v1/funds", R"({"apikey":")" + account.api_key + R"("})");
    CHECK(funds.status == 200);
    CHECK(body_of(funds).at("data").at("availablecash") == "100.00");
  }

  TEST_CASE("a login the broker refuses answers 401 with the broker's message and changes nothing") {
    Account account;
    Daemon daemon(account.dir.path(), login_broker_settings());
    auto state = login_state(daemon.port(), account.api_key, "loginbroker");
    auto reply = http(daemon.port(), "GET", "/loginbroker/callback?request_token=stale&state=" + state);
    CHECK(reply.status == 401);
    CHECK(body_of(reply) == json::parse(R"({"status":"error","message":"Token is invalid or has expired."})"));
    CHECK(broker_of(daemon.port(), account.api_key) == "simulator");
  }

  TEST_CASE("a credentials form POSTed to the callback logs in") {
    Account account;
    Daemon daemon(account.dir.path(), login_broker_settings());
    auto state = login_state(daemon.port(), account.api_key, "loginbroker");
    auto reply = http(daemon.port(), "POST", "/loginbroker/callback", "userid=C1&pin=1234&totp=123456&state=" + state,
                      "application/x-www-form-urlencoded");
    CHECK(reply.status == 200);
    CHECK(broker_of(daemon.port(), account.api_key) == "loginbroker");
  }

  TEST_CASE("the access token appears neither in the callback's answer nor in the daemon's output") {
    Account account;
    Daemon daemon(account.dir.path(), login_broker_settings());
    auto state = login_state(daemon.port(), account.api_key, "loginbroker");
    auto reply = http(daemon.port(), "GET", "/loginbroker/callback?request_token=good-token&state=" + state);
    REQUIRE(reply.status == 200);
    CHECK(reply.body.find("access-good-token") == std::string::npos);
    CHECK(daemon.output().find("access-good-token") == std::string::npos);
  }

  TEST_CASE("the login URL carries a fresh state the broker sends back to the callback") {
    Account account;
    Daemon daemon(account.dir.path(), login_broker_settings());
    auto answer = login_url_answer(daemon.port(), account.api_key, "loginbroker");
    const auto& data = answer.at("data").as_object();
    CHECK(data.at("broker") == "loginbroker");
    CHECK(data.at("expires_in") == 600);
    CHECK(data.at("login_url").as_string() == "https://broker.example/login?state=" + std::string(data.at("state").as_string()));
    CHECK(login_state(daemon.port(), account.api_key, "loginbroker") != data.at("state").as_string());
  }

  TEST_CASE("a callback without a state is refused and logs no one in") {
    Account account;
    Daemon daemon(account.dir.path(), login_broker_settings());
    auto reply = http(daemon.port(), "GET", "/loginbroker/callback?request_token=good-token&action=login&status=success");
    CHECK(reply.status == 403);
    CHECK(body_of(reply).at("status") == "error");
    CHECK(body_of(reply).at("message").as_string().starts_with("This login carries no state"));
    CHECK(broker_of(daemon.port(), account.api_key) == "simulator");
  }

  TEST_CASE("a state is good for one callback only") {
    Account account;
    Daemon daemon(account.dir.path(), login_broker_settings());
    auto state = login_state(daemon.port(), account.api_key, "loginbroker");
    REQUIRE(http(daemon.port(), "GET", "/loginbroker/callback?request_token=stale&state=" + state).status == 401);
    auto reused = http(daemon.port(), "GET", "/loginbroker/callback?request_token=good-token&state=" + state);
    CHECK(reused.status == 403);
    CHECK(body_of(reused).at("message").as_string().starts_with("This login's state is unknown, used or expired"));
    CHECK(broker_of(daemon.port(), account.api_key) == "simulator");
  }

  TEST_CASE("a credentials login URL opened without the form keeps its state for the form") {
    Account account;
    Daemon daemon(account.dir.path(), login_broker_settings());
    auto state = login_state(daemon.port(), account.api_key, "loginbroker");
    auto opened = http(daemon.port(), "GET", "/loginbroker/callback?state=" + state);
    CHECK(opened.status == 400);
    CHECK(body_of(opened).at("message").as_string().starts_with("Nothing to log in with"));
    auto reply = http(daemon.port(), "POST", "/loginbroker/callback?state=" + state, "userid=C1&pin=1234&totp=123456",
                      "application/x-www-form-urlencoded");
    CHECK_MESSAGE(reply.status == 200, reply.body);
  }

  TEST_CASE("a state past BROKER_LOGIN_STATE_SECONDS is refused") {
    Account account;
    auto settings = login_broker_settings();
    settings.insert(settings.end(), {"--set", "BROKER_LOGIN_STATE_SECONDS=1"});
    Daemon daemon(account.dir.path(), settings);
    auto state = login_state(daemon.port(), account.api_key, "loginbroker");
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    auto expired = http(daemon.port(), "GET", "/loginbroker/callback?request_token=good-token&state=" + state);
    CHECK(expired.status == 403);
    CHECK(broker_of(daemon.port(), account.api_key) == "simulator");
  }

  TEST_CASE("a login URL is given only for a loaded broker with a login, and only with a valid API key") {
    Account account;
    Daemon daemon(account.dir.path(), login_broker_settings());
    auto ask = [&](const std::string& key, const std::string& broker) {
      return http(daemon.port(), "POST", "/api/v1/broker/login_url",
                  json::serialize(json::object{{"apikey", key}, {"broker", broker}}));
    };
    CHECK(ask(account.api_key, "simulator").status == 404);
    CHECK(ask(account.api_key, "nosuch").status == 404);
    CHECK(ask("0000", "loginbroker").status == 403);
  }

  TEST_CASE("a broker plugin loaded after start has its callback without a restart") {
    Account account;
    TempDir hot;
    Daemon daemon(account.dir.path(), {"--set", std::string("PLUGIN_DIRS=") + OPENALGOD_PLUGIN_DIR + ":" + hot.path().string(),
                                       "--set", "VALID_BROKERS=loginbroker", "--set", "PLUGIN_WATCH=true"});
    CHECK(http(daemon.port(), "GET", "/loginbroker/callback?request_token=good-token").status == 404);
    std::filesystem::copy_file(std::filesystem::path(TEST_PLUGIN_DIR) / "loginbroker.so", hot.path() / "loginbroker.so");
    auto ask = [&] {
      return http(daemon.port(), "POST", "/api/v1/broker/login_url",
                  json::serialize(json::object{{"apikey", account.api_key}, {"broker", "loginbroker"}}));
    };
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (ask().status != 200 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    auto state = login_state(daemon.port(), account.api_key, "loginbroker");
    auto reply = http(daemon.port(), "GET", "/loginbroker/callback?request_token=good-token&state=" + state);
    CHECK_MESSAGE(reply.status == 200, reply.body);
    CHECK(broker_of(daemon.port(), account.api_key) == "loginbroker");
  }

  TEST_CASE("a broker without a login has no callback") {
    Account account;
    Daemon daemon(account.dir.path(), login_broker_settings());
    CHECK(http(daemon.port(), "GET", "/simulator/callback?code=x").status == 404);
  }

  TEST_CASE("openalgod broker login stores the session the daemon then routes to - logout revokes it") {
    Account account;
    auto login = run_openalgod(with_settings({"broker", "login", "loginbroker", "--field", "request_token=good-token",
                                              "--data-dir", account.dir.path().string()}));
    REQUIRE_MESSAGE(login.exit_code == 0, login.err);
    CHECK(login.out == "logged in to loginbroker\n");
    Daemon daemon(account.dir.path(), login_broker_settings());
    CHECK(broker_of(daemon.port(), account.api_key) == "loginbroker");
    auto status = run_openalgod(with_settings({"broker", "status", "--data-dir", account.dir.path().string()}));
    CHECK(status.out.find("alice  loginbroker  LB1234") != std::string::npos);
    auto logout = run_openalgod(
        with_settings({"broker", "logout", "loginbroker", "--data-dir", account.dir.path().string()}));
    CHECK_MESSAGE(logout.exit_code == 0, logout.err);
    // The running daemon notices the logout on its next session check (every 2 s).
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (broker_of(daemon.port(), account.api_key) != "simulator" && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    CHECK(broker_of(daemon.port(), account.api_key) == "simulator");
  }

  TEST_CASE("openalgod broker login reads secret fields from standard input and reports the broker's refusal") {
    Account account;
    auto refused = run_openalgod(
        with_settings({"broker", "login", "loginbroker", "--fields-stdin", "--data-dir", account.dir.path().string()}),
        "userid=C1\npin=0000\n");
    CHECK(refused.exit_code == 1);
    CHECK(refused.err.ends_with("openalgod: login to loginbroker failed: Invalid PIN\n"));
    auto accepted = run_openalgod(
        with_settings({"broker", "login", "loginbroker", "--fields-stdin", "--data-dir", account.dir.path().string()}),
        "userid=C1\npin=1234\n");
    CHECK_MESSAGE(accepted.exit_code == 0, accepted.err);
  }
}
