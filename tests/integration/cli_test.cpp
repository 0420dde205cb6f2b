// The command line as an operator uses it: exit codes 0 / 2 / 1 and messages.
#include <doctest/doctest.h>

#include <fstream>

#include "support/daemon_process.hpp"
#include "support/http_client.hpp"

using namespace oa::test;

namespace {

CommandResult add_user(const TempDir& dir, const std::string& name, const std::string& password) {
  return run_openalgod({"user", "add", "--username", name, "--password-stdin", "--data-dir", dir.path().string()},
                       password + "\n");
}

std::string issue_key(const TempDir& dir, const std::string& name) {
  auto result = run_openalgod({"apikey", "issue", "--username", name, "--data-dir", dir.path().string()});
  REQUIRE_MESSAGE(result.exit_code == 0, result.err);
  return result.out.substr(0, result.out.find('\n'));
}

std::string ping_body(const std::string& key) { return R"({"apikey":")" + key + R"("})"; }

}  // namespace

TEST_SUITE("cli") {
  TEST_CASE("every command answers --help with exit code 0") {
    for (auto words : std::vector<std::vector<std::string>>{
             {"--help"}, {"serve", "--help"}, {"user", "add", "--help"}, {"user", "list", "--help"},
             {"apikey", "issue", "--help"}, {"config", "check", "--help"}}) {
      auto result = run_openalgod(words);
      CAPTURE(words.front());
      CHECK(result.exit_code == 0);
      CHECK(result.out.find("usage: openalgod") != std::string::npos);
    }
  }

  TEST_CASE("an unknown command or flag is a usage error with exit code 2") {
    CHECK(run_openalgod({"frobnicate"}).exit_code == 2);
    auto bad_flag = run_openalgod({"user", "list", "--colour"});
    CHECK(bad_flag.exit_code == 2);
    CHECK(bad_flag.err.find("unknown argument '--colour'") != std::string::npos);
    CHECK(run_openalgod({"apikey", "issue"}).exit_code == 2);
  }

  TEST_CASE("user add enforces the password policy and says what is missing") {
    TempDir dir;
    auto weak = add_user(dir, "bob", "short");
    CHECK(weak.exit_code == 2);
    CHECK(weak.err.find("at least 8 characters") != std::string::npos);
    CHECK(add_user(dir, "bob", "Str0ng!pass").exit_code == 0);
  }

  TEST_CASE("adding the same user twice is refused") {
    TempDir dir;
    REQUIRE(add_user(dir, "bob", "Str0ng!pass").exit_code == 0);
    auto again = add_user(dir, "bob", "Str0ng!pass");
    CHECK(again.exit_code == 2);
    CHECK(again.err.find("already exists") != std::string::npos);
  }

  TEST_CASE("user list shows users, the first one as administrator, and whether they have a key") {
    TempDir dir;
    REQUIRE(add_user(dir, "alice", "Str0ng!pass").exit_code == 0);
    REQUIRE(add_user(dir, "bob", "Str0ng!pass").exit_code == 0);
    issue_key(dir, "alice");
    auto list = run_openalgod({"user", "list", "--data-dir", dir.path().string()});
    REQUIRE(list.exit_code == 0);
    CHECK(list.out.find("alice                 yes    yes") != std::string::npos);
    CHECK(list.out.find("bob                   no     no") != std::string::npos);
  }

  TEST_CASE("apikey issue prints a 64-hex key and revokes the previous one") {
    TempDir dir;
    REQUIRE(add_user(dir, "alice", "Str0ng!pass").exit_code == 0);
    auto first = issue_key(dir, "alice");
    auto second = issue_key(dir, "alice");
    CHECK(second.size() == 64);
    CHECK(second.find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK(first != second);
    Daemon daemon(dir.path());
    CHECK(http(daemon.port(), "POST", "/api/v1/ping", ping_body(first)).status == 403);
    CHECK(http(daemon.port(), "POST", "/api/v1/ping", ping_body(second)).status == 200);
  }

  TEST_CASE("apikey issue for an unknown user is a usage error") {
    TempDir dir;
    auto result = run_openalgod({"apikey", "issue", "--username", "nobody", "--data-dir", dir.path().string()});
    CHECK(result.exit_code == 2);
    CHECK(result.err.find("no user named 'nobody'") != std::string::npos);
  }

  TEST_CASE("config check reports each bad line with file and line number and exits 2") {
    TempDir dir;
    auto env = dir.path() / "bad.env";
    std::ofstream(env) << "# comment\nHTTP_PORT=99999\nAPI_RATE_LIMIT=fast\nthis is not a setting\n";
    auto result = run_openalgod({"config", "check", "--env", env.string(), "--data-dir", dir.path().string()});
    CHECK(result.exit_code == 2);
    CHECK(result.out.find(env.string() + ":2: HTTP_PORT") != std::string::npos);
    CHECK(result.out.find(env.string() + ":3: API_RATE_LIMIT") != std::string::npos);
    CHECK(result.out.find(env.string() + ":4") != std::string::npos);
  }

  TEST_CASE("config check passes on a valid file and flags override it") {
    TempDir dir;
    auto env = dir.path() / "good.env";
    std::ofstream(env) << "FLASK_PORT=5001\nLOG_LEVEL=DEBUG\n";
    auto good = run_openalgod({"config", "check", "--env", env.string(), "--data-dir", dir.path().string()});
    CHECK(good.exit_code == 0);
    CHECK(good.out.find("configuration OK") != std::string::npos);
    auto overridden = run_openalgod(
        {"config", "check", "--env", env.string(), "--data-dir", dir.path().string(), "--set", "HTTP_PORT=0x"});
    CHECK(overridden.exit_code == 2);
  }

  TEST_CASE("serve on a port that is taken fails with exit code 1 and says why") {
    TempDir first_dir, second_dir;
    Daemon first(first_dir.path());
    auto second = run_openalgod(
        {"serve", "--data-dir", second_dir.path().string(), "--port", std::to_string(first.port())});
    CHECK(second.exit_code == 1);
    CHECK(second.err.find("cannot listen on") != std::string::npos);
  }
}
