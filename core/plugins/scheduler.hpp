#pragma once
// One thread that fires deadlines and periodic timers. Firing only hands work
// to the worker pool (or runs a short callback), so a slow timer cannot delay
// the others.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <thread>

namespace oa::plugins {

class Scheduler {
 public:
  using Clock = std::chrono::steady_clock;
  Scheduler();
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Runs `fn` on the scheduler thread at `when` (keep it short). Returns an id for cancel().
  std::uint64_t at(Clock::time_point when, std::function<void()> fn);
  // Runs `fn` every `period` until cancelled.
  std::uint64_t every(std::chrono::milliseconds period, std::function<void()> fn);
  // After it returns the callback is not running and will not run again.
  // From inside the callback itself it only prevents future runs.
  void cancel(std::uint64_t id);
  // Callbacks waiting for their time (a cancelled one is not).
  std::size_t pending() const;

 private:
  using Due = std::multimap<Clock::time_point, std::uint64_t>;
  struct Entry {
    std::function<void()> fn;
    std::chrono::milliseconds period{0};
    Due::iterator due;  // its place in due_ (a multimap's iterators stay valid)
  };
  std::uint64_t add(Clock::time_point when, std::chrono::milliseconds period, std::function<void()> fn);
  void run();
  void sleep(std::unique_lock<std::mutex>& lock, Clock::time_point until);

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  Due due_;
  std::map<std::uint64_t, Entry> entries_;
  std::uint64_t next_id_ = 1;
  std::uint64_t running_ = 0;  // id of the callback being run, 0 when none
  Clock::time_point sleeping_until_ = Clock::time_point::min();  // see sleep()
  std::thread::id thread_id_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace oa::plugins
