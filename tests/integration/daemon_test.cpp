// The daemon as a client sees it: health, ping, the error envelope for every
// kind of bad input, keep-alive, and graceful stop.
#include <signal.h>

#include <filesystem>
#include <fstream>

#include <doctest/doctest.h>

#include <boost/json.hpp>

#include "support/daemon_process.hpp"
#include "support/http_client.hpp"

namespace json = boost::json;
using namespace oa::test;

namespace {

const char* kPassword = "Str0ng!pass";

// A data directory with one user and that user's API key.
struct Account {
  TempDir dir;
  std::string api_key;
  Account() {
    auto added = run_openalgod({"user", "add", "--username", "alice", "--password-stdin", "--data-dir", dir.path().string()},
                               std::string(kPassword) + "\n");
    REQUIRE_MESSAGE(added.exit_code == 0, added.err);
    auto issued = run_openalgod({"apikey", "issue", "--username", "alice", "--data-dir", dir.path().string()});
    REQUIRE_MESSAGE(issued.exit_code == 0, issued.err);
    api_key = issued.out.substr(0, issued.out.find('\n'));
  }
};

json::object body_of(const HttpReply& reply) { return json::parse(reply.body).as_object(); }

std::string ping_body(const std::string& key) { return json::serialize(json::object{{"apikey", key}}); }

}  // namespace

TEST_SUITE("daemon") {
  TEST_CASE("GET /health answers status ok without authentication") {
    TempDir dir;
    Daemon daemon(dir.path());
    auto reply = http(daemon.port(), "GET", "/health");
    CHECK(reply.status == 200);
    CHECK(body_of(reply) == json::object{{"status", "ok"}});
    CHECK(reply.headers["content-type"] == "application/json");
  }

  TEST_CASE("ping with an issued API key answers pong with the active broker, with or without a trailing slash") {
    Account account;
    Daemon daemon(account.dir.path());
    for (std::string path : {"/api/v1/ping", "/api/v1/ping/"}) {
      auto reply = http(daemon.port(), "POST", path, ping_body(account.api_key));
      CHECK(reply.status == 200);
      CHECK(body_of(reply) == json::parse(R"({"data":{"broker":"simulator","message":"pong"},"status":"success"})"));
    }
  }

  TEST_CASE("ping with an unknown API key is refused with 403 Invalid openalgo apikey") {
    Account account;
    Daemon daemon(account.dir.path());
    std::string wrong = account.api_key;
    wrong[0] = wrong[0] == 'a' ? 'b' : 'a';
    auto reply = http(daemon.port(), "POST", "/api/v1/ping", ping_body(wrong));
    CHECK(reply.status == 403);
    CHECK(body_of(reply) == json::object{{"status", "error"}, {"message", "Invalid openalgo apikey"}});
  }

  TEST_CASE("ping validation errors come back as a field map with 400") {
    TempDir dir;
    Daemon daemon(dir.path());
    auto missing = http(daemon.port(), "POST", "/api/v1/ping", "{}");
    CHECK(missing.status == 400);
    CHECK(body_of(missing)["message"] == json::parse(R"({"apikey":["Missing data for required field."]})"));
    auto unknown = http(daemon.port(), "POST", "/api/v1/ping", R"({"apikey":"k","extra":1})");
    CHECK(unknown.status == 400);
    CHECK(body_of(unknown)["message"] == json::parse(R"({"extra":["Unknown field."]})"));
    auto wrong_type = http(daemon.port(), "POST", "/api/v1/ping", R"({"apikey":5})");
    CHECK(body_of(wrong_type)["message"] == json::parse(R"({"apikey":["Not a valid string."]})"));
  }

  TEST_CASE("malformed JSON, a wrong content type and a non-object body are 400 with a message naming the problem") {
    TempDir dir;
    Daemon daemon(dir.path());
    auto malformed = http(daemon.port(), "POST", "/api/v1/ping", R"({"apikey": )");
    CHECK(malformed.status == 400);
    CHECK(body_of(malformed)["status"] == "error");
    CHECK(std::string(body_of(malformed)["message"].as_string()).find("Malformed JSON") != std::string::npos);
    auto form = http(daemon.port(), "POST", "/api/v1/ping", "apikey=x", "application/x-www-form-urlencoded");
    CHECK(form.status == 400);
    CHECK(std::string(body_of(form)["message"].as_string()).find("Content-Type must be application/json") !=
          std::string::npos);
    auto array = http(daemon.port(), "POST", "/api/v1/ping", "[1,2]");
    CHECK(array.status == 400);
    CHECK(body_of(array)["message"] == "Request body must be a JSON object");
  }

  TEST_CASE("a body over the size limit is refused with 400 and the limit") {
    TempDir dir;
    Daemon daemon(dir.path(), {"--set", "HTTP_MAX_BODY_BYTES=1024"});
    auto reply = http(daemon.port(), "POST", "/api/v1/ping", std::string(4096, 'x'));
    CHECK(reply.status == 400);
    CHECK(body_of(reply)["message"] == "Request body too large (limit 1024 bytes)");
  }

  TEST_CASE("an unknown path is 404 and a wrong method is 405, both in the error envelope") {
    TempDir dir;
    Daemon daemon(dir.path());
    auto missing = http(daemon.port(), "POST", "/api/v1/nosuchthing", "{}");
    CHECK(missing.status == 404);
    CHECK(body_of(missing)["status"] == "error");
    CHECK(body_of(missing)["message"] == "Not found");
    auto wrong_method = http(daemon.port(), "GET", "/api/v1/ping");
    CHECK(wrong_method.status == 405);
    CHECK(body_of(wrong_method)["status"] == "error");
    CHECK(wrong_method.headers["allow"] == "POST");
  }

  TEST_CASE("one keep-alive connection serves several requests") {
    TempDir dir;
    Daemon daemon(dir.path());
    HttpConnection connection(daemon.port());
    for (int i = 0; i < 5; ++i) CHECK(connection.request("GET", "/health").status == 200);
  }

  TEST_CASE("SIGHUP re-reads the settings and the daemon keeps serving") {
    TempDir dir;
    Daemon daemon(dir.path());
    daemon.signal(SIGHUP);
    CHECK(http(daemon.port(), "GET", "/health").status == 200);
    CHECK(daemon.stop() == 0);
  }

  TEST_CASE("SIGTERM stops the daemon cleanly with exit code 0") {
    TempDir dir;
    Daemon daemon(dir.path());
    CHECK(http(daemon.port(), "GET", "/health").status == 200);
    CHECK(daemon.stop() == 0);
  }

  TEST_CASE("SIGTERM stops the daemon cleanly after it answered the sandbox's account views") {
    // The views keep store connections between requests: the store must
    // close only once they are given back.
    Account account;
    Daemon daemon(account.dir.path());
    const std::string key = R"({"apikey":")" + account.api_key + R"("})";
    for (const char* view : {"/api/v1/funds", "/api/v1/orderbook", "/api/v1/tradebook", "/api/v1/positionbook"})
      REQUIRE(http(daemon.port(), "POST", view, key).status == 200);
    CHECK(daemon.stop() == 0);
  }

  TEST_CASE("the first start generates secrets in a 0600 env file and never writes them to the log") {
    TempDir dir;
    {
      Daemon daemon(dir.path());
      CHECK(http(daemon.port(), "GET", "/health").status == 200);
    }
    auto env_file = dir.path() / ".env";
    REQUIRE(std::filesystem::exists(env_file));
    auto perms = std::filesystem::status(env_file).permissions();
    CHECK((perms & std::filesystem::perms::all) == (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
    std::ifstream env_stream(env_file);
    std::string env_text((std::istreambuf_iterator<char>(env_stream)), {});
    auto pepper_at = env_text.find("API_KEY_PEPPER=");
    REQUIRE(pepper_at != std::string::npos);
    auto pepper = env_text.substr(pepper_at + 15, 64);
    CHECK(pepper.size() == 64);
    std::string logs;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir.path() / "log")) {
      std::ifstream log_stream(entry.path());
      logs += std::string((std::istreambuf_iterator<char>(log_stream)), {});
    }
    CHECK(logs.find("serving on") != std::string::npos);
    CHECK(logs.find(pepper) == std::string::npos);
  }

  TEST_CASE("the first start tells how to get an API key") {
    TempDir dir;
    Daemon daemon(dir.path());
    CHECK(daemon.wait_for_output("apikey issue --username"));
  }
}
