// The Angel plugin through the ABI conformance suite (what tools/plugin-check
// runs), logged in against the SmartAPI fake.
#include <atomic>

#include "angel_host.hpp"

using namespace oa::test;

TEST_SUITE("angel plugin-check") {
  TEST_CASE("every declared capability passes the conformance checks against the fake") {
    SmartApiFake fake;
    TempDir dir;
    // The fake's price path moves while the check waits for a tick.
    std::atomic<bool> done{false};
    std::thread feeder([&] {
      while (!done) {
        fake.tick();
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    });
    std::vector<std::string> args{"plugins", "check", ANGEL_PLUGIN_PATH, "--data-dir", dir.path().string(),
                                  "--login", "userid=A123456", "--login", "pin=1234", "--login", "totp=123456"};
    for (const auto& setting : fake.settings()) args.push_back(setting);
    auto checked = run_openalgod(args);
    done = true;
    feeder.join();
    INFO(checked.out);
    INFO(checked.err);
    CHECK(checked.exit_code == 0);
    CHECK(checked.out.find("PASS  login: session for A123456") != std::string::npos);
    CHECK(checked.out.find("PASS  streaming") != std::string::npos);
    CHECK(checked.out.find("plugin-check: all checks passed") != std::string::npos);
  }
}
