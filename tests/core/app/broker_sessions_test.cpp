// Broker logins through a plugin's authenticate: what is stored, what is
// refused, and when a session ends (logout, SESSION_EXPIRY_TIME).
#include <doctest/doctest.h>

#include <chrono>
#include <fstream>
#include <iterator>

#include "app/broker_sessions.hpp"
#include "sandbox/ist_time.hpp"
#include "store/broker_auth.hpp"
#include "store/database_url.hpp"
#include "store/users.hpp"
#include "support/daemon_process.hpp"

using namespace oa;

namespace {

using Settings = std::map<std::string, std::string>;

const char* kPepper = "pepper-pepper-pepper-pepper-pepper-pepper";
const char* kSalt = "00112233445566778899aabbccddeeff";

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// What the daemon starts from, without its logging: settings, store, keyring, accounts.
app::Runtime make_runtime(const std::filesystem::path& dir, std::map<std::string, std::string> settings) {
  settings["API_KEY_PEPPER"] = kPepper;
  settings["FERNET_SALT"] = kSalt;
  app::Runtime runtime{app::load_config(app::ConfigSource{std::nullopt, dir, settings}), nullptr, nullptr, nullptr, {}, {}};
  runtime.store = store::Store::open(store::parse_database_url("sqlite:///" + (dir / "t.db").string()), 2);
  security::init_crypto();
  runtime.keyring = std::make_unique<security::Keyring>(security::Keyring::derive(kPepper, kSalt));
  runtime.accounts = std::make_unique<security::Accounts>(*runtime.store, *runtime.keyring);
  return runtime;
}

// A data directory with an administrator and the login test broker loaded.
struct Fixture {
  test::TempDir dir;
  app::Runtime runtime;
  std::unique_ptr<plugins::PluginHost> host;
  std::unique_ptr<app::BrokerSessions> sessions;
  std::int64_t admin = 0;

  explicit Fixture(std::map<std::string, std::string> settings = {}) : runtime(make_runtime(dir.path(), std::move(settings))) {
    admin = runtime.accounts->add_user("admin", "Str0ng!pass", true);
    plugins::HostOptions options;
    options.copy_dir = dir.path() / "loaded";
    options.workers = 2;
    host = std::make_unique<plugins::PluginHost>(std::move(options), plugins::HostServices{});
    host->load(std::filesystem::path(TEST_PLUGIN_DIR) / "loginbroker.so");
    host->load(std::filesystem::path(TEST_PLUGIN_DIR) / "testbroker.so");
    sessions = std::make_unique<app::BrokerSessions>(runtime, *host, [](const std::string& broker) {
      return broker != "forbidden";
    });
  }

  std::string database_bytes() const {
    std::ifstream in(dir.path() / "t.db", std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }
};

}  // namespace

TEST_SUITE("broker sessions") {
  TEST_CASE("a successful login stores the plugin's tokens, decryptable only through the keyring") {
    Fixture fixture;
    auto outcome = fixture.sessions->login_and_wait(fixture.admin, "loginbroker", R"({"request_token":"good-token"})");
    REQUIRE(outcome.ok());
    auto login = fixture.runtime.accounts->broker_login(fixture.admin);
    REQUIRE(login);
    CHECK(login->broker == "loginbroker");
    CHECK(login->auth_token == "access-good-token");
    CHECK(login->feed_token == "feed-1");
    CHECK(login->broker_user_id == "LB1234");
    CHECK(fixture.database_bytes().find("access-good-token") == std::string::npos);
  }

  TEST_CASE("a login the broker refuses stores nothing and carries the broker's message") {
    Fixture fixture;
    auto outcome = fixture.sessions->login_and_wait(fixture.admin, "loginbroker", R"({"request_token":"stale"})");
    CHECK(outcome.status == OA_ERR_AUTH);
    CHECK(outcome.message == "Token is invalid or has expired.");
    CHECK_FALSE(fixture.runtime.accounts->broker_login(fixture.admin));
  }

  TEST_CASE("a broker without a login, an unknown one and one outside VALID_BROKERS are refused by name") {
    Fixture fixture;
    CHECK(fixture.sessions->login_refusal("testbroker") == "broker 'testbroker' has no login");
    CHECK(fixture.sessions->login_refusal("nosuch") == "no broker plugin 'nosuch' is loaded");
    CHECK_FALSE(fixture.sessions->login_refusal("loginbroker"));
    CHECK(fixture.sessions->login_and_wait(fixture.admin, "testbroker", "{}").status == OA_ERR_INVALID_ARGUMENT);
  }

  TEST_CASE("the callback's user is the administrator") {
    Fixture fixture;
    fixture.runtime.accounts->add_user("bob", "Str0ng!pass", false);
    CHECK(fixture.sessions->default_user() == fixture.admin);
  }

  TEST_CASE("logout revokes the session and erases its tokens") {
    Fixture fixture;
    REQUIRE(fixture.sessions->login_and_wait(fixture.admin, "loginbroker", R"({"request_token":"good-token"})").ok());
    CHECK(fixture.sessions->logout(fixture.admin, "loginbroker"));
    CHECK_FALSE(fixture.runtime.accounts->broker_login(fixture.admin));
    CHECK_FALSE(fixture.sessions->latest_broker());
    CHECK_FALSE(fixture.sessions->logout(fixture.admin, "loginbroker"));
  }

  TEST_CASE("the latest live login names the broker that should be active") {
    Fixture fixture;
    CHECK_FALSE(fixture.sessions->latest_broker());
    REQUIRE(fixture.sessions->login_and_wait(fixture.admin, "loginbroker", R"({"userid":"C1","pin":"1234"})").ok());
    CHECK(fixture.sessions->latest_broker() == "loginbroker");
  }

  TEST_CASE("the session with a broker is found for work done on no user's behalf") {
    Fixture fixture;
    CHECK_FALSE(fixture.sessions->session_with("loginbroker"));
    REQUIRE(fixture.sessions->login_and_wait(fixture.admin, "loginbroker", R"({"request_token":"good-token"})").ok());
    auto session = fixture.sessions->session_with("loginbroker");
    REQUIRE(session);
    CHECK(session->auth_token == "access-good-token");
    CHECK_FALSE(fixture.sessions->session_with("testbroker"));
  }

  TEST_CASE("the session with a broker is gone once its user logs out") {
    Fixture fixture;
    REQUIRE(fixture.sessions->login_and_wait(fixture.admin, "loginbroker", R"({"request_token":"good-token"})").ok());
    REQUIRE(fixture.sessions->session_with("loginbroker"));
    REQUIRE(fixture.sessions->logout(fixture.admin, "loginbroker"));
    CHECK_FALSE(fixture.sessions->session_with("loginbroker"));
  }

  TEST_CASE("the session with a broker follows a new login and an expiry") {
    Fixture fixture(Settings{{"SESSION_EXPIRY_TIME", "03:00"}});
    REQUIRE(fixture.sessions->login_and_wait(fixture.admin, "loginbroker", R"({"request_token":"good-token"})").ok());
    REQUIRE(fixture.sessions->session_with("loginbroker")->auth_token == "access-good-token");
    REQUIRE(fixture.sessions->login_and_wait(fixture.admin, "loginbroker", R"({"userid":"C2","pin":"1234"})").ok());
    CHECK(fixture.sessions->session_with("loginbroker")->auth_token == "access-C2");
    auto next_boundary = sandbox::last_daily_boundary(now_ms(), sandbox::at(3, 0)) + sandbox::kDayMs;
    REQUIRE(fixture.sessions->expire(next_boundary) == 1);
    CHECK_FALSE(fixture.sessions->session_with("loginbroker"));
  }

  TEST_CASE("a session from before the last SESSION_EXPIRY_TIME is revoked, a later one is kept") {
    Fixture fixture(Settings{{"SESSION_EXPIRY_TIME", "03:00"}});
    REQUIRE(fixture.sessions->login_and_wait(fixture.admin, "loginbroker", R"({"request_token":"good-token"})").ok());
    CHECK(fixture.sessions->expire(now_ms()) == 0);
    auto next_boundary = sandbox::last_daily_boundary(now_ms(), sandbox::at(3, 0)) + sandbox::kDayMs;
    CHECK(fixture.sessions->expire(next_boundary - 1) == 0);
    CHECK(fixture.sessions->expire(next_boundary) == 1);
    CHECK_FALSE(fixture.runtime.accounts->broker_login(fixture.admin));
  }

  TEST_CASE("DISABLE_SESSION_EXPIRY keeps sessions across the boundary") {
    Fixture fixture(Settings{{"DISABLE_SESSION_EXPIRY", "true"}});
    REQUIRE(fixture.sessions->login_and_wait(fixture.admin, "loginbroker", R"({"request_token":"good-token"})").ok());
    CHECK(fixture.sessions->expire(now_ms() + 2 * sandbox::kDayMs) == 0);
    CHECK(fixture.runtime.accounts->broker_login(fixture.admin));
  }
}
