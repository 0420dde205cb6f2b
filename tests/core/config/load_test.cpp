#include <doctest/doctest.h>

#include <algorithm>
#include <stdexcept>

#include "config/config.hpp"
#include "config_test_support.hpp"

namespace oa::config {

using testing::described;
using testing::EnvFixture;

TEST_SUITE("config") {
  TEST_CASE("without an env file every key has its default and there are no problems") {
    const EnvFixture env({}, /*create=*/false);
    const auto [config, problems] = env.load();
    CHECK(described(problems) == "");
    CHECK(config.get("HTTP_HOST") == "127.0.0.1");
    CHECK(config.get_int("HTTP_PORT") == 5000);
    CHECK(config.get("API_RATE_LIMIT") == "50 per second");
    CHECK(config.get_bool("LOG_TO_FILE"));
    CHECK(config.origin("HTTP_PORT") == "default");
  }

  TEST_CASE("the default database lives in the data dir") {
    CHECK(Config("var", {}).get("DATABASE_URL") == "sqlite:///var/openalgo.db");
    CHECK(Config("/srv/openalgod", {}).get("DATABASE_URL") == "sqlite:////srv/openalgod/openalgo.db");
  }

  TEST_CASE("a DATABASE_URL set but empty means the default database in the data dir") {
    const EnvFixture env("DATABASE_URL=\nLOGS_DATABASE_URL=\n");
    const auto loaded = env.load();
    CHECK_MESSAGE(loaded.problems.empty(), described(loaded.problems));
    CHECK(loaded.config.get("DATABASE_URL") == "sqlite:///" + (env.dir / "var" / "openalgo.db").generic_string());
    CHECK(loaded.config.get("LOGS_DATABASE_URL").empty());
  }

  TEST_CASE("the env file beats defaults, the environment beats the file and flags beat everything") {
    const EnvFixture env(
        "LOG_RETENTION=30\n"
        "API_RATE_LIMIT=\"20 per second\"\n"
        "HTTP_PORT=5001\n");
    const auto [config, problems] = env.load({{"API_RATE_LIMIT", "30 per second"}, {"HTTP_PORT", "5002"}},
                                              {{"HTTP_PORT", "5003"}});
    CHECK(described(problems) == "");
    CHECK(config.get("LOG_LEVEL") == "INFO");
    CHECK(config.origin("LOG_LEVEL") == "default");
    CHECK(config.get_int("LOG_RETENTION") == 30);
    CHECK(config.origin("LOG_RETENTION") == env.env_file.string() + ":1");
    CHECK(config.get("API_RATE_LIMIT") == "30 per second");
    CHECK(config.origin("API_RATE_LIMIT") == "environment");
    CHECK(config.get("HTTP_PORT") == "5003");
    CHECK(config.origin("HTTP_PORT") == "flag");
  }

  TEST_CASE("only known names are read from the environment") {
    const EnvFixture env;
    const auto [config, problems] = env.load({{"PATH", "/usr/bin"}, {"SOME_OTHER_TOOL", "x"}, {"LOG_LEVEL", "DEBUG"}});
    CHECK(described(problems) == "");
    CHECK(config.get("LOG_LEVEL") == "DEBUG");
  }

  TEST_CASE("OpenAlgo's FLASK_PORT and FLASK_HOST_IP set HTTP_PORT and HTTP_HOST") {
    const EnvFixture env("FLASK_HOST_IP='0.0.0.0'\nFLASK_PORT='5005'\n");
    const auto [config, problems] = env.load();
    CHECK(described(problems) == "");
    CHECK(config.get("HTTP_HOST") == "0.0.0.0");
    CHECK(config.get_int("HTTP_PORT") == 5005);
    CHECK(config.origin("HTTP_PORT") == env.env_file.string() + ":2");
  }

  TEST_CASE("a key and its alias with different values in one layer warn and the key wins, in either order") {
    for (const std::string_view text : {"HTTP_PORT=5001\nFLASK_PORT=5002\n", "FLASK_PORT=5002\nHTTP_PORT=5001\n"}) {
      CAPTURE(text);
      const EnvFixture env(text);
      const auto [config, problems] = env.load();
      CHECK(config.get("HTTP_PORT") == "5001");
      REQUIRE(problems.size() == 1);
      CHECK(problems[0].severity == Severity::Warning);
      CHECK(problems[0].key == "HTTP_PORT");
      CHECK(problems[0].message ==
            "both HTTP_PORT and its OpenAlgo name FLASK_PORT are set, to different values; HTTP_PORT wins");
    }
  }

  TEST_CASE("a key and its alias with the same value do not warn") {
    const EnvFixture env("HTTP_PORT=5001\nFLASK_PORT=5001\n");
    CHECK(env.load().problems.empty());
  }

  TEST_CASE("an alias in a higher layer beats the key in a lower one") {
    const EnvFixture env("HTTP_PORT=5001\n");
    const auto [config, problems] = env.load({{"FLASK_PORT", "5002"}});
    CHECK(problems.empty());
    CHECK(config.get("HTTP_PORT") == "5002");
    CHECK(config.origin("HTTP_PORT") == "environment");
  }

  TEST_CASE("a repeated key warns and its last value wins") {
    const EnvFixture env("LOG_LEVEL=DEBUG\nLOG_LEVEL=ERROR\n");
    const auto [config, problems] = env.load();
    CHECK(config.get("LOG_LEVEL") == "ERROR");
    CHECK(described(problems) == env.env_file.string() + ":2: LOG_LEVEL: set again; this value wins over line 1\n");
    CHECK(problems.at(0).severity == Severity::Warning);
  }

  TEST_CASE("an unknown key in the env file is a warning naming its line") {
    const EnvFixture env("LOG_LEVEL=INFO\nLOG_LEVLE=DEBUG\n");
    const auto [config, problems] = env.load();
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].severity == Severity::Warning);
    CHECK(describe(problems[0]) == env.env_file.string() + ":2: LOG_LEVLE: unknown key, ignored");
    CHECK_FALSE(has_errors(problems));
  }

  TEST_CASE("an unknown key given as a flag is an error") {
    const EnvFixture env;
    const auto problems = env.load({}, {{"HTTP_PROT", "1"}}).problems;
    CHECK(described(problems) == "flag: HTTP_PROT: unknown setting\n");
    CHECK(has_errors(problems));
  }

  TEST_CASE("a malformed line is an error naming the file and line") {
    const EnvFixture env("A_LINE_WITHOUT_EQUALS\n");
    const auto problems = env.load().problems;
    CHECK(described(problems) == env.env_file.string() + ":1: expected KEY=VALUE\n");
    CHECK(has_errors(problems));
  }

  TEST_CASE("an env file that cannot be read is an error") {
    const EnvFixture env({}, /*create=*/false);
    std::filesystem::create_directory(env.env_file);
    const auto problems = env.load().problems;
    CHECK(described(problems) == env.env_file.string() + ": cannot read: Is a directory\n");
  }

  TEST_CASE("an OpenAlgo .env is accepted without any problem") {
    const EnvFixture env(R"(# OpenAlgo Environment Configuration File
# Version: 1.0.7
ENV_CONFIG_VERSION = '1.0.7'

# Broker Configuration
BROKER_API_KEY = 'kite_api_key_123'
BROKER_API_SECRET = 'kite_api_secret_456'
BROKER_API_KEY_MARKET = 'YOUR_BROKER_MARKET_API_KEY'
BROKER_API_SECRET_MARKET = 'YOUR_BROKER_MARKET_API_SECRET'

REDIRECT_URL = 'http://127.0.0.1:5000/zerodha/callback'  # Change if different

VALID_BROKERS = 'fivepaisa,fivepaisaxts,aliceblue,angel,compositedge,dhan,dhan_sandbox,definedge,deltaexchange,firstock,flattrade,fyers,groww,ibulls,iifl,iiflcapital,indmoney,jainamxts,kotak,motilal,mstock,nubra,paytm,pocketful,rmoney,samco,shoonya,tradejini,upstox,wisdom,zebu,zerodha'

APP_KEY = '5e0f7c1b8a9d4e6f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091'
API_KEY_PEPPER = '0b1c2d3e4f5061728394a5b6c7d8e9f00112233445566778899aabbccddeeff0'
FERNET_SALT = '00112233445566778899aabbccddeeff'

DATABASE_URL = 'sqlite:///db/openalgo.db'
LATENCY_DATABASE_URL = 'sqlite:///db/latency.db'  # Database for latency monitoring
LOGS_DATABASE_URL = 'sqlite:///db/logs.db'        # Database for traffic logs
HEALTH_DATABASE_URL = 'sqlite:///db/health.db'    # Database for health monitoring
SANDBOX_DATABASE_URL = 'sqlite:///db/sandbox.db'  # Database for sandbox/analyzer mode
HISTORIFY_DATABASE_URL = 'db/historify.duckdb'    # Database for historical data (DuckDB)
HEALTH_MEMORY_WARNING_THRESHOLD='3000'
HEALTH_MEMORY_CRITICAL_THRESHOLD='5000'

NGROK_ALLOW = 'FALSE' 
HOST_SERVER = 'http://127.0.0.1:5000'  
FLASK_HOST_IP='127.0.0.1'
FLASK_PORT='5000'
FLASK_DEBUG='False'
FLASK_ENV='development'

WEBSOCKET_HOST='127.0.0.1'
WEBSOCKET_PORT='8765'
WEBSOCKET_URL='ws://127.0.0.1:8765'
WS_AUTH_GRACE_SECONDS='15'
WS_MAX_QUEUE='1024'
WS_PING_INTERVAL='20'
WS_PING_TIMEOUT='20'
ZMQ_HOST='127.0.0.1'
ZMQ_PORT='5555'
MAX_SYMBOLS_PER_WEBSOCKET='1000'
MAX_WEBSOCKET_CONNECTIONS='3'
ENABLE_CONNECTION_POOLING='true'
ORDER_UPDATES_ENABLED='TRUE'
ORDER_POLL_INTERVAL='5'
BROKER_CONNECTION_KEEPALIVE='TRUE'
BROKER_KEEPALIVE_INTERVAL='20'
BROKER_KEEPALIVE_WINDOW='09:00-23:30'

LOG_TO_FILE='False'           # If True, logs are also written to log files in LOG_DIR
LOG_LEVEL='INFO'              # DEBUG, INFO, WARNING, ERROR, CRITICAL
LOG_DIR='log'                 # Directory for log files (relative to project root)
LOG_FORMAT='[%(asctime)s] %(levelname)s in %(module)s: %(message)s'
LOG_RETENTION='14'            # Number of days to retain log files
TRAFFIC_LOG_RETENTION_DAYS='30'
LOG_COLORS='True'             # Enable/disable colored console output (True/False)
FORCE_COLOR='1'               # Force enable colored output even in non-TTY environments
STRATEGY_LOG_MAX_FILES='10'
STRATEGY_LOG_MAX_SIZE_MB='50'
STRATEGY_LOG_RETENTION_DAYS='7'

LOGIN_RATE_LIMIT_MIN = "5 per minute"
LOGIN_RATE_LIMIT_HOUR = "25 per hour"
RESET_RATE_LIMIT = "15 per hour"
API_RATE_LIMIT="50 per second"
ORDER_RATE_LIMIT="10 per second"
SMART_ORDER_RATE_LIMIT="10 per second"
WEBHOOK_RATE_LIMIT="100 per minute"
STRATEGY_RATE_LIMIT="200 per minute"

SESSION_EXPIRY_TIME = '03:00'
DISABLE_SESSION_EXPIRY = 'false'
MASTER_CONTRACT_CUTOFF_TIME = '08:00'
CRYPTO_MASTER_CONTRACT_CUTOFF_TIME = '00:00'

CORS_ENABLED = 'TRUE'
CORS_ALLOWED_ORIGINS = 'http://127.0.0.1:5000'
CORS_ALLOWED_METHODS = 'GET,POST,DELETE,PUT,PATCH'
CORS_ALLOWED_HEADERS = 'Content-Type,Authorization,X-Requested-With'
CORS_EXPOSED_HEADERS = ''
CORS_ALLOW_CREDENTIALS = 'FALSE'
CORS_MAX_AGE = '86400'

CSP_ENABLED = 'TRUE'
CSP_REPORT_ONLY = 'FALSE'
CSP_DEFAULT_SRC = "'self'"
CSP_SCRIPT_SRC = "'self' 'unsafe-inline' https://cdn.socket.io https://static.cloudflareinsights.com"
CSP_STYLE_SRC = "'self' 'unsafe-inline'"
CSP_IMG_SRC = "'self' data:"
CSP_CONNECT_SRC = "'self' wss: ws: https://cdn.socket.io"
CSP_FONT_SRC = "'self'"
CSP_OBJECT_SRC = "'none'"
CSP_MEDIA_SRC = "'self' data: https://*.amazonaws.com https://*.cloudfront.net"
CSP_FRAME_SRC = "'self'"
CSP_FORM_ACTION = "'self'"
CSP_FRAME_ANCESTORS = "'self'"
CSP_BASE_URI = "'self'"
CSP_UPGRADE_INSECURE_REQUESTS = 'FALSE'
CSP_REPORT_URI = ''
CSRF_ENABLED = 'TRUE'
CSRF_TIME_LIMIT = ''
SESSION_COOKIE_NAME = 'session'
CSRF_COOKIE_NAME = 'csrf_token'
TRUST_PROXY_HEADERS = 'FALSE'

MCP_HTTP_ENABLED = 'False'
MCP_PUBLIC_URL = ''
MCP_OAUTH_REQUIRE_APPROVAL = 'False'
MCP_OAUTH_WRITE_SCOPE_ENABLED = 'True'
MCP_HTTP_CORS_ORIGINS = 'https://claude.ai,https://chatgpt.com'

# STRATEGY_MEMORY_LIMIT_MB = '1024'
# OPENBLAS_NUM_THREADS = '2'
# SHM_SIZE = '512m'
)");
    const auto [config, problems] = env.load();
    CHECK(described(problems) == "");
    CHECK(config.get("HTTP_HOST") == "127.0.0.1");
    CHECK(config.get_int("HTTP_PORT") == 5000);
    CHECK(config.get("DATABASE_URL") == "sqlite:///db/openalgo.db");
    CHECK(config.get("REDIRECT_URL") == "http://127.0.0.1:5000/zerodha/callback");
    CHECK_FALSE(config.get_bool("LOG_TO_FILE"));
    CHECK(config.get("CORS_EXPOSED_HEADERS") == "");
  }

  TEST_CASE("asking for a key that does not exist is a programming error") {
    const Config config("var", {});
    CHECK_THROWS_AS(config.get("NO_SUCH_KEY"), std::logic_error);
    CHECK_THROWS_AS(config.get("FLASK_PORT"), std::logic_error);
    Config changeable("var", {});
    CHECK_THROWS_AS(changeable.set("NO_SUCH_KEY", "1", "test"), std::logic_error);
  }

  TEST_CASE("typed getters convert the resolved value") {
    Config config("var", {});
    config.set("CORS_ALLOWED_ORIGINS", " http://a.example , ,http://b.example ", "test");
    config.set("LOG_COLORS", "off", "test");
    config.set("ORDER_RATE_LIMIT", "10 per second;40 per minute", "test");
    CHECK(config.get_list("CORS_ALLOWED_ORIGINS") == std::vector<std::string>{"http://a.example", "http://b.example"});
    CHECK(config.get_list("PLUGIN_DIRS", ':') == std::vector<std::string>{"build/plugins", "var/plugins"});
    CHECK_FALSE(config.get_bool("LOG_COLORS"));
    CHECK(config.get_rate("ORDER_RATE_LIMIT") == std::vector<RateLimit>{{10, 1}, {40, 60}});
    CHECK(config.get_int("HTTP_MAX_BODY_BYTES") == 1048576);
    CHECK(config.origin("LOG_COLORS") == "test");
  }

  TEST_CASE("a typed getter on a value that does not parse throws") {
    Config config("var", {});
    config.set("HTTP_PORT", "abc", "test");
    CHECK_THROWS_AS(config.get_int("HTTP_PORT"), std::logic_error);
    CHECK_THROWS_AS(config.get_bool("HTTP_PORT"), std::logic_error);
    CHECK_THROWS_AS(config.get_rate("HTTP_PORT"), std::logic_error);
  }

  TEST_CASE("secret values lists every secret that is set and the database password") {
    Config config("var", {});
    config.set("APP_KEY", "app-key-value", "test");
    config.set("BROKER_API_SECRET", "broker-secret-value", "test");
    config.set("DATABASE_URL", "postgresql://oa:db-password@localhost/oa", "test");
    const auto secrets = config.secret_values();
    CHECK(secrets == std::vector<std::string>{"app-key-value", "broker-secret-value", "db-password"});
  }

  TEST_CASE("secret values hold the password of every database URL, the logs' one too") {
    Config config("var", {});
    config.set("DATABASE_URL", "postgresql://oa:main-password@localhost/oa", "test");
    config.set("LOGS_DATABASE_URL", "postgresql://oa:logs-password@localhost/logs", "test");
    const auto secrets = config.secret_values();
    CHECK(std::ranges::find(secrets, "main-password") != secrets.end());
    CHECK(std::ranges::find(secrets, "logs-password") != secrets.end());
  }

  TEST_CASE("the log dir defaults to log inside the data dir") {
    Config config("/srv/oa", {});
    CHECK(config.log_dir() == "/srv/oa/log");
    config.set("LOG_DIR", "/var/log/openalgod", "test");
    CHECK(config.log_dir() == "/var/log/openalgod");
  }

  TEST_CASE("a problem is described with its place, key and message") {
    CHECK(describe({Severity::Error, "/etc/oa.env", 12, "API_RATE_LIMIT", "'abc' is bad"}) ==
          "/etc/oa.env:12: API_RATE_LIMIT: 'abc' is bad");
    CHECK(describe({Severity::Warning, "environment", 0, "LOG_LEVEL", "odd"}) == "environment: LOG_LEVEL: odd");
    CHECK(describe({Severity::Error, "/etc/oa.env", 3, "", "expected KEY=VALUE"}) ==
          "/etc/oa.env:3: expected KEY=VALUE");
  }

  TEST_CASE("only errors count as errors") {
    CHECK_FALSE(has_errors({}));
    CHECK_FALSE(has_errors({{Severity::Warning, "flag", 0, "K", "w"}}));
    CHECK(has_errors({{Severity::Warning, "flag", 0, "K", "w"}, {Severity::Error, "flag", 0, "K", "e"}}));
  }
}

}  // namespace oa::config
