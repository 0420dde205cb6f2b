// The traffic and analyzer logs' writer (core/traffic/request_log): entries
// reach the store in batches, off the caller's thread; a full queue drops
// and counts instead of waiting; API keys never reach the store.
#include "store/users.hpp"
#include "test_database.hpp"
#include "traffic/request_log.hpp"

#include <doctest/doctest.h>
#include <soci/soci.h>

#include <string>

using namespace oa::store;
using oa::traffic::AnalyzerEntry;
using oa::traffic::RequestLog;
using oa::traffic::TrafficEntry;
using oa::store::test::on_each_store;

namespace {

constexpr std::int64_t kAlice = 7;

RequestLog::KeyOwner owner_of_key() {
  return [](std::string_view key) -> std::optional<std::int64_t> {
    if (key == "alice-key") return kAlice;
    return std::nullopt;
  };
}

TrafficEntry request(std::string route, std::int64_t total_us, std::int64_t broker_us, std::string key = "") {
  return {1764000000123, "POST", route, route, 200, "127.0.0.1", std::move(key), total_us, broker_us};
}

// A writer that writes only when flushed or when 1000 entries are queued.
RequestLog::Options held(std::size_t capacity = 1000) {
  RequestLog::Options options;
  options.capacity = capacity;
  options.batch = 1000;
  options.linger = std::chrono::hours(1);
  return options;
}

long long count(Store& store, const std::string& sql) {
  long long rows = 0;
  *store.lease() << sql, soci::into(rows);
  return rows;
}

}  // namespace

TEST_SUITE("store") {
  TEST_CASE("recorded requests are stored with their owner, times and status, and never the API key") {
    on_each_store([](Store& store) {
      RequestLog log(store, owner_of_key(), held());
      CHECK(log.record(request("/api/v1/quotes", 900, 600, "alice-key")));
      CHECK(log.record(request("/api/v1/ping", 100, 0, "unknown-key")));
      log.flush();
      std::string path, created_at;
      long long user = 0, total = 0, broker = 0;
      int status = 0;
      *store.lease() << "SELECT path, created_at, user_id, total_us, broker_us, status FROM traffic_logs "
                        "WHERE path = '/api/v1/quotes'",
          soci::into(path), soci::into(created_at), soci::into(user), soci::into(total), soci::into(broker),
          soci::into(status);
      CHECK(created_at == "2025-11-24T16:00:00.123Z");
      CHECK(user == kAlice);
      CHECK(total == 900);
      CHECK(broker == 600);
      CHECK(status == 200);
      CHECK(count(store, "SELECT COUNT(*) FROM traffic_logs WHERE user_id IS NULL") == 1);
      CHECK(count(store, "SELECT COUNT(*) FROM traffic_logs WHERE path LIKE '%key%' OR client_ip LIKE '%key%'") == 0);
    });
  }

  TEST_CASE("a batch of many requests is written whole and in order, each row with its own values and owner") {
    on_each_store([](Store& store) {
      RequestLog log(store, owner_of_key(), held());
      const int requests = 75;  // more than two groups of rows per INSERT, and a rest
      for (int i = 0; i < requests; ++i)
        REQUIRE(log.record(request("/api/v1/r" + std::to_string(i), i, 0, i % 2 == 1 ? "alice-key" : "")));
      log.flush();
      CHECK(count(store, "SELECT COUNT(*) FROM traffic_logs") == requests);
      CHECK(count(store, "SELECT COUNT(*) FROM traffic_logs WHERE path = '/api/v1/r' || total_us") == requests);
      CHECK(count(store, "SELECT COUNT(*) FROM traffic_logs t WHERE total_us = "
                         "(SELECT COUNT(*) FROM traffic_logs u WHERE u.id < t.id)") == requests);
      CHECK(count(store, "SELECT COUNT(*) FROM traffic_logs WHERE user_id = 7") == requests / 2);
      CHECK(count(store, "SELECT COUNT(*) FROM traffic_logs WHERE user_id IS NULL") == requests - requests / 2);
    });
  }

  TEST_CASE("the log writes to a database of the logs schema alone, as LOGS_DATABASE_URL gives it") {
    oa::store::test::on_each_backend([](oa::store::test::TestDatabase& database) {
      const auto logs = Store::open(database.url(), 2, logs_schema());
      RequestLog log(*logs, owner_of_key(), held());
      CHECK(log.record(request("/api/v1/quotes", 900, 600, "alice-key")));
      log.record(AnalyzerEntry{1764000000000, "placeorder", R"({"apikey":"alice-key"})", "{}"});
      log.flush();
      CHECK(log.snapshot().failed == 0);
      CHECK(count(*logs, "SELECT COUNT(*) FROM traffic_logs WHERE user_id = 7 AND total_us = 900") == 1);
      CHECK(count(*logs, "SELECT COUNT(*) FROM analyzer_logs WHERE request_data = '{}'") == 1);
    });
  }

  TEST_CASE("the writer keeps its connection through a backlog and gives it back when the queue runs dry") {
    oa::store::test::on_each_backend([](oa::store::test::TestDatabase& database) {
      const auto logs = Store::open(database.url(), 1, logs_schema());  // the writer's turn, then ours
      RequestLog::Options options = held();
      options.batch = 2;
      RequestLog log(*logs, owner_of_key(), options);
      for (int i = 0; i < 7; ++i) REQUIRE(log.record(request("/api/v1/r" + std::to_string(i), i, 0)));
      log.flush();
      CHECK(count(*logs, "SELECT COUNT(*) FROM traffic_logs") == 7);  // a lease: would time out if kept
      CHECK(log.snapshot().written == 7);
    });
  }

  TEST_CASE("after a batch fails, the next one is written") {
    oa::store::test::on_each_backend([](oa::store::test::TestDatabase& database) {
      const auto logs = Store::open(database.url(), 2, logs_schema());
      RequestLog log(*logs, owner_of_key(), held());
      REQUIRE(log.record(request("/api/v1/first", 1, 0)));
      log.flush();
      *logs->lease() << "ALTER TABLE traffic_logs RENAME TO traffic_logs_away";
      REQUIRE(log.record(request("/api/v1/lost", 2, 0)));
      log.flush();
      CHECK(log.snapshot().failed == 1);
      *logs->lease() << "ALTER TABLE traffic_logs_away RENAME TO traffic_logs";
      REQUIRE(log.record(request("/api/v1/third", 3, 0)));
      log.flush();
      CHECK(log.snapshot().written == 2);
      CHECK(count(*logs, "SELECT COUNT(*) FROM traffic_logs WHERE path <> '/api/v1/lost'") == 2);
    });
  }

  TEST_CASE("a full queue drops entries and counts them instead of waiting") {
    on_each_store([](Store& store) {
      RequestLog log(store, owner_of_key(), held(3));
      int accepted = 0;
      for (int i = 0; i < 5; ++i) accepted += log.record(request("/api/v1/ping", 10, 0)) ? 1 : 0;
      CHECK(accepted == 3);
      log.flush();
      auto snapshot = log.snapshot();
      CHECK(snapshot.dropped == 2);
      CHECK(snapshot.written == 3);
      CHECK(count(store, "SELECT COUNT(*) FROM traffic_logs") == 3);
    });
  }

  TEST_CASE("the analyzer log keeps request and response without the API key, and counts its rows") {
    on_each_store([](Store& store) {
      *store.lease() << "INSERT INTO analyzer_logs (api_type, request_data, response_data, created_at) "
                        "VALUES ('placeorder', '{}', '{}', '2025-01-01T00:00:00.000Z')";
      RequestLog log(store, owner_of_key(), held());
      CHECK(log.analyzer_total() == 1);
      log.record(AnalyzerEntry{1764000000000, "placeorder", R"({"apikey":"alice-key","symbol":"SBIN"})",
                               R"({"status":"success","orderid":"1"})"});
      log.record(AnalyzerEntry{1764000000000, "cancelorder", "not json with alice-key", "{}"});
      CHECK(log.analyzer_total() == 3);  // counted when accepted, before the writer runs
      log.flush();
      std::string request_data, response_data;
      *store.lease() << "SELECT request_data, response_data FROM analyzer_logs WHERE api_type = 'placeorder' "
                        "ORDER BY id DESC LIMIT 1",
          soci::into(request_data), soci::into(response_data);
      CHECK(request_data == R"({"symbol":"SBIN"})");
      CHECK(response_data == R"({"status":"success","orderid":"1"})");
      CHECK(count(store, "SELECT COUNT(*) FROM analyzer_logs WHERE request_data LIKE '%alice-key%'") == 0);
      CHECK(count(store, "SELECT COUNT(*) FROM analyzer_logs") == 3);
    });
  }

  TEST_CASE("the snapshot gives recent requests newest first and percentiles per route, daemon time apart") {
    on_each_store([](Store& store) {
      RequestLog log(store, owner_of_key(), held());
      for (int i = 1; i <= 100; ++i) log.record(request("/api/v1/quotes", 1000 + i, 1000));
      log.record(request("/api/v1/ping", 50, 0, "alice-key"));
      log.flush();
      auto snapshot = log.snapshot();
      REQUIRE(snapshot.recent.size() == 100);
      CHECK(snapshot.recent.front().path == "/api/v1/ping");
      CHECK(snapshot.recent.front().user_id == kAlice);
      REQUIRE(snapshot.routes.size() == 2);
      const auto& quotes = snapshot.routes[1];
      CHECK(quotes.route == "/api/v1/quotes");
      CHECK(quotes.count == 100);
      CHECK(quotes.total_p50 == 1051);
      CHECK(quotes.total_p99 == 1099);
      CHECK(quotes.daemon_p50 == 51);
      CHECK(quotes.daemon_p99 == 99);
      CHECK(quotes.broker_p50 == 1000);
    });
  }

  TEST_CASE("entries still queued when the log closes are written") {
    on_each_store([](Store& store) {
      {
        RequestLog log(store, owner_of_key(), held());
        log.record(request("/api/v1/ping", 10, 0));
        log.record(AnalyzerEntry{1764000000000, "analyzer", "{}", "{}"});
      }
      CHECK(count(store, "SELECT COUNT(*) FROM traffic_logs") == 1);
      CHECK(count(store, "SELECT COUNT(*) FROM analyzer_logs") == 1);
    });
  }

  TEST_CASE("log rows older than their retention are purged when the log starts, newer ones kept") {
    on_each_store([](Store& store) {
      // Now is 2025-11-24T16:00:00Z; 30 days back is 2025-10-25T16:00:00Z.
      for (const std::string at : {"2025-10-25T15:59:59.999Z", "2025-10-25T16:00:00.001Z"}) {
        *store.lease() << "INSERT INTO traffic_logs (created_at, method, path, route, status, client_ip, total_us, "
                          "broker_us) VALUES (:at, 'GET', '/api/v1/ping', '', 200, '127.0.0.1', 1, 0)",
            soci::use(at);
        *store.lease() << "INSERT INTO analyzer_logs (api_type, request_data, response_data, created_at) "
                          "VALUES ('placeorder', '{}', '{}', :at)",
            soci::use(at);
      }
      RequestLog::Options options = held();
      options.traffic_retention_days = 30;
      options.analyzer_retention_days = 30;
      options.now_ms = [] { return std::int64_t{1764000000000}; };
      RequestLog log(store, owner_of_key(), options);
      log.record(request("/api/v1/ping", 10, 0));
      log.flush();  // the writer purges before it writes its first batch
      CHECK(count(store, "SELECT COUNT(*) FROM traffic_logs WHERE created_at < '2025-10-25T16:00:00.000Z'") == 0);
      CHECK(count(store, "SELECT COUNT(*) FROM traffic_logs") == 2);
      CHECK(count(store, "SELECT COUNT(*) FROM analyzer_logs") == 1);
      CHECK(log.analyzer_total() == 1);
    });
  }

  TEST_CASE("a retention of 0 days keeps every log row") {
    on_each_store([](Store& store) {
      *store.lease() << "INSERT INTO traffic_logs (created_at, method, path, route, status, client_ip, total_us, "
                        "broker_us) VALUES ('2000-01-01T00:00:00.000Z', 'GET', '/', '', 200, '127.0.0.1', 1, 0)";
      RequestLog::Options options = held();
      options.traffic_retention_days = 0;
      RequestLog log(store, owner_of_key(), options);
      log.record(request("/api/v1/ping", 10, 0));
      log.flush();
      CHECK(count(store, "SELECT COUNT(*) FROM traffic_logs") == 2);
    });
  }

  TEST_CASE("the purge runs again once its interval has passed, not only at start") {
    on_each_store([](Store& store) {
      RequestLog::Options options = held();
      options.traffic_retention_days = 1;
      options.purge_interval = std::chrono::milliseconds(0);  // due at every wake-up
      options.now_ms = [] { return std::int64_t{1764000000000}; };
      RequestLog log(store, owner_of_key(), options);
      log.record(request("/api/v1/ping", 10, 0));
      log.flush();
      *store.lease() << "INSERT INTO traffic_logs (created_at, method, path, route, status, client_ip, total_us, "
                        "broker_us) VALUES ('2025-01-01T00:00:00.000Z', 'GET', '/', '', 200, '127.0.0.1', 1, 0)";
      log.record(request("/api/v1/ping", 10, 0));
      log.flush();
      CHECK(count(store, "SELECT COUNT(*) FROM traffic_logs WHERE created_at < '2025-11-23T16:00:00.000Z'") == 0);
      CHECK(count(store, "SELECT COUNT(*) FROM traffic_logs") == 2);
    });
  }
}
