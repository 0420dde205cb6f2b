#pragma once
// The engine's single strand: every state change runs here, one at a time,
// so nothing in the engine needs a lock. Work arrives from any thread and is
// never waited for: tasks queue in order, quotes are conflated per symbol
// (a burst keeps the latest quote and the range of LTPs it went through, so
// memory is bounded by the number of symbols and no crossing is lost), and
// timers fire on the engine's clock.
//
// Either a thread of its own runs the loop (start_thread), or the owner
// calls run_ready() from one thread of its choosing (deterministic tests).
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

#include "sandbox/sandbox_types.hpp"

namespace oa::sandbox {

struct SymbolKey {
  std::string symbol, exchange;
  friend auto operator<=>(const SymbolKey&, const SymbolKey&) = default;
};

class EventLoop {
 public:
  using Task = std::function<void()>;
  using QuoteHandler = std::function<void(const SymbolKey&, const Quote&, const PriceRange&)>;

  EventLoop(std::function<std::int64_t()> now_ms, QuoteHandler on_quote);
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Any thread; never blocks on the loop's work.
  void post(Task task);
  // Any thread. If a quote for `key` is still waiting, it is replaced and
  // the range of LTPs it carries widened.
  void post_quote(const SymbolKey& key, const Quote& quote);
  // Runs `task` once the engine clock reaches `at_ms`.
  void post_at(std::int64_t at_ms, Task task);

  // Brackets each run of up to `size` consecutive items (tasks, quotes and
  // timers alike) with open() and close(): the engine commits the store
  // writes of a run together. Set before the loop runs; close() must not throw.
  // idle() runs whenever the loop has nothing ready left (before it waits).
  struct Grouping {
    std::function<void()> open, close;
    std::size_t size = 1;
    std::function<void()> idle;
  };
  void group_by(Grouping grouping) { grouping_ = std::move(grouping); }

  // Runs the loop on a new thread, calling `periodic` every `period` (real time).
  void start_thread(std::chrono::milliseconds period, Task periodic);
  // Stops and joins the thread; queued work that has not run is dropped.
  void stop();

  // Without a thread: runs queued tasks, quotes and due timers, including
  // those they queue in turn, until none is left. Returns how many ran.
  std::size_t run_ready();

  // Quotes waiting right now (for tests of conflation).
  std::size_t waiting_quotes() const;

 private:
  struct Waiting {
    Quote latest;
    PriceRange seen;
  };
  struct Ready {
    std::deque<Task> tasks;
    std::deque<std::pair<SymbolKey, Waiting>> quotes;
    std::deque<Task> timers;
  };
  Ready take_ready();  // under no lock; takes the lock itself
  std::size_t run(Ready& ready);
  void thread_main(std::chrono::milliseconds period, Task periodic);

  std::function<std::int64_t()> now_ms_;
  QuoteHandler on_quote_;
  Grouping grouping_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Task> tasks_;
  std::map<SymbolKey, Waiting> latest_quotes_;
  std::deque<SymbolKey> quote_order_;  // keys of latest_quotes_, each once, oldest first
  std::multimap<std::int64_t, Task> timers_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace oa::sandbox
