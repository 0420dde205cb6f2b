#pragma once

// What SOCI 4.0 does not offer, done through the backend's native handle.

#include "store/database_url.hpp"

#include <chrono>
#include <string>
#include <string_view>

namespace soci {
class session;
class soci_error;
}  // namespace soci

namespace oa::store {

// Runs SQL holding several statements separated by ';'. (SOCI's SQLite
// backend silently ignores everything after the first statement.)
void execute_script(soci::session& sql, Backend backend, std::string_view script);

// Makes a SQLite connection that finds the database locked by a writer try
// again after 50 µs, backing off to 1 ms between tries, for up to `timeout`
// in all. SQLite's busy_timeout sleeps 1, 2, 5, 10... ms between tries: with
// a steady stream of short write transactions from several threads (order
// journal, sandbox group commits, traffic log) a wait of microseconds became
// one of milliseconds.
void retry_soon_when_busy(soci::session& sql, std::chrono::milliseconds timeout);

// Whether `error`, just thrown by a statement on `sql`, is a UNIQUE or
// PRIMARY KEY violation.
bool is_unique_violation(const soci::soci_error& error, soci::session& sql, Backend backend);

// A statement prepared and run through SQLite's own API, for statements that
// return no rows and run many times (StatementCache::run on SQLite): SOCI's
// bookkeeping around each execution was a tenth of the sandbox engine's
// instructions per order. Values are bound by position and must outlive the
// execute() that follows; every parameter is bound again before each run.
// Errors throw soci::sqlite3_soci_error and leave the connection's error code
// for is_unique_violation(), as SOCI's own statements do.
class SqliteStatement {
 public:
  SqliteStatement(soci::session& sql, const std::string& text);
  ~SqliteStatement();
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  int parameter_count() const;
  void bind(int position, int value);
  void bind(int position, long value);
  void bind(int position, long long value);
  void bind(int position, double value);
  void bind(int position, const std::string& value);
  // Any other type: a conversion could bind a temporary that is gone by
  // execute() (a const char* made into a std::string, say).
  template <typename Other>
  void bind(int position, const Other& value) = delete;
  // Steps to the end, then resets for the next run.
  void execute();

 private:
  void* connection_;  // sqlite3*, opaque here so that SQLite's header stays out
  void* statement_;   // sqlite3_stmt*, owned
};

// Whether the connection is known to be lost: a PostgreSQL connection turns
// bad after an operation fails on it (server restart, network). Asks nothing
// of the server. Always false for SQLite.
bool is_broken(soci::session& sql, Backend backend);

}  // namespace oa::store
