#include "store/native_sql.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <string>
#include <thread>

namespace oa::store {
namespace {

// SOCI declares the SQLite C API inside namespace sqlite_api.
using namespace sqlite_api;

sqlite3* sqlite_handle(soci::session& sql) {
  return static_cast<soci::sqlite3_session_backend*>(sql.get_backend())->conn_;
}

constexpr std::int64_t kFirstPauseUs = 50;
constexpr std::int64_t kLongestPauseUs = 1000;
constexpr int kDoublings = 5;  // 50, 100, 200, 400, 800, then 1000 µs

// The pause before try `attempt` + 1, and the time paused before it.
std::int64_t pause_us(int attempt) {
  return attempt < kDoublings ? kFirstPauseUs << attempt : kLongestPauseUs;
}
std::int64_t paused_us(int attempts) {
  if (attempts <= kDoublings) return kFirstPauseUs * ((std::int64_t{1} << attempts) - 1);
  return paused_us(kDoublings) + (attempts - kDoublings) * kLongestPauseUs;
}

// SQLite's busy handler: `context` carries the timeout in microseconds.
int retry_soon(void* context, int attempts) {
  const auto timeout_us = static_cast<std::int64_t>(reinterpret_cast<std::intptr_t>(context));
  if (paused_us(attempts) >= timeout_us) return 0;
  std::this_thread::sleep_for(std::chrono::microseconds(pause_us(attempts)));
  return 1;
}

}  // namespace

void retry_soon_when_busy(soci::session& sql, std::chrono::milliseconds timeout) {
  const auto timeout_us = static_cast<std::intptr_t>(std::chrono::microseconds(timeout).count());
  sqlite3_busy_handler(sqlite_handle(sql), retry_soon, reinterpret_cast<void*>(timeout_us));
}

void execute_script(soci::session& sql, Backend backend, std::string_view script) {
  if (backend == Backend::Postgres) {
    // SOCI sends a statement without parameters through PQexec, which runs
    // every statement of the text.
    sql << std::string(script);
    return;
  }
  char* raw_message = nullptr;
  const std::string text(script);
  const int result = sqlite3_exec(sqlite_handle(sql), text.c_str(), nullptr, nullptr, &raw_message);
  const std::unique_ptr<char, decltype(&sqlite3_free)> message(raw_message, &sqlite3_free);
  if (result != SQLITE_OK) {
    throw soci::sqlite3_soci_error(message ? message.get() : sqlite3_errstr(result), result);
  }
}

namespace {

sqlite3_stmt* as_statement(void* statement) { return static_cast<sqlite3_stmt*>(statement); }

[[noreturn]] void throw_sqlite_error(sqlite3* connection, int result) {
  throw soci::sqlite3_soci_error(sqlite3_errmsg(connection), result);
}

}  // namespace

SqliteStatement::SqliteStatement(soci::session& sql, const std::string& text)
    : connection_(sqlite_handle(sql)), statement_(nullptr) {
  sqlite3_stmt* statement = nullptr;
  auto* connection = static_cast<sqlite3*>(connection_);
  const int result = sqlite3_prepare_v3(connection, text.c_str(), static_cast<int>(text.size()),
                                        SQLITE_PREPARE_PERSISTENT, &statement, nullptr);
  if (result != SQLITE_OK) throw_sqlite_error(connection, result);
  statement_ = statement;
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(as_statement(statement_)); }

int SqliteStatement::parameter_count() const { return sqlite3_bind_parameter_count(as_statement(statement_)); }

void SqliteStatement::bind(int position, int value) { sqlite3_bind_int(as_statement(statement_), position, value); }

void SqliteStatement::bind(int position, long value) {
  sqlite3_bind_int64(as_statement(statement_), position, value);
}

void SqliteStatement::bind(int position, long long value) {
  sqlite3_bind_int64(as_statement(statement_), position, value);
}

void SqliteStatement::bind(int position, double value) {
  sqlite3_bind_double(as_statement(statement_), position, value);
}

void SqliteStatement::bind(int position, const std::string& value) {
  // SQLITE_STATIC: the caller keeps the text alive until execute() is done.
  sqlite3_bind_text(as_statement(statement_), position, value.data(), static_cast<int>(value.size()),
                    SQLITE_STATIC);
}

void SqliteStatement::execute() {
  auto* statement = as_statement(statement_);
  int result;
  while ((result = sqlite3_step(statement)) == SQLITE_ROW) {
  }
  if (result == SQLITE_DONE) {
    sqlite3_reset(statement);
    return;
  }
  // The connection's error message and extended code describe the failed
  // step until the reset, which keeps them.
  const soci::sqlite3_soci_error error(sqlite3_errmsg(static_cast<sqlite3*>(connection_)), result);
  sqlite3_reset(statement);
  throw error;
}

bool is_unique_violation(const soci::soci_error& error, soci::session& sql, Backend backend) {
  if (backend == Backend::Postgres) {
    const auto* postgres_error = dynamic_cast<const soci::postgresql_soci_error*>(&error);
    return postgres_error != nullptr && postgres_error->sqlstate() == "23505";
  }
  const int code = sqlite3_extended_errcode(sqlite_handle(sql));
  return code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY;
}

bool is_broken(soci::session& sql, Backend backend) {
  if (backend == Backend::Sqlite) {
    return false;
  }
  return PQstatus(static_cast<soci::postgresql_session_backend*>(sql.get_backend())->conn_) !=
         CONNECTION_OK;
}

}  // namespace oa::store
