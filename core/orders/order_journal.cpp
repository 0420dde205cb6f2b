#include "orders/order_journal.hpp"

#include <soci/soci.h>

#include "store/transaction.hpp"
#include "store/utc_text.hpp"

namespace oa::orders {
namespace {

constexpr const char* kColumns =
    "id, user_id, broker, mode, operation, COALESCE(client_order_id, ''), request, state, COALESCE(http_status, 0), "
    "COALESCE(response, ''), COALESCE(broker_orderid, ''), COALESCE(note, ''), created_at";

// SOCI types an integer column by its declaration and the backend (int or
// long long), and an expression by its value: accept any integer type.
long long integer_at(const soci::row& row, std::size_t column) {
  switch (row.get_properties(column).get_data_type()) {
    case soci::dt_integer: return row.get<int>(column);
    case soci::dt_long_long: return row.get<long long>(column);
    case soci::dt_unsigned_long_long: return static_cast<long long>(row.get<unsigned long long>(column));
    case soci::dt_double: return static_cast<long long>(row.get<double>(column));
    default: return std::stoll(row.get<std::string>(column));
  }
}

JournalEntry entry_from(const soci::row& row) {
  JournalEntry entry;
  entry.id = integer_at(row, 0);
  entry.user_id = integer_at(row, 1);
  entry.broker = row.get<std::string>(2);
  entry.mode = row.get<std::string>(3);
  entry.operation = row.get<std::string>(4);
  entry.client_order_id = row.get<std::string>(5);
  entry.request = row.get<std::string>(6);
  entry.state = row.get<std::string>(7);
  entry.http_status = static_cast<int>(integer_at(row, 8));
  entry.response = row.get<std::string>(9);
  entry.broker_orderid = row.get<std::string>(10);
  entry.note = row.get<std::string>(11);
  entry.created_at = row.get<std::string>(12);
  return entry;
}

std::vector<JournalEntry> entries(const soci::rowset<soci::row>& rows) {
  std::vector<JournalEntry> out;
  for (const auto& row : rows) out.push_back(entry_from(row));
  return out;
}

std::string select(const std::string& where) { return std::string("SELECT ") + kColumns + " FROM order_journal " + where; }

// An empty client_order_id, broker_orderid or note is stored as NULL. Every
// time in the journal comes from this process's clock (store::utc_now_iso),
// not the column defaults: one clock for created and updated, and SQLite's
// strftime cost more per row than the rest of an insert outside its B-trees.
constexpr const char* kInsert =
    "INSERT INTO order_journal (user_id, broker, mode, operation, client_order_id, request, state, created_at, "
    "updated_at) VALUES (:user, :broker, :mode, :operation, NULLIF(:client, ''), :request, 'pending', :created, "
    ":updated) RETURNING id";
constexpr const char* kRecord =
    "INSERT INTO order_journal (user_id, broker, mode, operation, request, state, http_status, response, "
    "broker_orderid, created_at, updated_at) VALUES (:user, :broker, :mode, :operation, :request, 'done', "
    ":status, :response, NULLIF(:orderid, ''), :created, :updated)";
constexpr const char* kComplete =
    "UPDATE order_journal SET state = 'done', http_status = :status, response = :response, "
    "broker_orderid = NULLIF(:orderid, ''), note = NULLIF(:note, ''), updated_at = :now WHERE id = :id";

// What kInsert returns.
struct Inserted {
  long long id = 0;
  template <typename Query>
  void into(Query& query) {
    query, soci::into(id);
  }
};

// The row just written, without reading it back.
JournalEntry pending_entry(long long id, std::string created_at, std::int64_t user_id, const std::string& broker,
                           const std::string& mode, const std::string& operation,
                           const std::string& client_order_id, const std::string& request) {
  JournalEntry entry;
  entry.id = id;
  entry.user_id = user_id;
  entry.broker = broker;
  entry.mode = mode;
  entry.operation = operation;
  entry.client_order_id = client_order_id;
  entry.request = request;
  entry.state = "pending";
  entry.created_at = std::move(created_at);
  return entry;
}

bool is_unique_violation(const std::exception& error) {
  std::string text = error.what();
  return text.find("UNIQUE") != std::string::npos || text.find("unique") != std::string::npos ||
         text.find("duplicate key") != std::string::npos;
}

}  // namespace

OrderJournal::Started OrderJournal::start(std::int64_t user_id, const std::string& broker, const std::string& mode,
                                          const std::string& operation, const std::string& client_order_id,
                                          const std::string& request) {
  if (!client_order_id.empty())
    if (auto earlier = find_by_client_id(user_id, client_order_id)) return {true, *earlier};
  long long id = 0;
  std::string created_at = store::utc_now_iso();
  try {
    auto lease = store_.lease();
    long long user = user_id;
    *lease << kInsert, soci::use(user), soci::use(broker), soci::use(mode), soci::use(operation),
        soci::use(client_order_id), soci::use(request), soci::use(created_at), soci::use(created_at),
        soci::into(id);
  } catch (const std::exception& error) {
    // Another request with the same client_order_id won the race: it is the first.
    if (client_order_id.empty() || !is_unique_violation(error)) throw;
    if (auto earlier = find_by_client_id(user_id, client_order_id)) return {true, *earlier};
    throw;
  }
  return {false, pending_entry(id, std::move(created_at), user_id, broker, mode, operation, client_order_id, request)};
}

OrderJournal::Started OrderJournal::start(store::StatementCache& sql, std::int64_t user_id, const std::string& broker,
                                          const std::string& mode, const std::string& operation,
                                          const std::string& client_order_id, const std::string& request) {
  const long long user = user_id;
  const std::string now = store::utc_now_iso();
  if (client_order_id.empty()) {
    auto inserted = sql.first<Inserted>(kInsert, user, broker, mode, operation, client_order_id, request, now, now);
    return {false, pending_entry(inserted->id, now, user_id, broker, mode, operation, client_order_id, request)};
  }
  if (auto earlier = find_by_client_id(sql.session(), user_id, client_order_id)) return {true, *earlier};
  // A writer on another connection may still win the race for the id (the
  // unique key decides): the savepoint keeps the caller's transaction usable.
  sql.run("SAVEPOINT journal_start");
  try {
    auto inserted = sql.first<Inserted>(kInsert, user, broker, mode, operation, client_order_id, request, now, now);
    sql.run("RELEASE SAVEPOINT journal_start");
    return {false, pending_entry(inserted->id, now, user_id, broker, mode, operation, client_order_id, request)};
  } catch (const std::exception& error) {
    sql.session() << "ROLLBACK TO SAVEPOINT journal_start";
    sql.session() << "RELEASE SAVEPOINT journal_start";
    if (!is_unique_violation(error)) throw;
    if (auto earlier = find_by_client_id(sql.session(), user_id, client_order_id)) return {true, *earlier};
    throw;
  }
}

void OrderJournal::record(store::StatementCache& sql, std::int64_t user_id, const std::string& broker,
                          const std::string& mode, const std::string& operation, const std::string& request,
                          int http_status, const std::string& response, const std::string& broker_orderid) {
  const long long user = user_id;
  const std::string now = store::utc_now_iso();
  sql.run(kRecord, user, broker, mode, operation, request, http_status, response, broker_orderid, now, now);
}

void OrderJournal::complete(std::int64_t id, int http_status, const std::string& response,
                            const std::string& broker_orderid, const std::string& note) {
  auto lease = store_.lease();
  long long row = id;
  auto now = store::utc_now_iso();
  *lease << kComplete, soci::use(http_status), soci::use(response), soci::use(broker_orderid), soci::use(note),
      soci::use(now), soci::use(row);
}

void OrderJournal::complete(store::StatementCache& sql, std::int64_t id, int http_status, const std::string& response,
                            const std::string& broker_orderid, const std::string& note) {
  const long long row = id;
  sql.run(kComplete, http_status, response, broker_orderid, note, store::utc_now_iso(), row);
}

void OrderJournal::mark_unknown(std::int64_t id, const std::string& note) {
  auto lease = store_.lease();
  long long row = id;
  auto now = store::utc_now_iso();
  *lease << "UPDATE order_journal SET state = 'unknown', note = :note, updated_at = :now "
            "WHERE id = :id AND state = 'pending'",
      soci::use(note), soci::use(now), soci::use(row);
}

void OrderJournal::reopen(std::int64_t id) {
  auto lease = store_.lease();
  long long row = id;
  auto now = store::utc_now_iso();
  *lease << "UPDATE order_journal SET state = 'pending', http_status = NULL, response = NULL, note = NULL, "
            "updated_at = :now WHERE id = :id",
      soci::use(now), soci::use(row);
}

std::optional<JournalEntry> OrderJournal::find(std::int64_t id) const {
  auto lease = store_.lease();
  long long row = id;
  auto found = entries((lease->prepare << select("WHERE id = :id"), soci::use(row)));
  if (found.empty()) return std::nullopt;
  return found.front();
}

std::optional<JournalEntry> OrderJournal::find_by_client_id(soci::session& sql, std::int64_t user_id,
                                                             const std::string& client_order_id) const {
  long long user = user_id;
  auto found = entries((sql.prepare << select("WHERE user_id = :user AND client_order_id = :client"),
                        soci::use(user), soci::use(client_order_id)));
  if (found.empty()) return std::nullopt;
  return found.front();
}

std::optional<JournalEntry> OrderJournal::find_by_client_id(std::int64_t user_id,
                                                             const std::string& client_order_id) const {
  auto lease = store_.lease();
  return find_by_client_id(*lease, user_id, client_order_id);
}

std::vector<JournalEntry> OrderJournal::unfinished() const {
  auto lease = store_.lease();
  // Written as the condition of the index order_journal_unfinished, so that it is used.
  return entries(lease->prepare << select("WHERE state <> 'done' ORDER BY id"));
}

std::int64_t OrderJournal::count(const std::string& mode) const {
  auto lease = store_.lease();
  long long total = 0;
  *lease << "SELECT COUNT(*) FROM order_journal WHERE mode = :mode", soci::use(mode), soci::into(total);
  return total;
}

std::vector<std::string> OrderJournal::known_orderids(std::int64_t user_id, const std::string& broker) const {
  auto lease = store_.lease();
  long long user = user_id;
  std::vector<std::string> out;
  soci::rowset<std::string> rows = (lease->prepare << "SELECT broker_orderid FROM order_journal WHERE user_id = :user "
                                                      "AND broker = :broker AND broker_orderid IS NOT NULL",
                                    soci::use(user), soci::use(broker));
  for (const auto& orderid : rows) out.push_back(orderid);
  return out;
}

}  // namespace oa::orders
