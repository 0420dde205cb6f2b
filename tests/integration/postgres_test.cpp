// The same daemon on PostgreSQL: DATABASE_URL=postgresql://... (the throwaway
// cluster that CTest's "postgres" fixture starts).
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>

#include "support/daemon_process.hpp"
#include "support/http_client.hpp"

using namespace oa::test;

namespace {

std::string postgres_url() {
  const char* file = std::getenv("OPENALGOD_TEST_PG_URL_FILE");
  REQUIRE_MESSAGE(file != nullptr, "OPENALGOD_TEST_PG_URL_FILE is not set: run through ctest");
  std::ifstream in(file);
  std::string url;
  std::getline(in, url);
  REQUIRE_MESSAGE(!url.empty(), "no PostgreSQL test cluster: " << file);
  return url;
}

// A new database on the test cluster, so this test sees an empty schema.
std::string fresh_database(const std::string& server_url) {
  auto name = "oa_daemon_" + std::to_string(std::random_device{}());
  std::string create = "psql -q -d '" + server_url + "' -c 'CREATE DATABASE " + name + "' >/dev/null";
  REQUIRE(std::system(create.c_str()) == 0);
  return server_url.substr(0, server_url.rfind('/') + 1) + name;
}

}  // namespace

TEST_SUITE("postgres") {
  TEST_CASE("with DATABASE_URL on PostgreSQL, users, keys and ping work end to end") {
    auto url = fresh_database(postgres_url());
    TempDir dir;
    std::map<std::string, std::string> env{{"DATABASE_URL", url}};
    auto added = run_openalgod({"user", "add", "--username", "pat", "--password-stdin", "--data-dir", dir.path().string()},
                               "Str0ng!pass\n", env);
    REQUIRE_MESSAGE(added.exit_code == 0, added.err);
    auto issued = run_openalgod({"apikey", "issue", "--username", "pat", "--data-dir", dir.path().string()}, "", env);
    REQUIRE_MESSAGE(issued.exit_code == 0, issued.err);
    auto key = issued.out.substr(0, 64);
    Daemon daemon(dir.path(), {}, env);
    auto reply = http(daemon.port(), "POST", "/api/v1/ping", R"({"apikey":")" + key + R"("})");
    CHECK(reply.status == 200);
    CHECK(reply.body.find("pong") != std::string::npos);
    CHECK(!std::filesystem::exists(dir.path() / "openalgo.db"));
  }
}
