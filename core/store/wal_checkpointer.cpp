#include "store/wal_checkpointer.hpp"

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <spdlog/spdlog.h>

#include "log/thread_name.hpp"
#include "store/native_sql.hpp"

namespace oa::store {

struct WalCheckpointer::Connection {
  soci::session sql;
};

WalCheckpointer::WalCheckpointer(const std::string& connect_string, std::chrono::milliseconds period)
    : connection_(std::make_unique<Connection>()) {
  connection_->sql.open(soci::sqlite3, connect_string);
  // A checkpoint waits for no one, but opening a read of the log can meet a
  // writer resetting it: that is retried, briefly, like any other lock.
  retry_soon_when_busy(connection_->sql, std::chrono::milliseconds(1000));
  thread_ = std::thread([this, period] {
    log::name_this_thread("oa-checkpoint");
    run(period);
  });
}

WalCheckpointer::~WalCheckpointer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void WalCheckpointer::run(std::chrono::milliseconds period) {
  std::unique_lock lock(mutex_);
  for (;;) {
    if (wake_.wait_for(lock, period, [this] { return stopping_; })) return;
    lock.unlock();
    try {
      // PASSIVE: copies what no reader still needs, never blocking a writer
      // or a reader, nor waiting for one.
      connection_->sql << "PRAGMA wal_checkpoint(PASSIVE)";
    } catch (const std::exception& error) {
      spdlog::warn("store: a background WAL checkpoint failed (the connections' own will run): {}", error.what());
    }
    lock.lock();
  }
}

}  // namespace oa::store
