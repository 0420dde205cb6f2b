#pragma once

#include "store/database_url.hpp"
#include "store/migrations.hpp"

#include <soci/connection-pool.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <stdexcept>

namespace soci {
class session;
}

namespace oa::store {

class WalCheckpointer;

// A write refused because it would duplicate a unique value (a username, say).
class Conflict : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The daemon's database: a fixed pool of connections to SQLite or PostgreSQL,
// with the schema migrated to the latest version this binary knows.
// Thread-safe. Repositories (users.hpp, settings.hpp, ...) borrow one
// connection per operation through lease().
class Store {
 public:
  class Lease;

  // Opens `pool_size` connections, creating the SQLite file's directory, and
  // migrates `schema` (every table unless told otherwise). Every SQLite connection runs in WAL mode with
  // foreign_keys=ON and synchronous=NORMAL, and waits up to 5 s for another
  // writer (retry_soon_when_busy in native_sql.hpp). The log is checkpointed
  // in the background (wal_checkpointer.hpp), not by the committing threads.
  // Throws std::runtime_error naming url.display (never the password).
  static std::unique_ptr<Store> open(const DatabaseUrl& url, std::size_t pool_size,
                                     const Schema& schema = main_schema());

  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  Backend backend() const { return backend_; }
  std::size_t pool_size() const { return pool_size_; }

  // The version of its schema reached by the migration run at open().
  int schema_version() const { return schema_version_; }

  // Changes after every write to API keys or broker logins made through this
  // Store, and when another process's change is noticed (see
  // credentials_version.hpp). Caches of credentials keep the value they were
  // filled under and drop an entry once it differs.
  std::uint64_t credentials_generation() const { return credentials_generation_.load(std::memory_order_acquire); }
  void credentials_changed() { credentials_generation_.fetch_add(1, std::memory_order_acq_rel); }

  // Borrows a connection, waiting up to 30 s for one to be free.
  // Throws std::runtime_error after that, or once close() has begun.
  Lease lease();

  // Waits for every lease to come back, then closes all connections (SQLite:
  // after checkpointing the WAL into the database file). Idempotent; the
  // destructor calls it. Leases must not outlive the Store.
  void close();

 private:
  Store(const DatabaseUrl& url, std::size_t pool_size, const Schema& schema);
  void connect_all(const DatabaseUrl& url);
  void close_connections();

  Backend backend_;
  std::size_t pool_size_;
  soci::connection_pool pool_;
  int schema_version_ = 0;
  std::atomic<std::uint64_t> credentials_generation_{0};
  std::atomic<bool> closing_{false};
  std::mutex close_mutex_;  // serialises close(); held while waiting for leases
  std::unique_ptr<WalCheckpointer> checkpointer_;  // SQLite only
};

// One borrowed connection, returned to the pool on destruction.
class Store::Lease {
 public:
  Lease(Lease&& other) noexcept;
  Lease& operator=(Lease&&) = delete;
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  ~Lease();

  soci::session& session() const;
  soci::session& operator*() const { return session(); }
  soci::session* operator->() const { return &session(); }
  Backend backend() const { return backend_; }

 private:
  friend class Store;
  Lease(soci::connection_pool& pool, std::size_t position, Backend backend);

  soci::connection_pool* pool_;  // null once moved from
  std::size_t position_;
  Backend backend_;
};

}  // namespace oa::store
