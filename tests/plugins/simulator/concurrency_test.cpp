// Operations run on the host's worker pool while the timer runs on another
// thread: the simulator must take all of it at once.
#include <doctest/doctest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "simulator_fixture.hpp"

using namespace oa::test;

TEST_CASE("quotes, history, subscriptions, ticks and a master refresh can run at the same time") {
  FakeHost host(kSessionOpen);
  PluginInstance simulator(host);
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (auto symbol : {"RELIANCE", "SBIN"})
    threads.emplace_back([&, symbol] {
      while (!stop)
        if (simulator.quotes(symbol, "NSE").status != OA_OK) ++failures;
    });
  threads.emplace_back([&] {
    while (!stop)
      if (simulator.history("NIFTY25NOV25FUT", "NFO", "5m", "2025-11-18", "2025-11-19").status != OA_OK) ++failures;
  });
  threads.emplace_back([&] {
    while (!stop) host.fire_timers();
  });
  threads.emplace_back([&] {
    auto item = subscription("NIFTY25NOV25FUT", "NFO", OA_MODE_DEPTH);
    while (!stop) {
      if (simulator.subscribe({item}).status != OA_OK) ++failures;
      if (simulator.unsubscribe({item}).status != OA_OK) ++failures;
    }
  });
  for (int i = 0; i < 3; ++i)
    if (simulator.master_contract().status != OA_OK) ++failures;
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  stop = true;
  for (auto& thread : threads) thread.join();
  CHECK(failures == 0);
}
