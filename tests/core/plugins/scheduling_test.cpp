#include <doctest/doctest.h>

#include <atomic>
#include <future>
#include <thread>

#include "plugins/scheduler.hpp"
#include "plugins/worker_pool.hpp"

using namespace oa::plugins;

TEST_SUITE("plugins") {
  TEST_CASE("the worker pool runs submitted tasks and refuses work beyond its queue") {
    WorkerPool pool(1, 2);
    std::promise<void> release;
    auto released = release.get_future().share();
    std::atomic<int> ran{0};
    std::promise<void> started;
    REQUIRE(pool.submit([&] {
      started.set_value();
      released.wait();
      ++ran;
    }));
    started.get_future().wait();  // the only worker is now busy
    CHECK(pool.submit([&] { ++ran; }));
    CHECK(pool.submit([&] { ++ran; }));
    CHECK_FALSE(pool.submit([&] { ++ran; }));  // queue of 2 is full
    release.set_value();
  }

  TEST_CASE("a task that throws does not take its worker down") {
    WorkerPool pool(1, 4);
    std::promise<int> result;
    REQUIRE(pool.submit([] { throw std::runtime_error("boom"); }));
    REQUIRE(pool.submit([&] { result.set_value(7); }));
    CHECK(result.get_future().get() == 7);
  }

  TEST_CASE("the scheduler fires one-shot callbacks at their time and periodic ones until cancelled") {
    Scheduler scheduler;
    std::promise<void> fired;
    scheduler.at(Scheduler::Clock::now() + std::chrono::milliseconds(20), [&] { fired.set_value(); });
    CHECK(fired.get_future().wait_for(std::chrono::seconds(5)) == std::future_status::ready);
    std::atomic<int> count{0};
    auto id = scheduler.every(std::chrono::milliseconds(5), [&] { ++count; });
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (count < 3 && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
    scheduler.cancel(id);
    int after_cancel = count;
    std::this_thread::sleep_for(std::chrono::milliseconds(30));  // six periods: none may fire
    CHECK(count >= 3);
    CHECK(count == after_cancel);
  }

  TEST_CASE("a cancelled one-shot never fires") {
    Scheduler scheduler;
    std::atomic<bool> fired{false};
    auto id = scheduler.at(Scheduler::Clock::now() + std::chrono::milliseconds(30), [&] { fired = true; });
    scheduler.cancel(id);
    std::this_thread::sleep_for(std::chrono::milliseconds(60));
    CHECK_FALSE(fired);
  }

  TEST_CASE("a cancelled deadline is forgotten at once, not kept until it falls due") {
    Scheduler scheduler;
    auto later = Scheduler::Clock::now() + std::chrono::hours(1);
    auto kept = scheduler.at(later, [] {});
    for (int call = 0; call < 100; ++call) scheduler.cancel(scheduler.at(later, [] {}));
    CHECK(scheduler.pending() == 1);
    scheduler.cancel(kept);
    CHECK(scheduler.pending() == 0);
  }
}
