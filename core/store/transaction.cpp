#include "store/transaction.hpp"

#include <soci/soci.h>

namespace oa::store {
namespace {

const char* begin_statement(Backend backend, Transaction::Kind kind) {
  if (backend == Backend::Sqlite) {
    return kind == Transaction::Kind::Write ? "BEGIN IMMEDIATE" : "BEGIN";
  }
  return kind == Transaction::Kind::Write ? "BEGIN"
                                          : "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY";
}

}  // namespace

Transaction::Transaction(soci::session& sql, Backend backend, Kind kind) : sql_(sql) {
  sql_ << begin_statement(backend, kind);
}

Transaction::Transaction(Store::Lease& lease, Kind kind)
    : Transaction(lease.session(), lease.backend(), kind) {}

Transaction::~Transaction() {
  if (!open_) {
    return;
  }
  // ROLLBACK fails only when no transaction is open any more (SQLite ends
  // one by itself after some errors) or the connection is broken; neither
  // leaves a transaction open, and a destructor must not throw.
  try {
    sql_ << "ROLLBACK";
  } catch (...) {
  }
}

void Transaction::commit() {
  sql_ << "COMMIT";
  open_ = false;
}

}  // namespace oa::store
