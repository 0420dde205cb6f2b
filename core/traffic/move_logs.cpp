#include "traffic/move_logs.hpp"

#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "store/transaction.hpp"

namespace oa::traffic {
namespace {

constexpr std::size_t kBatch = 2000;

struct TrafficRows {
  std::vector<long long> id;
  std::vector<std::string> created_at, method, path, route, client_ip;
  std::vector<int> status;
  std::vector<long long> user_id, total_us, broker_us;
  std::vector<soci::indicator> user_present;

  // SOCI fetches as many rows as the vectors are long, and shortens them to
  // the rows it found.
  std::size_t fetch(soci::session& sql) {
    for (auto* text : {&created_at, &method, &path, &route, &client_ip}) text->resize(kBatch);
    for (auto* number : {&id, &user_id, &total_us, &broker_us}) number->resize(kBatch);
    status.resize(kBatch);
    user_present.resize(kBatch);
    sql << "SELECT id, created_at, method, path, route, status, client_ip, user_id, total_us, broker_us "
           "FROM traffic_logs ORDER BY id LIMIT "
        << kBatch,
        soci::into(id), soci::into(created_at), soci::into(method), soci::into(path), soci::into(route),
        soci::into(status), soci::into(client_ip), soci::into(user_id, user_present), soci::into(total_us),
        soci::into(broker_us);
    if (!sql.got_data()) return 0;
    return id.size();
  }

  void insert(soci::session& sql) {
    sql << "INSERT INTO traffic_logs (created_at, method, path, route, status, client_ip, user_id, total_us, "
           "broker_us) VALUES (:at, :method, :path, :route, :status, :ip, :user, :total, :broker)",
        soci::use(created_at), soci::use(method), soci::use(path), soci::use(route), soci::use(status),
        soci::use(client_ip), soci::use(user_id, user_present), soci::use(total_us), soci::use(broker_us);
  }
};

struct AnalyzerRows {
  std::vector<long long> id;
  std::vector<std::string> api_type, request, response, created_at;

  std::size_t fetch(soci::session& sql) {
    id.resize(kBatch);
    for (auto* text : {&api_type, &request, &response, &created_at}) text->resize(kBatch);
    sql << "SELECT id, api_type, request_data, response_data, created_at FROM analyzer_logs ORDER BY id LIMIT "
        << kBatch,
        soci::into(id), soci::into(api_type), soci::into(request), soci::into(response), soci::into(created_at);
    if (!sql.got_data()) return 0;
    return id.size();
  }

  void insert(soci::session& sql) {
    sql << "INSERT INTO analyzer_logs (api_type, request_data, response_data, created_at) "
           "VALUES (:api_type, :request, :response, :at)",
        soci::use(api_type), soci::use(request), soci::use(response), soci::use(created_at);
  }
};

// Moves `table`'s rows batch by batch until `main` has none left.
template <typename Rows>
std::int64_t move_table(store::Store& main, store::Store& logs, const char* table) {
  std::int64_t moved = 0;
  for (Rows rows;;) {
    std::size_t count = 0;
    {
      auto lease = main.lease();
      count = rows.fetch(*lease);
    }
    if (count == 0) return moved;
    {
      auto lease = logs.lease();
      store::Transaction transaction(lease);
      rows.insert(*lease);
      transaction.commit();
    }
    const long long last = rows.id.back();
    auto lease = main.lease();
    *lease << "DELETE FROM " << table << " WHERE id <= :last", soci::use(last);
    moved += static_cast<std::int64_t>(count);
  }
}

}  // namespace

void check_log_tables(store::Store& logs, const std::string& display) {
  constexpr const char* kReads[] = {
      "SELECT id, created_at, method, path, route, status, client_ip, user_id, total_us, broker_us "
      "FROM traffic_logs WHERE 0 = 1",
      "SELECT id, api_type, request_data, response_data, created_at FROM analyzer_logs WHERE 0 = 1",
  };
  auto lease = logs.lease();
  for (const char* read : kReads) {
    try {
      soci::rowset<soci::row> rows = (lease->prepare << read);
      (void)rows;
    } catch (const std::exception& error) {
      throw std::runtime_error("the logs database " + display +
                               " has log tables that are not openalgod's (OpenAlgo's own logs.db?): " +
                               error.what() + "; set LOGS_DATABASE_URL to a new file");
    }
  }
}

MovedLogs move_request_logs(store::Store& main, store::Store& logs) {
  MovedLogs moved;
  moved.traffic = move_table<TrafficRows>(main, logs, "traffic_logs");
  moved.analyzer = move_table<AnalyzerRows>(main, logs, "analyzer_logs");
  if (moved.traffic + moved.analyzer > 0) {
    spdlog::info("traffic: moved {} traffic log and {} analyzer log rows to the logs database", moved.traffic,
                 moved.analyzer);
  }
  return moved;
}

}  // namespace oa::traffic
