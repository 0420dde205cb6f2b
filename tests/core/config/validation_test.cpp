#include <doctest/doctest.h>

#include "config/config.hpp"
#include "config_test_support.hpp"

namespace oa::config {
namespace {

using testing::EnvFixture;

// The one problem that loading `line` as the whole env file gives, described
// without the file name.
std::string problem_with(std::string_view line) {
  const EnvFixture env(line);
  const auto problems = env.load().problems;
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].severity == Severity::Error);
  const std::string text = describe(problems[0]);
  const std::string prefix = env.env_file.string() + ":";
  REQUIRE(text.starts_with(prefix));
  return text.substr(prefix.size());
}

bool accepted(std::string_view text) { return EnvFixture(text).load().problems.empty(); }

}  // namespace

TEST_SUITE("config") {
  TEST_CASE("an integer setting must be a whole number within its range") {
    CHECK(problem_with("DB_POOL_SIZE=abc") == "1: DB_POOL_SIZE: 'abc' is not a whole number");
    CHECK(problem_with("DB_POOL_SIZE=0") == "1: DB_POOL_SIZE: '0' is out of range; use 1..256");
    CHECK(problem_with("DB_POOL_SIZE=257") == "1: DB_POOL_SIZE: '257' is out of range; use 1..256");
    CHECK(accepted("DB_POOL_SIZE=256\nHTTP_THREADS=0"));
  }

  TEST_CASE("a port must be 1..65535, or 0 to pick a free port") {
    CHECK(problem_with("HTTP_PORT=70000") ==
          "1: HTTP_PORT: '70000' is not a port number; use 1..65535, or 0 to pick a free port");
    CHECK(problem_with("FLASK_PORT=http") ==
          "1: HTTP_PORT: 'http' is not a port number; use 1..65535, or 0 to pick a free port");
    CHECK(problem_with("WEBSOCKET_PORT=-1") ==
          "1: WEBSOCKET_PORT: '-1' is not a port number; use 1..65535, or 0 to pick a free port");
    CHECK(accepted("HTTP_PORT=0\nWEBSOCKET_PORT=65535"));
  }

  TEST_CASE("a boolean setting must be true or false") {
    CHECK(problem_with("LOG_COLORS=maybe") == "1: LOG_COLORS: 'maybe' is not a boolean; use true or false");
  }

  TEST_CASE("a rate limit setting must read like '10 per second'") {
    CHECK(problem_with("API_RATE_LIMIT=abc") ==
          "1: API_RATE_LIMIT: 'abc' is not a rate like '10 per second' (N per second, minute, hour or day; "
          "join several with ';')");
    CHECK(accepted("ORDER_RATE_LIMIT='10 per second;40 per minute'"));
  }

  TEST_CASE("a decimal setting must be a number within its range") {
    CHECK(problem_with("SANDBOX_FUTURES_LEVERAGE=ten") == "1: SANDBOX_FUTURES_LEVERAGE: 'ten' is not a number");
    CHECK(problem_with("SANDBOX_FUTURES_LEVERAGE=0.5") ==
          "1: SANDBOX_FUTURES_LEVERAGE: '0.5' is out of range; use 1..50");
    CHECK(problem_with("SANDBOX_EQUITY_MIS_LEVERAGE=51") ==
          "1: SANDBOX_EQUITY_MIS_LEVERAGE: '51' is out of range; use 1..50");
    CHECK(accepted("SANDBOX_FUTURES_LEVERAGE=12.5\nSANDBOX_OPTION_SELL_LEVERAGE=50"));
  }

  TEST_CASE("a decimal setting with choices must equal one of them") {
    CHECK(problem_with("SANDBOX_STARTING_CAPITAL=200000") ==
          "1: SANDBOX_STARTING_CAPITAL: '200000' is not one of 100000, 500000, 1000000, 2500000, 5000000, "
          "10000000");
    CHECK(accepted("SANDBOX_STARTING_CAPITAL=10000000.00"));
    CHECK(accepted("SANDBOX_STARTING_CAPITAL=100000"));
  }

  TEST_CASE("a choice setting must be one of its values, in any case") {
    CHECK(problem_with("SANDBOX_RESET_DAY=Funday") ==
          "1: SANDBOX_RESET_DAY: 'Funday' is not one of Never, Monday, Tuesday, Wednesday, Thursday, Friday, "
          "Saturday, Sunday");
    CHECK(accepted("SANDBOX_RESET_DAY=sunday\nSANDBOX_GTT_OCO_MARGIN_MODE=SUM"));
  }

  TEST_CASE("a time setting must be HH:MM") {
    CHECK(problem_with("SESSION_EXPIRY_TIME=25:00") ==
          "1: SESSION_EXPIRY_TIME: '25:00' is not a time like '03:00' (HH:MM, 24-hour, IST)");
  }

  TEST_CASE("the log level must be a known level") {
    CHECK(problem_with("LOG_LEVEL=VERBOSE") ==
          "1: LOG_LEVEL: 'VERBOSE' is not a log level; use DEBUG, INFO, WARNING, ERROR or CRITICAL");
    CHECK(accepted("LOG_LEVEL=warn"));
  }

  TEST_CASE("the WebSocket URL must be ws:// or wss://") {
    CHECK(problem_with("WEBSOCKET_URL=http://127.0.0.1:8765") ==
          "1: WEBSOCKET_URL: 'http://127.0.0.1:8765' must start with ws:// or wss://");
    CHECK(problem_with("WEBSOCKET_URL=wss://") == "1: WEBSOCKET_URL: 'wss://' has nothing after wss://");
  }

  TEST_CASE("the database URL must be SQLite or PostgreSQL, and a bad one is shown without its password") {
    CHECK(problem_with("DATABASE_URL=mysql://oa:hunter2@db/oa") ==
          "1: DATABASE_URL: 'mysql://oa:***@db/oa' must start with sqlite:/// or postgresql:// or postgres://");
    CHECK(accepted("DATABASE_URL=postgresql://oa:hunter2@db:5432/oa"));
    CHECK(accepted("DATABASE_URL=postgres://db/oa"));
  }

  TEST_CASE("the redirect URL is empty or ends in a valid broker's callback") {
    CHECK(accepted("REDIRECT_URL="));
    CHECK(accepted("REDIRECT_URL=https://trade.example.com/Zerodha/callback"));
    CHECK(problem_with("REDIRECT_URL='http://127.0.0.1:5000/<broker>/callback'") ==
          "1: REDIRECT_URL: still has the sample's '<broker>'; put your broker's id there, e.g. "
          "http://127.0.0.1:5000/zerodha/callback, or leave it empty");
    CHECK(problem_with("REDIRECT_URL=ftp://host/zerodha/callback") ==
          "1: REDIRECT_URL: 'ftp://host/zerodha/callback' must start with http:// or https://");
    CHECK(problem_with("REDIRECT_URL=http://127.0.0.1:5000/zerodha") ==
          "1: REDIRECT_URL: 'http://127.0.0.1:5000/zerodha' must end in /<broker>/callback, e.g. "
          "http://127.0.0.1:5000/zerodha/callback");
    CHECK(problem_with("REDIRECT_URL=http://127.0.0.1:5000/callback") ==
          "1: REDIRECT_URL: 'http://127.0.0.1:5000/callback' must end in /<broker>/callback, e.g. "
          "http://127.0.0.1:5000/zerodha/callback");
    CHECK(problem_with("REDIRECT_URL=http://127.0.0.1:5000/nobroker/callback") ==
          "1: REDIRECT_URL: 'http://127.0.0.1:5000/nobroker/callback' names broker 'nobroker', which is not in "
          "VALID_BROKERS");
  }

  TEST_CASE("the redirect URL's broker is checked against the configured VALID_BROKERS") {
    CHECK(accepted("VALID_BROKERS=mybroker\nREDIRECT_URL=http://h/mybroker/callback"));
    CHECK_FALSE(accepted("VALID_BROKERS=mybroker\nREDIRECT_URL=http://h/zerodha/callback"));
  }

  TEST_CASE("the active broker must be a valid broker") {
    CHECK(accepted("ACTIVE_BROKER=simulator"));
    CHECK(problem_with("ACTIVE_BROKER=nobroker") == "1: ACTIVE_BROKER: 'nobroker' is not in VALID_BROKERS");
  }

  TEST_CASE("TLS files must exist, and be given both or neither") {
    const EnvFixture env;
    testing::write_file(env.dir / "cert.pem", "cert");
    testing::write_file(env.dir / "key.pem", "key");
    const std::string cert = (env.dir / "cert.pem").string();
    const std::string key = (env.dir / "key.pem").string();
    CHECK(env.load({{"TLS_CERT_FILE", cert}, {"TLS_KEY_FILE", key}}).problems.empty());

    const auto one_sided = env.load({{"TLS_CERT_FILE", cert}}).problems;
    CHECK(testing::described(one_sided) ==
          "environment: TLS_KEY_FILE: is empty but TLS_CERT_FILE is set; set both for HTTPS, or neither\n");

    const std::string absent = (env.dir / "absent.pem").string();
    const auto missing = env.load({{"TLS_CERT_FILE", absent}, {"TLS_KEY_FILE", key}}).problems;
    CHECK(testing::described(missing) ==
          "environment: TLS_CERT_FILE: '" + absent + "' does not exist or is not a regular file\n");
  }

  TEST_CASE("the log dir must not be an existing file") {
    const EnvFixture env;
    testing::write_file(env.dir / "not-a-dir", "");
    const std::string file = (env.dir / "not-a-dir").string();
    CHECK(testing::described(env.load({{"LOG_DIR", file}}).problems) ==
          "environment: LOG_DIR: '" + file + "' exists but is not a directory\n");
    CHECK(env.load({{"LOG_DIR", (env.dir / "not-yet").string()}}).problems.empty());
  }

  TEST_CASE("a secret that is too short is an error that does not show it") {
    CHECK(problem_with("APP_KEY=short-secret") == "1: APP_KEY: must be at least 32 characters long (it has 12)");
    CHECK(problem_with("API_KEY_PEPPER=short-secret") ==
          "1: API_KEY_PEPPER: must be at least 32 characters long (it has 12)");
  }

  TEST_CASE("the Fernet salt must be at least 32 hex characters") {
    CHECK(problem_with("FERNET_SALT=0123456789abcdef") ==
          "1: FERNET_SALT: must be at least 32 hexadecimal characters (0-9, a-f)");
    CHECK(problem_with("FERNET_SALT=ghijklmnopqrstuvwxyzghijklmnopqrstuv") ==
          "1: FERNET_SALT: must be at least 32 hexadecimal characters (0-9, a-f)");
    CHECK(accepted("FERNET_SALT=0123456789abcdef0123456789ABCDEF"));
  }

  TEST_CASE("missing or placeholder secrets are left for ensure_secrets without a problem") {
    CHECK(accepted("APP_KEY=\nAPI_KEY_PEPPER=\nFERNET_SALT="));
    CHECK(accepted("APP_KEY = 'OPENALGO_PLACEHOLDER_APP_KEY_REGENERATE_BEFORE_USE'\n"
                   "API_KEY_PEPPER = 'OPENALGO_PLACEHOLDER_API_KEY_PEPPER_REGENERATE_BEFORE_USE'\n"
                   "FERNET_SALT = 'OPENALGO_PLACEHOLDER_FERNET_SALT_REGENERATE_BEFORE_USE'\n"));
  }

  TEST_CASE("secret values never appear in any problem") {
    const std::vector<std::string> secrets = {"tiny-app-key", "tiny-pepper", "not-hex-salt-zzzz",
                                              "broker-key-1234", "broker-secret-5678", "db-pass-9"};
    const EnvFixture env("APP_KEY=tiny-app-key\n"
                         "APP_KEY=tiny-app-key\n"
                         "API_KEY_PEPPER='tiny-pepper\n"
                         "API_KEY_PEPPER=tiny-pepper\n"
                         "FERNET_SALT=not-hex-salt-zzzz\n"
                         "BROKER_API_KEY=broker-key-1234 trailing\n"
                         "BROKER_API_SECRET='broker-secret-5678' junk\n"
                         "DATABASE_URL=mysql://u:db-pass-9@h/d\n");
    const auto problems = env.load({{"BROKER_API_KEY", "broker-key-1234"}}).problems;
    CHECK(problems.size() >= 6);
    const std::string text = testing::described(problems);
    for (const auto& secret : secrets) {
      CAPTURE(secret);
      CHECK(text.find(secret) == std::string::npos);
    }
  }
}

}  // namespace oa::config
