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
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include <soci/soci.h>

#include "store/native_sql.hpp"
#include "store/store.hpp"

namespace oa::store {

class StatementCache {
 public:
  explicit StatementCache(soci::session& sql) : sql_(sql), sqlite_(sql.get_backend_name() == "sqlite3") {}
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  soci::session& session() const { return sql_; }

  // Runs `text`, which returns no rows, with `values` bound in order.
  template <typename... Values>
  void run(std::string_view text, const Values&... values) {
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
  std::optional<Row> first(std::string_view text, const Values&... values) {
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
  std::vector<Row> all(std::string_view text, const Values&... values) {
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
  Prepared<Row, Values...>& prepared(std::string_view text) {
    auto& slot = slot_for(entries_, text);
    if (!slot) {
      auto entry = std::make_unique<Prepared<Row, Values...>>();
      auto query = (sql_.prepare << std::string(text));
      entry->row.into(query);
      std::apply([&query](auto&... value) { ((query, soci::use(value)), ...); }, entry->values);
      entry->statement.emplace(query);
      slot = std::move(entry);
    }
    auto* entry = dynamic_cast<Prepared<Row, Values...>*>(slot.get());
    if (entry == nullptr) throw std::logic_error("one SQL text cached with two sets of types: " + std::string(text));
    return *entry;
  }

  SqliteStatement& sqlite_statement(std::string_view text, std::size_t values) {
    auto& slot = slot_for(sqlite_statements_, text);
    if (!slot) {
      auto statement = std::make_unique<SqliteStatement>(sql_, std::string(text));
      // Positions are those of distinct names: a name written twice would
      // shift every value after it.
      if (static_cast<std::size_t>(statement->parameter_count()) != values)
        throw std::logic_error("SQL with a parameter count other than its values': " + std::string(text));
      slot = std::move(statement);
    }
    return *slot;
  }

  // Looked up by the text as given: most callers pass a string literal,
  // which as a std::string key would be copied on every run.
  struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  template <typename Value>
  using ByText = std::unordered_map<std::string, Value, TextHash, std::equal_to<>>;

  template <typename Value>
  static Value& slot_for(ByText<Value>& map, std::string_view text) {
    auto found = map.find(text);
    if (found == map.end()) found = map.emplace(std::string(text), Value{}).first;
    return found->second;
  }

  soci::session& sql_;
  bool sqlite_;
  ByText<std::unique_ptr<Entry>> entries_;
  ByText<std::unique_ptr<SqliteStatement>> sqlite_statements_;
};

// A leased connection kept with the statements prepared on it, by whoever
// runs the same statements over many transactions (the sandbox engine, its
// book readers, the request log's writer). The statements go first: they are
// finalised before the connection returns to the pool.
struct PreparedConnection {
  explicit PreparedConnection(Store::Lease leased) : lease(std::move(leased)), statements(*lease) {}
  Store::Lease lease;
  StatementCache statements;
};

}  // namespace oa::store
