#pragma once
// SQLite copies the write-ahead log back into the database file (a
// checkpoint) on the connection whose commit makes the log pass
// wal_autocheckpoint pages: under load that is the sandbox engine's thread,
// which then spent about a twentieth of its time writing pages that nobody
// waits for. This runs passive checkpoints on a connection and thread of its
// own instead; the store raises the connections' own threshold so that they
// checkpoint only as a backstop, should this thread fall behind.
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace oa::store {

class WalCheckpointer {
 public:
  // Opens its own connection to the SQLite database `connect_string` and
  // checkpoints every `period`. Throws what opening the connection throws.
  WalCheckpointer(const std::string& connect_string, std::chrono::milliseconds period);
  ~WalCheckpointer();  // stops and joins the thread
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

 private:
  struct Connection;
  void run(std::chrono::milliseconds period);

  std::unique_ptr<Connection> connection_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace oa::store
