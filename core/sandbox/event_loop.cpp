#include "sandbox/event_loop.hpp"

#include <exception>

#include <spdlog/spdlog.h>

#include "log/thread_name.hpp"

namespace oa::sandbox {
namespace {

// The loop must outlive any one failing task: log it once and go on.
void run_guarded(const char* what, const std::function<void()>& work) {
  try {
    work();
  } catch (const std::exception& error) {
    spdlog::error("sandbox: a {} failed: {}", what, error.what());
  } catch (...) {
    spdlog::error("sandbox: a {} failed with an unknown exception", what);
  }
}

// How long the thread may sleep before the engine clock reaches `at_ms`,
// assuming it runs at real speed; never longer than `cap`.
std::chrono::milliseconds until(std::int64_t at_ms, std::int64_t now_ms,
                                std::chrono::milliseconds cap) {
  const std::int64_t wait = at_ms - now_ms;
  if (wait <= 0) return std::chrono::milliseconds(0);
  return std::min(cap, std::chrono::milliseconds(wait));
}

}  // namespace

EventLoop::EventLoop(std::function<std::int64_t()> now_ms, QuoteHandler on_quote)
    : now_ms_(std::move(now_ms)), on_quote_(std::move(on_quote)) {}

EventLoop::~EventLoop() { stop(); }

void EventLoop::post(Task task) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    tasks_.push_back(std::move(task));
  }
  wake_.notify_one();
}

void EventLoop::post_quote(const SymbolKey& key, const Quote& quote) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    auto [slot, inserted] = latest_quotes_.try_emplace(key, Waiting{quote, PriceRange::of(quote)});
    if (!inserted) {  // already queued: the new price replaces the old one
      slot->second.latest = quote;
      slot->second.seen.widen(quote.ltp);
      return;
    }
    quote_order_.push_back(slot->first);
  }
  wake_.notify_one();
}

void EventLoop::post_at(std::int64_t at_ms, Task task) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    timers_.emplace(at_ms, std::move(task));
  }
  wake_.notify_one();
}

EventLoop::Ready EventLoop::take_ready() {
  Ready ready;
  const std::int64_t now = now_ms_();
  std::lock_guard lock(mutex_);
  ready.tasks.swap(tasks_);
  for (const SymbolKey& key : quote_order_) {
    auto found = latest_quotes_.find(key);
    ready.quotes.emplace_back(key, found->second);
  }
  quote_order_.clear();
  latest_quotes_.clear();
  while (!timers_.empty() && timers_.begin()->first <= now) {
    ready.timers.push_back(std::move(timers_.begin()->second));
    timers_.erase(timers_.begin());
  }
  return ready;
}

std::size_t EventLoop::run(Ready& ready) {
  std::size_t count = 0, in_group = 0;
  auto step = [&](const char* what, const auto& item) {
    if (in_group == 0 && grouping_.open) grouping_.open();
    run_guarded(what, item);
    ++count;
    if (++in_group < grouping_.size) return;
    if (grouping_.close) grouping_.close();
    in_group = 0;
  };
  for (Task& task : ready.tasks) step("task", task);
  for (const auto& [key, waiting] : ready.quotes) {
    step("quote", [&] { on_quote_(key, waiting.latest, waiting.seen); });
  }
  for (Task& timer : ready.timers) step("timer", timer);
  if (in_group > 0 && grouping_.close) grouping_.close();
  return count;
}

std::size_t EventLoop::run_ready() {
  std::size_t total = 0;
  for (;;) {
    Ready ready = take_ready();
    const std::size_t count = run(ready);
    if (count == 0) break;
    total += count;
  }
  if (grouping_.idle) run_guarded("idle", grouping_.idle);
  return total;
}


std::size_t EventLoop::waiting_quotes() const {
  std::lock_guard lock(mutex_);
  return quote_order_.size();
}

void EventLoop::start_thread(std::chrono::milliseconds period, Task periodic) {
  thread_ = std::thread([this, period, periodic = std::move(periodic)] {
    log::name_this_thread("oa-sandbox");
    thread_main(period, periodic);
  });
}

void EventLoop::thread_main(std::chrono::milliseconds period, Task periodic) {
  auto next_periodic = std::chrono::steady_clock::now() + period;
  for (;;) {
    Ready ready = take_ready();
    run(ready);
    if (std::chrono::steady_clock::now() >= next_periodic) {
      run_guarded("periodic run", periodic);
      next_periodic = std::chrono::steady_clock::now() + period;
    }
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
      if (!tasks_.empty() || !quote_order_.empty()) continue;
    }
    if (grouping_.idle) run_guarded("idle", grouping_.idle);
    std::unique_lock lock(mutex_);
    if (stopping_) return;
    if (!tasks_.empty() || !quote_order_.empty()) continue;
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(
        next_periodic - std::chrono::steady_clock::now());
    if (!timers_.empty()) wait = until(timers_.begin()->first, now_ms_(), wait);
    wake_.wait_for(lock, wait, [this] {
      return stopping_ || !tasks_.empty() || !quote_order_.empty();
    });
    if (stopping_) return;
  }
}

void EventLoop::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mutex_);
  tasks_.clear();
  latest_quotes_.clear();
  quote_order_.clear();
  timers_.clear();
}

}  // namespace oa::sandbox
