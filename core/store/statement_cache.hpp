#pragma once
// Prepared statements kept by their SQL text for as long as one connection is
// held (typically one transaction): a statement run many times, such as the
// sandbox's per-order statements in a group commit, is parsed and planned
// once and then executed again with new values. Parsing was about half of
// the sandbox engine's time per order.
//
// SOCI binds by reference, so each entry owns the variables its statement
// is bound to, and a call copies its values into them. On SQLite, run()
// bypasses SOCI (SqliteStatement) and binds the caller's values in place.
// The cache must go before the connection is given back (it finalises its
// statements).
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include <soci/soci.h>

#include "store/native_sql.hpp"

namespace oa::store {

class StatementCache {
 public:
  explicit StatementCache(soci::session& sql) : sql_(sql), sqlite_(sql.get_backend_name() == "sqlite3") {}
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  soci::session& session() const { return sql_; }

  // Runs `text`, which returns no rows, with `values` bound in order.
  template <typename... Values>
  void run(const std::string& text, const Values&... values) {
    if (sqlite_) {
      auto& statement = sqlite_statement(text, sizeof...(Values));
      int position = 0;
      (statement.bind(++position, values), ...);
      statement.execute();
      return;
    }
    auto& entry = prepared<NoRow, Values...>(text);
    entry.values = std::tuple<Values...>(values...);
    entry.statement->execute(true);
  }

  // Runs the query `text` with `values` bound in order and returns its first
  // row as read into a `Row` (whose into(query) binds its members), or
  // nothing when it returns none. Meant for lookups by a unique key.
  template <typename Row, typename... Values>
  std::optional<Row> first(const std::string& text, const Values&... values) {
    auto& entry = prepared<Row, Values...>(text);
    entry.values = std::tuple<Values...>(values...);
    if (!entry.statement->execute(true)) return std::nullopt;
    Row row = entry.row;
    // Steps to the end, so no statement is left half-read when the
    // transaction commits or rolls back.
    while (entry.statement->fetch()) {
    }
    return row;
  }

  // Runs the query `text` with `values` bound in order and returns every row
  // it returns, each as read into a `Row`.
  template <typename Row, typename... Values>
  std::vector<Row> all(const std::string& text, const Values&... values) {
    auto& entry = prepared<Row, Values...>(text);
    entry.values = std::tuple<Values...>(values...);
    std::vector<Row> rows;
    if (!entry.statement->execute(true)) return rows;
    do {
      rows.push_back(entry.row);
    } while (entry.statement->fetch());
    return rows;
  }

 private:
  struct NoRow {
    template <typename Query>
    void into(Query&) {}
  };
  struct Entry {
    virtual ~Entry() = default;
  };
  template <typename Row, typename... Values>
  struct Prepared : Entry {
    Row row;
    std::tuple<Values...> values;
    std::optional<soci::statement> statement;
  };

  template <typename Row, typename... Values>
  Prepared<Row, Values...>& prepared(const std::string& text) {
    auto& slot = entries_[text];
    if (!slot) {
      auto entry = std::make_unique<Prepared<Row, Values...>>();
      auto query = (sql_.prepare << text);
      entry->row.into(query);
      std::apply([&query](auto&... value) { ((query, soci::use(value)), ...); }, entry->values);
      entry->statement.emplace(query);
      slot = std::move(entry);
    }
    auto* entry = dynamic_cast<Prepared<Row, Values...>*>(slot.get());
    if (entry == nullptr) throw std::logic_error("one SQL text cached with two sets of types: " + text);
    return *entry;
  }

  SqliteStatement& sqlite_statement(const std::string& text, std::size_t values) {
    auto& slot = sqlite_statements_[text];
    if (!slot) {
      slot = std::make_unique<SqliteStatement>(sql_, text);
      // Positions are those of distinct names: a name written twice would
      // shift every value after it.
      if (static_cast<std::size_t>(slot->parameter_count()) != values) {
        sqlite_statements_.erase(text);
        throw std::logic_error("SQL with a parameter count other than its values': " + text);
      }
    }
    return *slot;
  }

  soci::session& sql_;
  bool sqlite_;
  std::unordered_map<std::string, std::unique_ptr<Entry>> entries_;
  std::unordered_map<std::string, std::unique_ptr<SqliteStatement>> sqlite_statements_;
};

}  // namespace oa::store
