#include "orders/per_key_queue.hpp"

#include <atomic>
#include <memory>

namespace oa::orders {

void PerKeyQueue::run(const std::string& key, Task task) {
  {
    std::lock_guard lock(mutex_);
    auto [entry, idle] = waiting_.try_emplace(key);
    if (!idle) {
      entry->second.push_back(std::move(task));
      return;
    }
  }
  start(key, std::move(task));
}

void PerKeyQueue::start(const std::string& key, Task task) {
  auto released = std::make_shared<std::atomic<bool>>(false);
  task([this, key, released] {
    if (!released->exchange(true)) release(key);
  });
}

void PerKeyQueue::release(const std::string& key) {
  Task next;
  {
    std::lock_guard lock(mutex_);
    auto entry = waiting_.find(key);
    if (entry == waiting_.end()) return;
    if (entry->second.empty()) {
      waiting_.erase(entry);
      return;
    }
    next = std::move(entry->second.front());
    entry->second.pop_front();
  }
  start(key, std::move(next));
}

std::size_t PerKeyQueue::busy_keys() const {
  std::lock_guard lock(mutex_);
  return waiting_.size();
}

}  // namespace oa::orders
