#include "store/store.hpp"

#include "store/migrations.hpp"
#include "store/native_sql.hpp"
#include "store/wal_checkpointer.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <chrono>
#include <exception>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace oa::store {
namespace {

constexpr std::chrono::seconds kLeaseTimeout{30};
// How long a SQLite connection waits for another writer before SQLITE_BUSY.
constexpr std::chrono::milliseconds kBusyTimeout{5000};
// How often the background checkpoint runs, and the log size (pages of
// 4 KiB) past which a committing connection checkpoints by itself: 10x
// SQLite's default, as a backstop only.
constexpr std::chrono::milliseconds kCheckpointPeriod{200};
constexpr int kBackstopCheckpointPages = 10000;

// Switching a new database file to WAL needs an exclusive lock, and SQLite
// can report SQLITE_BUSY for it at once, without waiting out the busy timeout,
// while another connection is in the way: daemons starting together on a new
// file do that.
// The mode is stored in the file, so once any of them has switched, the
// others find WAL already set.
std::string switch_to_wal(soci::session& sql) {
  constexpr int kAttempts = 50;
  constexpr auto kPause = std::chrono::milliseconds(100);
  for (int attempt = 1;; ++attempt) {
    try {
      std::string journal_mode;
      sql << "PRAGMA journal_mode=WAL", soci::into(journal_mode);
      return journal_mode;
    } catch (const soci::sqlite3_soci_error& error) {
      if (error.result() != SQLITE_BUSY || attempt == kAttempts) {
        throw;
      }
    }
    std::this_thread::sleep_for(kPause);
  }
}

// Process-wide SQLite settings, which take effect only before SQLite's first
// use, so they are made before the first connection opens. Each connection
// is used by one thread at a time (the pool lends it out), so multi-thread
// mode drops the lock SQLite otherwise takes on every call; and nothing reads
// its memory statistics, which take a global lock on every allocation.
// Together 8 % of the sandbox engine's instructions per order. Should
// something have used SQLite first, the calls fail and leave the defaults:
// correct, only slower.
void tune_sqlite_library() {
  static std::once_flag once;
  std::call_once(once, [] {
    sqlite_api::sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    sqlite_api::sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  });
}

void configure_sqlite(soci::session& sql) {
  retry_soon_when_busy(sql, kBusyTimeout);
  const std::string journal_mode = switch_to_wal(sql);
  if (journal_mode != "wal") {
    throw std::runtime_error("SQLite cannot use WAL journal mode here (it reports '" +
                             journal_mode + "'); is the file on a network filesystem?");
  }
  sql << "PRAGMA foreign_keys=ON";
  sql << "PRAGMA synchronous=NORMAL";
  sql << "PRAGMA wal_autocheckpoint=" + std::to_string(kBackstopCheckpointPages);
}

void configure_postgres(soci::session& sql) {
  // Keeps NOTICEs (such as "relation already exists, skipping") off stderr.
  sql << "SET client_min_messages TO WARNING";
}

void configure(soci::session& sql, Backend backend) {
  if (backend == Backend::Sqlite) {
    configure_sqlite(sql);
  } else {
    configure_postgres(sql);
  }
}

void create_parent_directory(const std::filesystem::path& file) {
  const std::filesystem::path parent = file.parent_path();
  if (!parent.empty()) {
    std::filesystem::create_directories(parent);
  }
}

[[noreturn]] void throw_closed() {
  throw std::runtime_error("the database is closed: openalgod is shutting down");
}

}  // namespace

std::unique_ptr<Store> Store::open(const DatabaseUrl& url, std::size_t pool_size, const Schema& schema) {
  if (pool_size == 0) {
    throw std::invalid_argument("the database connection pool needs at least one connection");
  }
  try {
    return std::unique_ptr<Store>(new Store(url, pool_size, schema));
  } catch (const std::exception& error) {
    throw std::runtime_error("cannot open database " + url.display + ": " + error.what());
  }
}

Store::Store(const DatabaseUrl& url, std::size_t pool_size, const Schema& schema)
    : backend_(url.backend), pool_size_(pool_size), pool_(pool_size) {
  if (backend_ == Backend::Sqlite) {
    tune_sqlite_library();
    create_parent_directory(url.sqlite_path);
  }
  connect_all(url);
  schema_version_ = migrate(pool_.at(0), backend_, schema);
  if (backend_ == Backend::Sqlite) {
    checkpointer_ = std::make_unique<WalCheckpointer>(url.connect_string, kCheckpointPeriod);
  }
}

Store::~Store() {
  // Errors here have no one to go to: close() has already closed every
  // connection by the time it could throw.
  try {
    close();
  } catch (...) {
  }
}

void Store::connect_all(const DatabaseUrl& url) {
  for (std::size_t i = 0; i < pool_size_; ++i) {
    soci::session& sql = pool_.at(i);
    if (backend_ == Backend::Sqlite) {
      sql.open(soci::sqlite3, url.connect_string);
    } else {
      sql.open(soci::postgresql, url.connect_string);
    }
    configure(sql, backend_);
  }
}

Store::Lease Store::lease() {
  if (closing_) {
    throw_closed();
  }
  std::size_t position = 0;
  const auto timeout_ms = std::chrono::milliseconds(kLeaseTimeout).count();
  if (!pool_.try_lease(position, static_cast<int>(timeout_ms))) {
    throw std::runtime_error("no database connection became free within " +
                             std::to_string(kLeaseTimeout.count()) + " s (pool of " +
                             std::to_string(pool_size_) + ")");
  }
  Lease lease(pool_, position, backend_);
  if (closing_) {
    throw_closed();
  }
  // A lost PostgreSQL connection (server restart, network) shows up as the
  // failure of the operation that meets it; reconnecting here, the next time
  // the connection is lent, heals the pool without restarting the daemon.
  soci::session& sql = lease.session();
  if (is_broken(sql, backend_)) {
    sql.reconnect();
    configure(sql, backend_);
  }
  return lease;
}

void Store::close() {
  const std::lock_guard lock(close_mutex_);
  if (closing_.exchange(true)) {
    return;
  }
  std::vector<std::size_t> positions;
  for (std::size_t i = 0; i < pool_size_; ++i) {
    positions.push_back(pool_.lease());  // waits for a lease to come back
  }
  checkpointer_.reset();
  std::exception_ptr checkpoint_failure;
  if (backend_ == Backend::Sqlite) {
    try {
      pool_.at(positions.front()) << "PRAGMA wal_checkpoint(TRUNCATE)";
    } catch (...) {
      checkpoint_failure = std::current_exception();
    }
  }
  for (const std::size_t position : positions) {
    pool_.at(position).close();
    // Wakes any lease() still waiting, which then sees closing_ and throws.
    pool_.give_back(position);
  }
  if (checkpoint_failure) {
    std::rethrow_exception(checkpoint_failure);
  }
}

Store::Lease::Lease(soci::connection_pool& pool, std::size_t position, Backend backend)
    : pool_(&pool), position_(position), backend_(backend) {}

Store::Lease::Lease(Lease&& other) noexcept
    : pool_(std::exchange(other.pool_, nullptr)), position_(other.position_),
      backend_(other.backend_) {}

Store::Lease::~Lease() {
  if (pool_ != nullptr) {
    pool_->give_back(position_);
  }
}

soci::session& Store::Lease::session() const { return pool_->at(position_); }

}  // namespace oa::store
