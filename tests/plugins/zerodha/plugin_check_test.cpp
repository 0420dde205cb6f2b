// The Zerodha plugin through the ABI conformance suite (what tools/plugin-check
// runs), logged in against the Kite fake.
#include "zerodha_fixture.hpp"

using namespace oa::test;

TEST_SUITE("zerodha plugin-check") {
  TEST_CASE("every declared capability passes the conformance checks against the fake") {
    KiteFake fake;
    TempDir dir;
    std::vector<std::string> args{"plugins", "check", ZERODHA_PLUGIN_PATH, "--data-dir", dir.path().string(),
                                  "--login", "request_token=req-token-1"};
    for (const auto& setting : fake.settings()) args.push_back(setting);
    auto checked = run_openalgod(args);
    INFO(checked.out);
    CHECK(checked.exit_code == 0);
    CHECK(checked.out.find("PASS  login: session for ZR1234") != std::string::npos);
    CHECK(checked.out.find("PASS  streaming") != std::string::npos);
    CHECK(checked.out.find("plugin-check: all checks passed") != std::string::npos);
  }
}
