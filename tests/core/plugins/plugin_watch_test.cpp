#include <doctest/doctest.h>

#include <fstream>
#include <future>

#include "plugins/plugin_watch.hpp"
#include "support/daemon_process.hpp"

using namespace oa::plugins;

TEST_SUITE("plugins") {
  TEST_CASE("the plugin watch reports a .so written into a plugin directory once it is quiet, and nothing else") {
    oa::test::TempDir dir;
    std::promise<std::filesystem::path> seen;
    std::atomic<int> reports{0};
    PluginWatch watch({dir.path()}, [&](const std::filesystem::path& file) {
      if (reports++ == 0) seen.set_value(file);
    }, std::chrono::milliseconds(50));
    std::ofstream(dir.path() / "notes.txt") << "ignored";
    std::ofstream(dir.path() / "broker.so") << "new build";
    auto future = seen.get_future();
    REQUIRE(future.wait_for(std::chrono::seconds(5)) == std::future_status::ready);
    CHECK(future.get() == dir.path() / "broker.so");
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    CHECK(reports == 1);
  }
}
