#include "store/migrations.hpp"
#include "store/store.hpp"
#include "test_database.hpp"

#include <doctest/doctest.h>
#include <soci/soci.h>

#include <string>
#include <thread>
#include <vector>

using namespace oa::store;
using oa::store::test::on_each_backend;
using oa::store::test::on_each_store;
using oa::store::test::TestDatabase;

namespace {

int row_count(soci::session& sql, const std::string& table) {
  int count = 0;
  sql << "SELECT COUNT(*) FROM " + table, soci::into(count);
  return count;
}

bool table_exists(soci::session& sql, const std::string& table) {
  try {
    row_count(sql, table);
    return true;
  } catch (const soci::soci_error&) {
    return false;
  }
}

constexpr Migration kGood = {1, "create a", "CREATE TABLE a (x INTEGER)", "CREATE TABLE a (x INTEGER)"};
constexpr Migration kBroken = {2, "create b, then fail", "CREATE TABLE b (x INTEGER); NOT SQL",
                               "CREATE TABLE b (x INTEGER); NOT SQL"};

}  // namespace

TEST_SUITE("store") {
  TEST_CASE("migrating an empty database creates every table and records every migration") {
    on_each_store([](Store& store) {
      auto lease = store.lease();
      for (const char* table : {"users", "api_keys", "settings", "broker_auth", "instruments", "audit_log"}) {
        CAPTURE(table);
        CHECK(row_count(*lease, table) == 0);
      }
      CHECK(row_count(*lease, "schema_migrations") == latest_schema_version());
    });
  }

  TEST_CASE("running the migrations again changes nothing") {
    on_each_store([](Store& store) {
      auto lease = store.lease();
      CHECK(migrate(*lease, lease.backend(), migrations()) == latest_schema_version());
      CHECK(row_count(*lease, "schema_migrations") == latest_schema_version());
    });
  }

  TEST_CASE("a database written by a newer openalgod is refused") {
    on_each_backend([](TestDatabase& database) {
      {
        const auto store = database.open(1);
        auto lease = store->lease();
        const int newer = latest_schema_version() + 1;
        *lease << "INSERT INTO schema_migrations (version, name) VALUES (:version, 'from the future')",
            soci::use(newer);
      }
      CHECK_THROWS_WITH_AS(database.open(1), doctest::Contains("written by a newer openalgod"),
                           std::runtime_error);
    });
  }

  TEST_CASE("a failing migration rolls back alone, keeping the ones before it") {
    on_each_backend([](TestDatabase& database) {
      const auto store = database.open(1);
      auto lease = store->lease();
      *lease << "DROP TABLE schema_migrations";
      const Migration list[] = {kGood, kBroken};
      CHECK_THROWS_WITH_AS(migrate(*lease, lease.backend(), list),
                           doctest::Contains("schema migration 2 (create b, then fail) failed"),
                           std::runtime_error);
      CHECK(row_count(*lease, "schema_migrations") == 1);
      CHECK(table_exists(*lease, "a"));
      CHECK_FALSE(table_exists(*lease, "b"));
    });
  }

  TEST_CASE("migrations listed out of order are a programming error") {
    on_each_store([](Store& store) {
      auto lease = store.lease();
      const Migration list[] = {kBroken, kGood};
      CHECK_THROWS_AS(migrate(*lease, lease.backend(), list), std::logic_error);
    });
  }

  TEST_CASE("daemons opening one new database at once migrate it exactly once") {
    on_each_backend([](TestDatabase& database) {
      std::vector<std::thread> daemons;
      std::vector<std::string> outcomes(4);
      for (std::size_t i = 0; i < outcomes.size(); ++i) {
        daemons.emplace_back([&, i] {
          try {
            outcomes[i] = "version " + std::to_string(database.open(2)->schema_version());
          } catch (const std::exception& error) {
            outcomes[i] = error.what();
          }
        });
      }
      for (auto& daemon : daemons) {
        daemon.join();
      }
      for (const std::string& outcome : outcomes) {
        CHECK(outcome == "version " + std::to_string(latest_schema_version()));
      }
      const auto store = database.open(1);
      CHECK(row_count(*store->lease(), "schema_migrations") == latest_schema_version());
    });
  }
}
