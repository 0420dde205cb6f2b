#include "plugins/scheduler.hpp"

#include <spdlog/spdlog.h>

namespace oa::plugins {

Scheduler::Scheduler() : thread_([this] { run(); }) {}

Scheduler::~Scheduler() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

std::uint64_t Scheduler::at(Clock::time_point when, std::function<void()> fn) {
  std::lock_guard lock(mutex_);
  auto id = next_id_++;
  entries_[id] = {std::move(fn), std::chrono::milliseconds(0)};
  due_.emplace(when, id);
  wake_.notify_all();
  return id;
}

std::uint64_t Scheduler::every(std::chrono::milliseconds period, std::function<void()> fn) {
  std::lock_guard lock(mutex_);
  auto id = next_id_++;
  entries_[id] = {std::move(fn), period};
  due_.emplace(Clock::now() + period, id);
  wake_.notify_all();
  return id;
}

void Scheduler::cancel(std::uint64_t id) {
  std::unique_lock lock(mutex_);
  entries_.erase(id);
  if (std::this_thread::get_id() == thread_id_) return;
  idle_.wait(lock, [&] { return running_ != id; });
}

void Scheduler::run() {
  std::unique_lock lock(mutex_);
  thread_id_ = std::this_thread::get_id();
  while (!stopping_) {
    if (due_.empty()) {
      wake_.wait(lock);
      continue;
    }
    auto [when, id] = *due_.begin();
    if (Clock::now() < when) {
      wake_.wait_until(lock, when);
      continue;
    }
    due_.erase(due_.begin());
    auto entry = entries_.find(id);
    if (entry == entries_.end()) continue;  // cancelled
    auto fn = entry->second.fn;
    auto period = entry->second.period;
    if (period.count() > 0) due_.emplace(std::max(when + period, Clock::now()), id);
    else entries_.erase(entry);
    running_ = id;
    lock.unlock();
    try {
      fn();
    } catch (const std::exception& error) {
      spdlog::error("scheduler: callback failed: {}", error.what());
    }
    lock.lock();
    running_ = 0;
    idle_.notify_all();
  }
}

}  // namespace oa::plugins
