#include <doctest/doctest.h>

#include "config/config.hpp"
#include "config/keys.hpp"
#include "config_test_support.hpp"

namespace oa::config {

TEST_SUITE("config") {
  TEST_CASE("a broker plugin's own settings are read from file, environment and flags, later layers winning") {
    const testing::EnvFixture env("ZERODHA_API_URL=http://127.0.0.1:9000\nSIMULATOR_SEED=7\nANGEL_WS_URL=ws://file\n");
    const auto [config, problems] =
        load(LoadOptions{env.env_file, {{"ANGEL_WS_URL", "ws://environment"}, {"UNRELATED_THING", "x"}},
                         {{"SIMULATOR_SEED", "9"}}, "var"});
    CHECK(testing::described(problems) == "");
    CHECK(config.plugin_setting("ZERODHA_API_URL") == "http://127.0.0.1:9000");
    CHECK(config.plugin_setting("ANGEL_WS_URL") == "ws://environment");
    CHECK(config.plugin_setting("SIMULATOR_SEED") == "9");
    CHECK_FALSE(config.plugin_setting("UNRELATED_THING").has_value());
    CHECK_FALSE(config.plugin_setting("ZERODHA_WS_URL").has_value());
  }

  TEST_CASE("plugin settings are recognised by a broker id prefix, other unknown keys are not") {
    CHECK(is_plugin_setting("ZERODHA_API_URL"));
    CHECK(is_plugin_setting("DHAN_SANDBOX_API_URL"));
    CHECK(is_plugin_setting("SIMULATOR_TICK_MS"));
    CHECK_FALSE(is_plugin_setting("ZERODHA"));
    CHECK_FALSE(is_plugin_setting("FROBNICATE_LEVEL"));
  }
}

}  // namespace oa::config
