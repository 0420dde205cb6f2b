#include "plugins/scheduler.hpp"

#include <spdlog/spdlog.h>

#include "log/thread_name.hpp"

namespace oa::plugins {

Scheduler::Scheduler()
    : thread_([this] {
        log::name_this_thread("oa-timers");
        run();
      }) {}

Scheduler::~Scheduler() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

std::uint64_t Scheduler::at(Clock::time_point when, std::function<void()> fn) {
  return add(when, std::chrono::milliseconds(0), std::move(fn));
}

std::uint64_t Scheduler::every(std::chrono::milliseconds period, std::function<void()> fn) {
  return add(Clock::now() + period, period, std::move(fn));
}

// Every broker call sets a deadline and almost always cancels it soon after.
// The thread is woken only when the new entry is due before the time it will
// wake up by itself: once it sleeps until one call's deadline, later calls'
// deadlines (all further away) need no wake-up, even if that call's is gone.
std::uint64_t Scheduler::add(Clock::time_point when, std::chrono::milliseconds period, std::function<void()> fn) {
  std::lock_guard lock(mutex_);
  auto id = next_id_++;
  entries_[id] = {std::move(fn), period, due_.emplace(when, id)};
  if (when < sleeping_until_) wake_.notify_all();
  return id;
}

void Scheduler::cancel(std::uint64_t id) {
  std::unique_lock lock(mutex_);
  // Its place in due_ goes too: cancelled deadlines would otherwise pile up
  // until their time (one per broker call) and wake the thread one by one.
  if (auto entry = entries_.find(id); entry != entries_.end()) {
    due_.erase(entry->second.due);
    entries_.erase(entry);
  }
  if (std::this_thread::get_id() == thread_id_) return;
  idle_.wait(lock, [&] { return running_ != id; });
}

std::size_t Scheduler::pending() const {
  std::lock_guard lock(mutex_);
  return due_.size();
}

// While the thread sleeps, `sleeping_until_` says when it wakes by itself;
// while it is awake it reads due_ before sleeping again, so no one need wake it.
void Scheduler::sleep(std::unique_lock<std::mutex>& lock, Clock::time_point until) {
  sleeping_until_ = until;
  if (until == Clock::time_point::max()) wake_.wait(lock);
  else wake_.wait_until(lock, until);
  sleeping_until_ = Clock::time_point::min();
}

void Scheduler::run() {
  std::unique_lock lock(mutex_);
  thread_id_ = std::this_thread::get_id();
  while (!stopping_) {
    if (due_.empty()) {
      sleep(lock, Clock::time_point::max());
      continue;
    }
    auto [when, id] = *due_.begin();
    if (Clock::now() < when) {
      sleep(lock, when);
      continue;
    }
    due_.erase(due_.begin());
    auto entry = entries_.find(id);  // there: cancel() takes both
    auto fn = entry->second.fn;
    auto period = entry->second.period;
    if (period.count() > 0) entry->second.due = due_.emplace(std::max(when + period, Clock::now()), id);
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
