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

// Every migration this binary knows, versions 1, 2, 3, ... in order.
std::span<const Migration> migrations();

// The version of the last entry of migrations().
int latest_schema_version();

// Brings the database up to the last of `known`, applying each pending
// migration in its own transaction, and returns the version reached.
// Safe to run at every start and from several daemons at once (SQLite: BEGIN
// IMMEDIATE; PostgreSQL: an advisory transaction lock). Throws
// std::runtime_error when the database is at a version newer than `known`.
int migrate(soci::session& sql, Backend backend, std::span<const Migration> known);

}  // namespace oa::store
