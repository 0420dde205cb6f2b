#pragma once

// What SOCI 4.0 does not offer, done through the backend's native handle.

#include "store/database_url.hpp"

#include <string_view>

namespace soci {
class session;
class soci_error;
}  // namespace soci

namespace oa::store {

// Runs SQL holding several statements separated by ';'. (SOCI's SQLite
// backend silently ignores everything after the first statement.)
void execute_script(soci::session& sql, Backend backend, std::string_view script);

// Whether `error`, just thrown by a statement on `sql`, is a UNIQUE or
// PRIMARY KEY violation.
bool is_unique_violation(const soci::soci_error& error, soci::session& sql, Backend backend);

// Whether the connection is known to be lost: a PostgreSQL connection turns
// bad after an operation fails on it (server restart, network). Asks nothing
// of the server. Always false for SQLite.
bool is_broken(soci::session& sql, Backend backend);

}  // namespace oa::store
