#pragma once

#include "store/store.hpp"

namespace oa::store {

// A database transaction that rolls back unless commit() is called.
class Transaction {
 public:
  enum class Kind {
    // SQLite starts it with BEGIN IMMEDIATE, taking the write lock up front:
    // two writers then queue on the busy handler, where with a plain BEGIN the
    // second would fail with SQLITE_BUSY on its first write.
    Write,
    // Several reads that see one snapshot of the database. SQLite: a deferred
    // BEGIN (in WAL mode the first read fixes the snapshot); PostgreSQL:
    // REPEATABLE READ, READ ONLY.
    Snapshot,
  };

  Transaction(soci::session& sql, Backend backend, Kind kind = Kind::Write);
  explicit Transaction(Store::Lease& lease, Kind kind = Kind::Write);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  void commit();

 private:
  soci::session& sql_;
  bool open_ = true;
};

}  // namespace oa::store
