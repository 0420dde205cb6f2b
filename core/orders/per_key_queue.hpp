#pragma once
// Runs asynchronous tasks one at a time per key, without blocking anyone:
// a task for a busy key waits in that key's queue and starts when the task
// before it calls its `release`. Smart orders use it so that two requests for
// the same position never both decide from the same "current" quantity.
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>

namespace oa::orders {

class PerKeyQueue {
 public:
  using Release = std::function<void()>;  // call once, from any thread
  using Task = std::function<void(Release)>;

  // Runs `task` now (on the calling thread) if `key` is idle, else after the
  // tasks queued before it released the key (on the thread that released).
  void run(const std::string& key, Task task);

  // Keys with a task running or waiting (for tests).
  std::size_t busy_keys() const;

 private:
  void start(const std::string& key, Task task);
  void release(const std::string& key);

  mutable std::mutex mutex_;
  std::map<std::string, std::deque<Task>> waiting_;  // present while the key is busy
};

}  // namespace oa::orders
