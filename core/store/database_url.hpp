#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace oa::store {

enum class Backend { Sqlite, Postgres };

std::string_view to_string(Backend backend);

// A parsed DATABASE_URL, ready to hand to SOCI.
struct DatabaseUrl {
  Backend backend = Backend::Sqlite;
  std::string connect_string;         // SOCI's connect string; may hold the password
  std::string display;                // safe to log: any password is shown as ***
  std::filesystem::path sqlite_path;  // the database file; empty for PostgreSQL
};

// Accepts the URL forms OpenAlgo (SQLAlchemy) accepts for its two databases:
//   sqlite:///relative/path.db           relative to the working directory
//   sqlite:////absolute/path.db
//   postgresql://user:password@host:port/database?sslmode=require
//   postgres://...  and  postgresql+<driver>://...  (the driver is ignored)
// User, password and database are percent-decoded; query parameters are passed
// to libpq as connection parameters.
// Throws std::invalid_argument with a message that never contains the password.
DatabaseUrl parse_database_url(std::string_view url);

}  // namespace oa::store
