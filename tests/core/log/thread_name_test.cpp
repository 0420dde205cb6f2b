// Threads carry names an operator can read in top -H, ps and gdb.
#include <doctest/doctest.h>

#include <array>
#include <string>
#include <thread>

#include "log/thread_name.hpp"

namespace {

std::string name_of_thread_named(std::string_view name) {
  std::array<char, 64> seen{};
  std::thread([&] {
    oa::log::name_this_thread(name);
    pthread_getname_np(pthread_self(), seen.data(), seen.size());
  }).join();
  return seen.data();
}

}  // namespace

TEST_SUITE("log") {
  TEST_CASE("a thread gets its name, cut to the 15 characters Linux keeps") {
    CHECK(name_of_thread_named("oa-sandbox") == "oa-sandbox");
    CHECK(name_of_thread_named("oa-a-much-longer-name") == "oa-a-much-longe");
  }
}
