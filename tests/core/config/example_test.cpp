#include <doctest/doctest.h>

#include "config/config.hpp"
#include "config/keys.hpp"
#include "config_test_support.hpp"

namespace oa::config {

TEST_SUITE("config") {
  TEST_CASE("the committed example env file is exactly what render_example produces") {
    const auto path = std::filesystem::path(OPENALGOD_SOURCE_DIR) / "config" / "openalgod.env.example";
    REQUIRE(std::filesystem::exists(path));
    CHECK(testing::read_file(path) == render_example());
  }

  TEST_CASE("the example env file loads without problems and gives every default") {
    const testing::EnvFixture env(render_example());
    const auto [config, problems] = load(LoadOptions{env.env_file, {}, {}, "var"});
    CHECK(testing::described(problems) == "");
    const Config defaults("var", {});
    for (const KeySpec& spec : all_keys()) {
      CAPTURE(spec.name);
      CHECK(config.get(spec.name) == defaults.get(spec.name));
      CHECK(config.origin(spec.name) != "default");
    }
    CHECK(config.get("DATABASE_URL") == "sqlite:///var/openalgo.db");
  }

  TEST_CASE("the example marks the generated secrets and leaves them empty") {
    const std::string text = render_example();
    CHECK(text.find("\nAPP_KEY=\n") != std::string::npos);
    CHECK(text.find("\nFERNET_SALT=\n") != std::string::npos);
    CHECK(text.find("# Generated into the env file on first run") != std::string::npos);
    CHECK(text.find("\nAPI_RATE_LIMIT='50 per second'\n") != std::string::npos);
  }
}

}  // namespace oa::config
