#include "store/pending_orders.hpp"

#include "store/native_sql.hpp"

#include <soci/soci.h>

#include <stdexcept>

namespace oa::store {
namespace {

constexpr const char* kColumns =
    "p.id, p.user_id, u.username, p.api_type, p.order_data, COALESCE(p.client_order_id, ''), p.status, "
    "p.created_at, COALESCE(p.decided_at, ''), COALESCE(p.decided_by, ''), COALESCE(p.rejected_reason, ''), "
    "p.result_status, COALESCE(p.result, '')";

std::string select(const std::string& where_and_order) {
  return std::string("SELECT ") + kColumns + " FROM pending_orders p JOIN users u ON u.id = p.user_id " +
         where_and_order;
}

// The database's clock in the schema's timestamp form (migrations.cpp).
std::string now_sql(Backend backend) {
  return backend == Backend::Postgres ? "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
                                      : "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";
}

// Runs a SELECT of kColumns, binding `parameters` in turn.
template <typename... Parameters>
std::vector<PendingOrder> fetch(soci::session& sql, const std::string& query_text, const Parameters&... parameters) {
  PendingOrder row;
  long long id = 0, user_id = 0;
  int result_status = 0;
  soci::indicator result_indicator = soci::i_null;
  auto query = (sql.prepare << query_text, soci::into(id), soci::into(user_id), soci::into(row.username),
                soci::into(row.api_type), soci::into(row.order_data), soci::into(row.client_order_id),
                soci::into(row.status), soci::into(row.created_at), soci::into(row.decided_at),
                soci::into(row.decided_by), soci::into(row.rejected_reason),
                soci::into(result_status, result_indicator), soci::into(row.result));
  ((query, soci::use(parameters)), ...);
  soci::statement statement(query);
  statement.execute();
  std::vector<PendingOrder> rows;
  while (statement.fetch()) {
    row.id = id;
    row.user_id = user_id;
    row.result_status = result_indicator == soci::i_ok ? std::optional<int>(result_status) : std::nullopt;
    rows.push_back(row);
  }
  return rows;
}

}  // namespace

PendingOrders::Queued PendingOrders::add(std::int64_t user_id, const std::string& api_type,
                                         const std::string& order_data, const std::string& client_order_id) {
  if (!client_order_id.empty())
    if (auto earlier = find_by_client_id(user_id, client_order_id)) return {*earlier, true};
  long long id = 0, user = user_id;
  soci::indicator client_indicator = client_order_id.empty() ? soci::i_null : soci::i_ok;
  {
    auto lease = store_.lease();
    try {
      *lease << "INSERT INTO pending_orders (user_id, api_type, order_data, client_order_id) "
                "VALUES (:user, :api_type, :order_data, :client) RETURNING id",
          soci::use(user), soci::use(api_type), soci::use(order_data), soci::use(client_order_id, client_indicator),
          soci::into(id);
      return {id, false};
    } catch (const soci::soci_error& error) {
      // Another request with the same client_order_id was queued first.
      if (client_order_id.empty() || !is_unique_violation(error, *lease, lease.backend())) throw;
    }
  }
  if (auto earlier = find_by_client_id(user_id, client_order_id)) return {*earlier, true};
  throw std::runtime_error("pending order with client_order_id " + client_order_id + " vanished");
}

std::optional<PendingOrder> PendingOrders::find(std::int64_t id) const {
  auto lease = store_.lease();
  long long row = id;
  auto rows = fetch(*lease, select("WHERE p.id = :id"), row);
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

std::vector<PendingOrder> PendingOrders::list(const std::string& status, std::size_t limit) const {
  auto lease = store_.lease();
  const std::string order = " ORDER BY p.id DESC LIMIT " + std::to_string(limit);
  if (status.empty()) return fetch(*lease, select(order));
  return fetch(*lease, select("WHERE p.status = :status" + order), status);
}

bool PendingOrders::approve(std::int64_t id, const std::string& approver) {
  auto lease = store_.lease();
  long long row = id;
  soci::statement statement =
      (lease->prepare << "UPDATE pending_orders SET status = 'approved', decided_by = :by, decided_at = " +
                             now_sql(lease.backend()) + " WHERE id = :id AND status = 'pending'",
       soci::use(approver), soci::use(row));
  statement.execute(true);
  return statement.get_affected_rows() == 1;
}

bool PendingOrders::reject(std::int64_t id, const std::string& rejecter, const std::string& reason) {
  auto lease = store_.lease();
  long long row = id;
  soci::statement statement =
      (lease->prepare << "UPDATE pending_orders SET status = 'rejected', decided_by = :by, rejected_reason = :reason, "
                         "decided_at = " + now_sql(lease.backend()) + " WHERE id = :id AND status = 'pending'",
       soci::use(rejecter), soci::use(reason), soci::use(row));
  statement.execute(true);
  return statement.get_affected_rows() == 1;
}

void PendingOrders::record_result(std::int64_t id, int http_status, const std::string& body) {
  auto lease = store_.lease();
  long long row = id;
  *lease << "UPDATE pending_orders SET result_status = :status, result = :body WHERE id = :id", soci::use(http_status),
      soci::use(body), soci::use(row);
}

std::optional<std::int64_t> PendingOrders::find_by_client_id(std::int64_t user_id,
                                                             const std::string& client_order_id) const {
  auto lease = store_.lease();
  long long id = 0, user = user_id;
  *lease << "SELECT id FROM pending_orders WHERE user_id = :user AND client_order_id = :client", soci::use(user),
      soci::use(client_order_id), soci::into(id);
  if (!lease->got_data()) return std::nullopt;
  return id;
}

}  // namespace oa::store
