// Where the request logs are kept (LOGS_DATABASE_URL): a database of their
// own unless that is the main one.
#include <doctest/doctest.h>

#include "app/runtime.hpp"
#include "../config/config_test_support.hpp"

using oa::app::logs_database_url;
using oa::config::testing::EnvFixture;
using oa::store::Backend;

namespace {

std::optional<oa::store::DatabaseUrl> logs_url_for(std::string_view env) {
  const EnvFixture fixture(env);
  auto loaded = fixture.load();
  REQUIRE_MESSAGE(loaded.problems.empty(), oa::config::testing::described(loaded.problems));
  return logs_database_url(loaded.config);
}

}  // namespace

TEST_SUITE("app") {
  TEST_CASE("by default the logs go to logs.db next to a SQLite main database") {
    const auto logs = logs_url_for("DATABASE_URL=sqlite:////srv/openalgo/db/openalgo.db\n");
    REQUIRE(logs.has_value());
    CHECK(logs->backend == Backend::Sqlite);
    CHECK(logs->sqlite_path == "/srv/openalgo/db/logs.db");

    const auto in_data_dir = logs_url_for("");
    REQUIRE(in_data_dir.has_value());
    CHECK(in_data_dir->sqlite_path.filename() == "logs.db");
  }

  TEST_CASE("by default the logs stay in a PostgreSQL main database") {
    CHECK_FALSE(logs_url_for("DATABASE_URL=postgresql://oa:secret@db.example:5432/openalgo\n").has_value());
  }

  TEST_CASE("LOGS_DATABASE_URL names the logs' database, unless it is the main one by another spelling") {
    const auto pg = logs_url_for("LOGS_DATABASE_URL=postgresql://oa:secret@db.example/logs\n");
    REQUIRE(pg.has_value());
    CHECK(pg->backend == Backend::Postgres);
    CHECK(pg->display.find("secret") == std::string::npos);

    CHECK_FALSE(logs_url_for("DATABASE_URL=sqlite:////srv/oa/main.db\n"
                             "LOGS_DATABASE_URL=sqlite:////srv/oa/./x/../main.db\n")
                    .has_value());
    CHECK_FALSE(logs_url_for("DATABASE_URL=postgresql://oa@db/openalgo\n"
                             "LOGS_DATABASE_URL=postgresql://oa@db/openalgo\n")
                    .has_value());
  }

  TEST_CASE("a LOGS_DATABASE_URL of another scheme is a configuration error naming the key") {
    const EnvFixture fixture("LOGS_DATABASE_URL=mysql://db/logs\n");
    auto loaded = fixture.load();
    REQUIRE_FALSE(loaded.problems.empty());
    CHECK(oa::config::testing::described(loaded.problems).find("LOGS_DATABASE_URL") != std::string::npos);
  }
}
