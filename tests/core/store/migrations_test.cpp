#include "store/migrations.hpp"
#include "store/store.hpp"
#include "test_database.hpp"

#include <doctest/doctest.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

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

void insert_sandbox_order(soci::session& sql, int user, const std::string& orderid, const std::string& pricetype) {
  sql << "INSERT INTO sandbox_orders (orderid, user_id, strategy, symbol, exchange, action, quantity, price, "
         "trigger_price, pricetype, product, status, average_price, filled_quantity, pending_quantity, "
         "rejection_reason, margin_blocked_paise, created_at, updated_at) VALUES (:orderid, :user, 's', 'SBIN', "
         "'NSE', 'BUY', 1, 800, 0, :pricetype, 'MIS', 'complete', 800, 1, 0, '', 0, "
         "'2026-11-26T09:15:00.000Z', '2026-11-26T09:15:00.000Z')",
      soci::use(orderid), soci::use(user), soci::use(pricetype);
}

void insert_sandbox_trade(soci::session& sql, const std::string& tradeid, const std::string& orderid) {
  sql << "INSERT INTO sandbox_trades (tradeid, orderid, user_id, symbol, exchange, action, quantity, price, "
         "product, strategy, created_at) VALUES (:tradeid, :orderid, 1, 'SBIN', 'NSE', 'BUY', 1, 800, 'MIS', 's', "
         "'2026-11-26T09:15:00.000Z')",
      soci::use(tradeid), soci::use(orderid);
}

void insert_journal_entry(soci::session& sql, const std::string& client_order_id, const std::string& state) {
  sql << "INSERT INTO order_journal (user_id, broker, mode, operation, client_order_id, request, state) "
         "VALUES (1, 'simulator', 'analyze', 'placeorder', NULLIF(:client, ''), '{}', :state)",
      soci::use(client_order_id), soci::use(state);
}

std::string query_plan(soci::session& sql, const std::string& query) {
  std::string plan;
  soci::rowset<soci::row> rows = sql.prepare << "EXPLAIN QUERY PLAN " + query;
  for (const auto& row : rows) plan += row.get<std::string>(3) + "\n";
  return plan;
}

// A SQLite database migrated up to `version` only, with foreign keys on and
// one user (id 1), to check what a later migration does to its rows.
struct SqliteAtVersion {
  explicit SqliteAtVersion(int version) : sql(soci::sqlite3, database.url().connect_string) {
    sql << "PRAGMA foreign_keys=ON";
    REQUIRE(migrate(sql, Backend::Sqlite, migrations().first(version)) == version);
    sql << "INSERT INTO users (username, password_hash) VALUES ('u', 'h')";
  }
  const TestDatabase database = TestDatabase::sqlite();
  soci::session sql;
};

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

  TEST_CASE("the logs schema makes a database of the two log tables alone, and leaves a main database as it was") {
    on_each_backend([](TestDatabase& database) {
      const auto logs = Store::open(database.url(), 1, logs_schema());
      CHECK(logs->schema_version() == 1);
      auto lease = logs->lease();
      CHECK(row_count(*lease, "traffic_logs") == 0);
      CHECK(row_count(*lease, "analyzer_logs") == 0);
      CHECK(row_count(*lease, "log_schema_migrations") == 1);
      CHECK_FALSE(table_exists(*lease, "users"));
      CHECK_FALSE(table_exists(*lease, "schema_migrations"));
      if (database.backend() == Backend::Sqlite) {
        // Rowid keys, no AUTOINCREMENT: a logged row writes no sqlite_sequence.
        *lease << "INSERT INTO analyzer_logs (api_type, request_data, response_data, created_at) "
                  "VALUES ('placeorder', '{}', '{}', '2026-11-26T09:15:00.000Z')";
        CHECK_FALSE(table_exists(*lease, "sqlite_sequence"));
      }
    });
    on_each_store([](Store& main) {
      auto lease = main.lease();
      *lease << "INSERT INTO traffic_logs (created_at, method, path, route, status, client_ip, total_us, broker_us) "
                "VALUES ('2026-11-26T09:15:00.000Z', 'POST', '/api/v1/ping', 'ping', 200, '::1', 5, 0)";
      CHECK(migrate(*lease, lease.backend(), logs_schema()) == 1);
      CHECK(row_count(*lease, "traffic_logs") == 1);
      CHECK(row_count(*lease, "schema_migrations") == latest_schema_version());
      CHECK(migrate(*lease, lease.backend(), migrations()) == latest_schema_version());
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

  TEST_CASE("migration 7 rebuilds sandbox_orders keeping its rows, their trades, its ids and its checks") {
    SqliteAtVersion old(6);
    soci::session& sql = old.sql;
    insert_sandbox_order(sql, 1, "O1", "MARKET");
    insert_sandbox_order(sql, 1, "O2", "LIMIT");
    insert_sandbox_order(sql, 1, "O3", "SL");
    sql << "DELETE FROM sandbox_orders WHERE orderid = 'O3'";
    insert_sandbox_trade(sql, "T1", "O2");

    CHECK(migrate(sql, Backend::Sqlite, migrations().first(7)) == 7);  // 9 lets ids come back

    CHECK(row_count(sql, "sandbox_orders") == 2);
    CHECK(row_count(sql, "sandbox_trades") == 1);  // not cascaded away with the old table
    insert_sandbox_order(sql, 1, "O4", "SL-M");
    long long id = 0;
    sql << "SELECT id FROM sandbox_orders WHERE orderid = 'O4'", soci::into(id);
    CHECK(id == 4);  // O3's id is not given again
    CHECK_THROWS_AS(insert_sandbox_order(sql, 1, "O5", "STOP"), soci::soci_error);
    CHECK_THROWS_AS(insert_sandbox_order(sql, 99, "O6", "LIMIT"), soci::soci_error);  // foreign keys are back on
    sql << "DELETE FROM sandbox_orders WHERE orderid = 'O2'";
    CHECK(row_count(sql, "sandbox_trades") == 0);  // and still cascade to the rebuilt table's trades
  }

  TEST_CASE("migration 8 rebuilds order_journal keeping its rows and ids, indexing only the rows looked up") {
    SqliteAtVersion old(7);
    soci::session& sql = old.sql;
    insert_journal_entry(sql, "c1", "done");
    insert_journal_entry(sql, "", "pending");
    insert_journal_entry(sql, "", "done");
    sql << "DELETE FROM order_journal WHERE id = 3";

    CHECK(migrate(sql, Backend::Sqlite, migrations()) == latest_schema_version());

    CHECK(row_count(sql, "order_journal") == 2);
    insert_journal_entry(sql, "", "done");
    insert_journal_entry(sql, "", "done");  // entries without a client_order_id never collide
    long long newest = 0;
    sql << "SELECT MAX(id) FROM order_journal", soci::into(newest);
    CHECK(newest == 5);  // the deleted entry's id is not given again
    CHECK_THROWS_AS(insert_journal_entry(sql, "c1", "pending"), soci::soci_error);  // still one entry per client id
    CHECK(query_plan(sql, "SELECT id FROM order_journal WHERE user_id = 1 AND client_order_id = 'c1'")
              .find("order_journal_client_id") != std::string::npos);
    CHECK(query_plan(sql, "SELECT id FROM order_journal WHERE state <> 'done' ORDER BY id")
              .find("order_journal_unfinished") != std::string::npos);
    long long indexed = 0;
    sql << "SELECT COUNT(*) FROM order_journal INDEXED BY order_journal_unfinished WHERE state <> 'done'",
        soci::into(indexed);
    CHECK(indexed == 1);
    sql << "DELETE FROM users";
    CHECK(row_count(sql, "order_journal") == 0);  // still cascades from users
  }

  TEST_CASE("migration 9 rebuilds sandbox_orders without a sequence, keeping rows, trades and checks") {
    SqliteAtVersion old(8);
    soci::session& sql = old.sql;
    insert_sandbox_order(sql, 1, "O1", "MARKET");
    insert_sandbox_order(sql, 1, "O2", "LIMIT");
    sql << "UPDATE sandbox_orders SET status = 'open' WHERE orderid = 'O2'";
    insert_sandbox_trade(sql, "T1", "O1");

    CHECK(migrate(sql, Backend::Sqlite, migrations()) == latest_schema_version());

    CHECK(row_count(sql, "sandbox_orders") == 2);
    CHECK(row_count(sql, "sandbox_trades") == 1);
    long long sequences = 0;
    sql << "SELECT COUNT(*) FROM sqlite_sequence WHERE name LIKE 'sandbox_orders%'", soci::into(sequences);
    CHECK(sequences == 0);
    insert_sandbox_order(sql, 1, "O3", "SL-M");
    long long id = 0;
    sql << "SELECT id FROM sandbox_orders WHERE orderid = 'O3'", soci::into(id);
    CHECK(id == 3);
    CHECK_THROWS_AS(insert_sandbox_order(sql, 1, "O1", "LIMIT"), soci::soci_error);  // orderid still unique
    CHECK_THROWS_AS(insert_sandbox_order(sql, 1, "O4", "STOP"), soci::soci_error);
    CHECK_THROWS_AS(insert_sandbox_order(sql, 99, "O5", "LIMIT"), soci::soci_error);
    const std::string live = "SELECT orderid FROM sandbox_orders WHERE status = 'open' OR status = 'trigger pending' "
                             "ORDER BY orderid";
    CHECK(query_plan(sql, live).find("sandbox_orders_live") != std::string::npos);
    long long indexed = 0;
    sql << "SELECT COUNT(*) FROM sandbox_orders INDEXED BY sandbox_orders_live "
           "WHERE status = 'open' OR status = 'trigger pending'",
        soci::into(indexed);
    CHECK(indexed == 1);
    sql << "DELETE FROM sandbox_orders WHERE orderid = 'O1'";
    CHECK(row_count(sql, "sandbox_trades") == 0);  // trades still cascade
  }

  TEST_CASE("on every backend sandbox orders are indexed by status only while live, after migration 9") {
    on_each_store([](Store& store) {
      auto lease = store.lease();
      const std::string indexes = lease.backend() == Backend::Sqlite
                                      ? "SELECT name FROM sqlite_master WHERE type = 'index'"
                                      : "SELECT indexname AS name FROM pg_indexes";
      long long live = 0, full = 0;
      *lease << "SELECT COUNT(*) FROM (" + indexes + ") i WHERE name = 'sandbox_orders_live'", soci::into(live);
      *lease << "SELECT COUNT(*) FROM (" + indexes + ") i WHERE name = 'sandbox_orders_status'", soci::into(full);
      CHECK(live == 1);
      CHECK(full == 0);
    });
  }

  TEST_CASE("on every backend the journal refuses a second entry for one client_order_id after migration 8") {
    on_each_store([](Store& store) {
      auto lease = store.lease();
      *lease << "INSERT INTO users (username, password_hash) VALUES ('journal-u', 'h')";
      long long user = 0;
      *lease << "SELECT id FROM users WHERE username = 'journal-u'", soci::into(user);
      const std::string insert =
          "INSERT INTO order_journal (user_id, broker, mode, operation, client_order_id, request, state) "
          "VALUES (:user, 'simulator', 'analyze', 'placeorder', :client, '{}', 'pending')";
      const std::string client = "c1";
      *lease << insert, soci::use(user), soci::use(client);
      CHECK_THROWS_AS((*lease << insert, soci::use(user), soci::use(client)), soci::soci_error);
      soci::indicator no_client = soci::i_null;
      const std::string none;
      for (int i = 0; i < 2; ++i)
        *lease << insert, soci::use(user), soci::use(none, no_client);
      long long total = 0;
      *lease << "SELECT COUNT(*) FROM order_journal WHERE user_id = :user", soci::use(user), soci::into(total);
      CHECK(total == 3);
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
