#include <doctest/doctest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "log/redact.hpp"

using oa::log::redact;

namespace {

const std::string kApiKey = "3f9a1c2b4d5e6f708192a3b4c5d6e7f80112233445566778899aabbccddeeff0";
const std::string kJwt =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJBQjEyMzQiLCJleHAiOjE3MDAwMDAwMDB9."
    "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

// Clears registered secrets before and after a test, so tests do not leak
// secrets into each other.
struct CleanSecrets {
  CleanSecrets() { oa::log::clear_secrets(); }
  ~CleanSecrets() { oa::log::clear_secrets(); }
  CleanSecrets(const CleanSecrets&) = delete;
  CleanSecrets& operator=(const CleanSecrets&) = delete;
};

}  // namespace

TEST_SUITE("log") {

TEST_CASE("a Bearer token is masked and the scheme kept") {
  CHECK(redact("sending Bearer abc.def-123 upstream") == "sending Bearer [REDACTED] upstream");
  CHECK(redact("authorization=bearer xyz987") == "authorization=bearer [REDACTED]");
}

TEST_CASE("Zerodha's token api_key:access_token credential is masked") {
  CHECK(redact("header token kiteapikey1:accesstoken9 set") == "header token [REDACTED] set");
}

TEST_CASE("the word token followed by prose is left alone") {
  CHECK(redact("the token expired at 15:30") == "the token expired at 15:30");
  CHECK(redact("token refresh: scheduled") == "token refresh: scheduled");
}

TEST_CASE("an Authorization header keeps its scheme and masks its credential") {
  CHECK(redact("Authorization: Bearer abc123") == "Authorization: Bearer [REDACTED]");
  CHECK(redact("Authorization: token key1:tok2") == "Authorization: token [REDACTED]");
  CHECK(redact("Authorization: enctoken Zx9/aa+b==") == "Authorization: enctoken [REDACTED]");
  CHECK(redact("Authorization: Basic dXNlcjpwYXNz") == "Authorization: Basic [REDACTED]");
  CHECK(redact("authorization: rawcredential") == "authorization: [REDACTED]");
}

TEST_CASE("every credential key name has its value masked and its name kept") {
  const std::vector<std::string> keys = {
      "api_key",      "apikey",        "api-key",       "api_secret",    "app_key",
      "pepper",       "api_key_pepper", "fernet_salt",  "password",      "passwd",
      "pin",          "mpin",          "totp",          "otp",           "totp_code",
      "access_token", "refresh_token", "request_token", "enctoken",      "feed_token",
      "session_token", "auth_token",   "jwt",           "jwttoken",      "authorization",
      "secret",       "token",         "checksum",      "client_secret"};
  for (const std::string& key : keys) {
    CAPTURE(key);
    CHECK(redact(key + "=s3cretvalue") == key + "=[REDACTED]");
  }
}

TEST_CASE("key names match in any case and with prefixes, dashes, underscores or camelCase") {
  CHECK(redact("X-API-KEY: abc123") == "X-API-KEY: [REDACTED]");
  CHECK(redact("x-api-key=abc123") == "x-api-key=[REDACTED]");
  CHECK(redact("BROKER_API_SECRET=abc123") == "BROKER_API_SECRET=[REDACTED]");
  CHECK(redact("Access-Token: abc123") == "Access-Token: [REDACTED]");
  CHECK(redact(R"({"jwtToken":"abc123","refreshToken":"def456"})") ==
        R"({"jwtToken":"[REDACTED]","refreshToken":"[REDACTED]"})");
  CHECK(redact("--password=abc123") == "--password=[REDACTED]");
}

TEST_CASE("a key=value value ends at whitespace or a delimiter") {
  CHECK(redact("password=hunter2 user=alice") == "password=[REDACTED] user=alice");
  CHECK(redact("password = hunter2, next") == "password = [REDACTED], next");
  CHECK(redact("password=hunter2;x") == "password=[REDACTED];x");
  CHECK(redact("[password=hunter2]") == "[password=[REDACTED]]");
}

TEST_CASE("a key: value value is masked") {
  CHECK(redact("login password: hunter2") == "login password: [REDACTED]");
}

TEST_CASE("a double-quoted JSON value is masked up to its closing quote") {
  CHECK(redact(R"({"password": "two words, \"quoted\""})") == R"({"password": "[REDACTED]"})");
}

TEST_CASE("a single-quoted Python value is masked") {
  CHECK(redact("{'access_token': 'abc 123', 'user': 'me'}") ==
        "{'access_token': '[REDACTED]', 'user': 'me'}");
}

TEST_CASE("an unquoted JSON number is masked") {
  CHECK(redact(R"({"totp": 123456, "user": "me"})") == R"({"totp": [REDACTED], "user": "me"})");
  CHECK(redact(R"({"pin":1234})") == R"({"pin":[REDACTED]})");
}

TEST_CASE("a URL query parameter is masked and the others kept") {
  CHECK(redact("GET /api/v1/quotes?apikey=abc123&symbol=SBIN&token=zz9") ==
        "GET /api/v1/quotes?apikey=[REDACTED]&symbol=SBIN&token=[REDACTED]");
}

TEST_CASE("HTTP header lines are masked line by line") {
  CHECK(redact("Host: api.kite.trade\r\nAuthorization: token k:t\r\nX-Api-Key: abc\r\nAccept: */*") ==
        "Host: api.kite.trade\r\nAuthorization: token [REDACTED]\r\nX-Api-Key: [REDACTED]\r\nAccept: */*");
}

TEST_CASE("JSON escaped inside a JSON string is masked") {
  CHECK(redact(R"({"detail":"{\"apikey\":\"abc123\",\"symbol\":\"SBIN\"}"})") ==
        R"({"detail":"{\"apikey\":\"[REDACTED]\",\"symbol\":\"SBIN\"}"})");
}

TEST_CASE("an unclosed quoted value is masked to the end of the text") {
  CHECK(redact(R"(password="abc def)") == R"(password="[REDACTED])");
}

TEST_CASE("a JSON order body keeps its non-secret fields") {
  const std::string body = R"({"apikey":")" + kApiKey + R"(","symbol":"SBIN","quantity":"1"})";
  CHECK(redact(body) == R"({"apikey":"[REDACTED]","symbol":"SBIN","quantity":"1"})");
}

TEST_CASE("a run of exactly 64 hex characters is masked wherever it is") {
  CHECK(redact("key " + kApiKey + " used") == "key [REDACTED] used");
  CHECK(redact("k=" + kApiKey) == "k=[REDACTED]");
}

TEST_CASE("hex runs shorter or longer than 64 characters are left alone") {
  const std::string short_run = kApiKey.substr(1);
  const std::string long_run = kApiKey + "a";
  CHECK(redact("digest " + short_run) == "digest " + short_run);
  CHECK(redact("digest " + long_run) == "digest " + long_run);
}

TEST_CASE("a JWT is masked wherever it is") {
  CHECK(redact("session " + kJwt + " ok") == "session [REDACTED] ok");
  CHECK(redact(R"({"data":")" + kJwt + R"("})") == R"({"data":"[REDACTED]"})");
}

TEST_CASE("text that only starts like a JWT is left alone") {
  CHECK(redact("eyJhbGciOiJIUzI1NiJ9 alone") == "eyJhbGciOiJIUzI1NiJ9 alone");
  CHECK(redact("keyJob.done") == "keyJob.done");
}

TEST_CASE("registered secrets are masked wherever they appear") {
  const CleanSecrets clean;
  oa::log::add_secret("Hx7-broker-sess");
  CHECK(redact("upstream said Hx7-broker-sess is invalid (Hx7-broker-sess)") ==
        "upstream said [REDACTED] is invalid ([REDACTED])");
  CHECK(redact("prefixHx7-broker-sesssuffix") == "prefix[REDACTED]suffix");
}

TEST_CASE("secrets shorter than 8 characters are not registered") {
  const CleanSecrets clean;
  oa::log::add_secret("1234567");
  CHECK(redact("order 1234567 placed") == "order 1234567 placed");
}

TEST_CASE("clear_secrets forgets every registered secret") {
  const CleanSecrets clean;
  oa::log::add_secret("forgettable-secret");
  oa::log::clear_secrets();
  CHECK(redact("forgettable-secret") == "forgettable-secret");
}

TEST_CASE("words that merely contain or resemble key names are left alone") {
  const std::vector<std::string> lines = {
      "loaded 123 tokens",
      "password policy requires 8 characters",
      "token expired",
      "pinned 4 symbols",
      "tokens=12 secrets_loaded=3",
      R"({"instrument_token":738561,"exchange_token":"2885","symboltoken":"3045","symbolToken":"3045"})",
      "time 09:15:00, ltp=512.35, oi=1200",
      "Order placed: id 250101000001234, status=complete",
  };
  for (const std::string& line : lines) CHECK(redact(line) == line);
}

// A key name right before ':' or '=' is taken as a key even in prose: a
// masked word is cheaper than a leaked password.
TEST_CASE("a key name followed by a separator masks the next word even in prose") {
  CHECK(redact("Password: reset requested") == "Password: [REDACTED] requested");
}

TEST_CASE("redacting text twice changes nothing") {
  const std::vector<std::string> lines = {
      "password=abc [x]", R"({"apikey":"abc","n":1})", "Bearer abc", "token a:b",
      "Authorization: token a:b", "Authorization: Bearer abc", R"(password="abc)",
      "key " + kApiKey, kJwt, "apikey=", R"({"token": [1,2]})",
  };
  for (const std::string& line : lines) {
    CAPTURE(line);
    const std::string once = redact(line);
    CHECK(redact(once) == once);
  }
}

TEST_CASE("adding secrets while other threads redact is safe") {
  const CleanSecrets clean;
  std::atomic<bool> adding{true};
  std::vector<std::thread> readers;
  for (int i = 0; i < 3; ++i) {
    readers.emplace_back([&adding] {
      while (adding) redact("reader line with secret-number-0 and secret-number-1");
    });
  }
  for (int i = 0; i < 200; ++i) oa::log::add_secret("secret-number-" + std::to_string(i));
  adding = false;
  for (std::thread& reader : readers) reader.join();
  CHECK(redact("secret-number-0 secret-number-199") == "[REDACTED] [REDACTED]");
}

}  // TEST_SUITE("log")
