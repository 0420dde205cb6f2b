#pragma once

// What SOCI 4.0 does not offer, done through the backend's native handle.

#include "store/database_url.hpp"

#include <chrono>
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

// Whether the connection is known to be lost: a PostgreSQL connection turns
// bad after an operation fails on it (server restart, network). Asks nothing
// of the server. Always false for SQLite.
bool is_broken(soci::session& sql, Backend backend);

}  // namespace oa::store
