// The engine's strand: tasks in order, timers on the engine clock, and
// prices conflated per symbol so a burst of ticks cannot queue without bound.
#include <stdexcept>
#include <vector>

#include <doctest/doctest.h>

#include "sandbox/event_loop.hpp"

using namespace oa::sandbox;

TEST_SUITE("sandbox") {
  TEST_CASE("a burst of ticks keeps only the latest price per symbol") {
    std::vector<std::pair<SymbolKey, double>> delivered;
    EventLoop loop([] { return std::int64_t{0}; },
                   [&](const SymbolKey& key, const Quote& quote, const PriceRange&) {
                     delivered.emplace_back(key, quote.ltp);
                   });
    for (int i = 1; i <= 10000; ++i) {
      loop.post_quote({i % 2 == 0 ? "SBIN" : "ZEEL", "NSE"}, Quote{static_cast<double>(i), 0, 0, 0});
    }
    CHECK(loop.waiting_quotes() == 2);
    loop.run_ready();
    REQUIRE(delivered.size() == 2);
    CHECK(delivered[0].first.symbol == "ZEEL");
    CHECK(delivered[0].second == 9999);
    CHECK(delivered[1].second == 10000);
  }

  TEST_CASE("merged ticks keep the lowest and highest LTP among them") {
    PriceRange seen;
    EventLoop loop([] { return std::int64_t{0}; },
                   [&](const SymbolKey&, const Quote&, const PriceRange& range) { seen = range; });
    for (double ltp : {100.0, 98.5, 103.0, 101.0}) loop.post_quote({"SBIN", "NSE"}, Quote{ltp, 0, 0, 0});
    loop.run_ready();
    CHECK(seen.low == 98.5);
    CHECK(seen.high == 103.0);
  }

  TEST_CASE("the event loop runs tasks in order and timers when the clock reaches them") {
    std::int64_t now = 0;
    std::vector<int> ran;
    EventLoop loop([&] { return now; }, [](const SymbolKey&, const Quote&, const PriceRange&) {});
    loop.post_at(100, [&] { ran.push_back(3); });
    loop.post([&] { ran.push_back(1); });
    loop.post([&] { ran.push_back(2); });
    loop.run_ready();
    CHECK(ran == std::vector<int>{1, 2});
    now = 100;
    loop.run_ready();
    CHECK(ran == std::vector<int>{1, 2, 3});
  }

  TEST_CASE("a task that throws does not stop the loop") {
    std::vector<int> ran;
    EventLoop loop([] { return std::int64_t{0}; }, [](const SymbolKey&, const Quote&, const PriceRange&) {});
    loop.post([] { throw std::runtime_error("boom"); });
    loop.post([&] { ran.push_back(1); });
    loop.run_ready();
    CHECK(ran == std::vector<int>{1});
  }

  TEST_CASE("work posted after stop is dropped") {
    int ran = 0;
    EventLoop loop([] { return std::int64_t{0}; }, [](const SymbolKey&, const Quote&, const PriceRange&) {});
    loop.stop();
    loop.post([&] { ++ran; });
    loop.post_quote({"SBIN", "NSE"}, Quote{1, 0, 0, 0});
    CHECK(loop.run_ready() == 0);
    CHECK(ran == 0);
  }
}
