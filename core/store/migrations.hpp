#pragma once

#include "store/database_url.hpp"

#include <span>
#include <string_view>

namespace soci {
class session;
}

namespace oa::store {

// One schema change. `sqlite_sql` and `postgres_sql` may each hold several
// statements; when the dialects agree both name the same text.
struct Migration {
  int version;
  std::string_view name;
  std::string_view sqlite_sql;
  std::string_view postgres_sql;

  std::string_view sql_for(Backend backend) const {
    return backend == Backend::Sqlite ? sqlite_sql : postgres_sql;
  }
};

// Every migration of the main database this binary knows, versions 1, 2, 3,
// ... in order.
std::span<const Migration> migrations();

// The version of the last entry of migrations().
int latest_schema_version();

// What a database holds: the migrations that build it and the table that
// records which of them ran. Two schemas may share one database, as their
// version tables differ.
struct Schema {
  std::string_view version_table;
  std::span<const Migration> migrations;
};

// Every table; versions in schema_migrations.
Schema main_schema();

// The request logs (traffic_logs, analyzer_logs) alone, for a database of
// their own (LOGS_DATABASE_URL); versions in log_schema_migrations. Its
// steps create only what is missing, so it also applies to a main database,
// which has had these tables since version 5.
Schema logs_schema();

// Brings the database up to the last of `known`, applying each pending
// migration in its own transaction, and returns the version reached.
// Safe to run at every start and from several daemons at once (SQLite: BEGIN
// IMMEDIATE; PostgreSQL: an advisory transaction lock). Throws
// std::runtime_error when the database is at a version newer than `known`.
int migrate(soci::session& sql, Backend backend, std::span<const Migration> known,
            std::string_view version_table = main_schema().version_table);
int migrate(soci::session& sql, Backend backend, const Schema& schema);

}  // namespace oa::store
