#include <doctest/doctest.h>

#include <vector>

#include "orders/per_key_queue.hpp"

using oa::orders::PerKeyQueue;

TEST_SUITE("orders") {
  TEST_CASE("tasks of one key run one at a time, in the order they came") {
    PerKeyQueue queue;
    std::vector<int> started;
    std::vector<PerKeyQueue::Release> releases;
    for (int i = 0; i < 3; ++i)
      queue.run("SBIN", [&started, &releases, i](PerKeyQueue::Release release) {
        started.push_back(i);
        releases.push_back(std::move(release));
      });
    CHECK(started == std::vector<int>{0});
    releases[0]();
    CHECK(started == std::vector<int>{0, 1});
    releases[1]();
    releases[2]();
    CHECK(started == std::vector<int>{0, 1, 2});
    CHECK(queue.busy_keys() == 0);
  }

  TEST_CASE("tasks of different keys do not wait for each other") {
    PerKeyQueue queue;
    int started = 0;
    queue.run("SBIN", [&started](PerKeyQueue::Release) { ++started; });
    queue.run("INFY", [&started](PerKeyQueue::Release) { ++started; });
    CHECK(started == 2);
    CHECK(queue.busy_keys() == 2);
  }

  TEST_CASE("releasing a key twice starts only one waiting task") {
    PerKeyQueue queue;
    int started = 0;
    PerKeyQueue::Release first;
    queue.run("SBIN", [&first](PerKeyQueue::Release release) { first = std::move(release); });
    queue.run("SBIN", [&started](PerKeyQueue::Release) { ++started; });
    queue.run("SBIN", [&started](PerKeyQueue::Release) { ++started; });
    first();
    first();
    CHECK(started == 1);
  }
}
