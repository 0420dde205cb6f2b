// The request logs a main database kept before LOGS_DATABASE_URL move to the
// logs' own database on the first start (core/traffic/move_logs).
#include "test_database.hpp"
#include "traffic/move_logs.hpp"

#include <doctest/doctest.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <string>
#include <vector>

using namespace oa::store;
using oa::store::test::on_each_backend;
using oa::store::test::TestDatabase;
using oa::traffic::check_log_tables;
using oa::traffic::move_request_logs;

namespace {

long long count(Store& store, const std::string& sql) {
  long long rows = 0;
  *store.lease() << sql, soci::into(rows);
  return rows;
}

void insert_traffic(soci::session& sql, int i) {
  const std::string path = "/api/v1/r" + std::to_string(i);
  long long user = 7;
  soci::indicator user_present = i % 3 == 0 ? soci::i_null : soci::i_ok;
  sql << "INSERT INTO traffic_logs (created_at, method, path, route, status, client_ip, user_id, total_us, "
            "broker_us) VALUES ('2026-11-26T09:15:00.000Z', 'POST', :path, 'r', 200, '::1', :user, :total, 1)",
      soci::use(path), soci::use(user, user_present), soci::use(i);
}

void insert_analyzer(Store& store, int i) {
  const std::string request = "{\"n\":" + std::to_string(i) + "}";
  *store.lease() << "INSERT INTO analyzer_logs (api_type, request_data, response_data, created_at) "
                    "VALUES ('placeorder', :request, '{}', '2026-11-26T09:15:00.000Z')",
      soci::use(request);
}

}  // namespace

TEST_SUITE("store") {
  TEST_CASE("the logs a main database kept move to the logs database whole, in order, and only once") {
    on_each_backend([](TestDatabase& main_database) {
      const auto main = main_database.open(2);
      auto logs_database = main_database.backend() == Backend::Sqlite ? TestDatabase::sqlite()
                                                                       : TestDatabase::postgres();
      const auto logs = Store::open(logs_database.url(), 2, logs_schema());
      const int traffic_rows = 4500;  // more than two batches, and a rest
      {
        auto lease = main->lease();
        soci::transaction transaction(*lease);
        for (int i = 0; i < traffic_rows; ++i) insert_traffic(*lease, i);
        transaction.commit();
      }
      for (int i = 0; i < 3; ++i) insert_analyzer(*main, i);
      insert_analyzer(*logs, 100);  // the logs database may already hold rows

      const auto moved = move_request_logs(*main, *logs);
      CHECK(moved.traffic == traffic_rows);
      CHECK(moved.analyzer == 3);
      CHECK(count(*main, "SELECT COUNT(*) FROM traffic_logs") == 0);
      CHECK(count(*main, "SELECT COUNT(*) FROM analyzer_logs") == 0);
      CHECK(count(*logs, "SELECT COUNT(*) FROM traffic_logs") == traffic_rows);
      // Old order, each row whole: the n-th row by id holds total_us = n.
      CHECK(count(*logs, "SELECT COUNT(*) FROM traffic_logs t WHERE total_us = "
                         "(SELECT COUNT(*) FROM traffic_logs u WHERE u.id < t.id) AND path = '/api/v1/r' || total_us "
                         "AND method = 'POST' AND route = 'r' AND status = 200 AND broker_us = 1") == traffic_rows);
      CHECK(count(*logs, "SELECT COUNT(*) FROM traffic_logs WHERE user_id IS NULL") == traffic_rows / 3);
      CHECK(count(*logs, "SELECT COUNT(*) FROM traffic_logs WHERE user_id = 7") == traffic_rows - traffic_rows / 3);
      CHECK(count(*logs, "SELECT COUNT(*) FROM analyzer_logs") == 4);
      CHECK(count(*logs, "SELECT COUNT(*) FROM analyzer_logs WHERE request_data = '{\"n\":2}'") == 1);

      const auto again = move_request_logs(*main, *logs);
      CHECK(again.traffic == 0);
      CHECK(again.analyzer == 0);
      CHECK(count(*logs, "SELECT COUNT(*) FROM traffic_logs") == traffic_rows);
    });
  }
  TEST_CASE("a logs database whose tables are not openalgod's, as OpenAlgo's own logs.db, is refused by name") {
    on_each_backend([](TestDatabase& database) {
      {
        const auto ours = Store::open(database.url(), 1, logs_schema());
        CHECK_NOTHROW(check_log_tables(*ours, database.url().display));
      }
    });
    // OpenAlgo's own traffic_logs has no created_at: the schema step fails, naming the database.
    const TestDatabase openalgo = TestDatabase::sqlite();
    {
      soci::session sql(soci::sqlite3, openalgo.url().connect_string);
      sql << "CREATE TABLE traffic_logs (id INTEGER PRIMARY KEY, timestamp TEXT, client_ip TEXT, method TEXT, "
             "path TEXT, status_code INTEGER, duration_ms REAL, host TEXT, error TEXT, user_id INTEGER)";
    }
    CHECK_THROWS_WITH_AS(Store::open(openalgo.url(), 1, logs_schema()),
                         doctest::Contains("schema migration 1 (request logs) failed"), std::runtime_error);
    // A table the schema step accepts, but with other columns, is caught before the first write.
    const TestDatabase other = TestDatabase::sqlite();
    {
      soci::session sql(soci::sqlite3, other.url().connect_string);
      sql << "CREATE TABLE traffic_logs (id INTEGER PRIMARY KEY, created_at TEXT, status_code INTEGER)";
    }
    const auto logs = Store::open(other.url(), 1, logs_schema());
    CHECK_THROWS_WITH_AS(check_log_tables(*logs, "sqlite:///db/logs.db"),
                         doctest::Contains("sqlite:///db/logs.db has log tables that are not openalgod's"),
                         std::runtime_error);
  }
}
