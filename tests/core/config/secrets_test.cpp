#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "config/config.hpp"
#include "config_test_support.hpp"

namespace oa::config {
namespace {

using testing::EnvFixture;
using testing::read_file;

constexpr std::string_view kSampleAppKey = "OPENALGO_PLACEHOLDER_APP_KEY_REGENERATE_BEFORE_USE";
constexpr std::string_view kSamplePepper = "OPENALGO_PLACEHOLDER_API_KEY_PEPPER_REGENERATE_BEFORE_USE";

bool is_lower_hex(const std::string& text, std::size_t length) {
  return text.size() == length &&
         std::ranges::all_of(text, [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::string replaced(std::string text, std::string_view from, const std::string& to) {
  const std::size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST_SUITE("config") {
  TEST_CASE("first run generates the three secrets into a new env file readable only by its owner") {
    const EnvFixture env({}, /*create=*/false);
    auto [config, problems] = env.load();
    const auto result = ensure_secrets(config, /*store_has_users=*/false);

    CHECK(result.problems.empty());
    CHECK(result.generated_keys == std::vector<std::string>{"APP_KEY", "API_KEY_PEPPER", "FERNET_SALT"});
    CHECK(is_lower_hex(config.get("APP_KEY"), 64));
    CHECK(is_lower_hex(config.get("API_KEY_PEPPER"), 64));
    CHECK(is_lower_hex(config.get("FERNET_SALT"), 32));
    CHECK(config.get("APP_KEY") != config.get("API_KEY_PEPPER"));
    CHECK(testing::permissions_of(env.env_file) == 0600);
    CHECK(read_file(env.env_file) == "APP_KEY=" + config.get("APP_KEY") + "\nAPI_KEY_PEPPER=" +
                                         config.get("API_KEY_PEPPER") + "\nFERNET_SALT=" +
                                         config.get("FERNET_SALT") + "\n");
    CHECK(config.origin("FERNET_SALT") == env.env_file.string() + ":3");
  }

  TEST_CASE("generated secrets replace placeholders in place and keep every other byte of the file") {
    const std::string original = "# My OpenAlgo settings\r\n"
                                 "BROKER_API_KEY = 'YOUR_BROKER_API_KEY'\n"
                                 "\n"
                                 "APP_KEY = '" + std::string(kSampleAppKey) + "'   # rotated on first run\n"
                                 "export API_KEY_PEPPER=\"" + std::string(kSamplePepper) + "\"\n"
                                 "LOG_LEVEL=DEBUG # keep\n"
                                 "UNRELATED_TOOL_SETTING=x";
    const EnvFixture env(original);
    std::filesystem::permissions(env.env_file, std::filesystem::perms(0644));
    auto [config, problems] = env.load();
    const auto result = ensure_secrets(config, /*store_has_users=*/false);

    REQUIRE(result.problems.empty());
    std::string expected = replaced(original, kSampleAppKey, config.get("APP_KEY"));
    expected = replaced(expected, kSamplePepper, config.get("API_KEY_PEPPER"));
    expected += "\r\nFERNET_SALT=" + config.get("FERNET_SALT") + "\r\n";
    CHECK(read_file(env.env_file) == expected);
    CHECK(testing::permissions_of(env.env_file) == 0600);
    CHECK(config.origin("APP_KEY") == env.env_file.string() + ":4");
  }

  TEST_CASE("generated secrets are what the next load reads, and the next run generates nothing") {
    const EnvFixture env({}, /*create=*/false);
    auto first = env.load();
    REQUIRE(ensure_secrets(first.config, false).generated_keys.size() == 3);
    const std::string written = read_file(env.env_file);

    auto second = env.load();
    CHECK(second.problems.empty());
    CHECK(second.config.get("APP_KEY") == first.config.get("APP_KEY"));
    CHECK(second.config.get("API_KEY_PEPPER") == first.config.get("API_KEY_PEPPER"));
    CHECK(second.config.get("FERNET_SALT") == first.config.get("FERNET_SALT"));
    const auto again = ensure_secrets(second.config, false);
    CHECK(again.generated_keys.empty());
    CHECK(again.problems.empty());
    CHECK(read_file(env.env_file) == written);
  }

  TEST_CASE("with users in the store the pepper and salt are never generated, but the app key is") {
    const std::string original = "APP_KEY='" + std::string(kSampleAppKey) + "'\nAPI_KEY_PEPPER='" +
                                 std::string(kSamplePepper) + "'\n";
    const EnvFixture env(original);
    auto [config, problems] = env.load();
    const auto result = ensure_secrets(config, /*store_has_users=*/true);

    CHECK(result.generated_keys == std::vector<std::string>{"APP_KEY"});
    REQUIRE(result.problems.size() == 2);
    CHECK(result.problems[0].severity == Severity::Error);
    CHECK(result.problems[0].key == "API_KEY_PEPPER");
    CHECK(describe(result.problems[0]) ==
          env.env_file.string() + ":2: API_KEY_PEPPER: is missing or a placeholder, but the store already has users: "
          "a new value would make every password hash and encrypted token unusable. Put the previous value back "
          "into " + env.env_file.string());
    CHECK(result.problems[1].key == "FERNET_SALT");
    CHECK(config.get("API_KEY_PEPPER") == kSamplePepper);
    CHECK(read_file(env.env_file) == replaced(original, kSampleAppKey, config.get("APP_KEY")));
  }

  TEST_CASE("with users in the store, real secrets are kept and nothing is reported") {
    const EnvFixture env("APP_KEY=" + std::string(64, 'a') + "\nAPI_KEY_PEPPER=" + std::string(64, 'b') +
                         "\nFERNET_SALT=" + std::string(32, 'c') + "\n");
    auto [config, problems] = env.load();
    const auto result = ensure_secrets(config, /*store_has_users=*/true);
    CHECK(result.generated_keys.empty());
    CHECK(result.problems.empty());
  }

  TEST_CASE("a placeholder secret from the environment is an error, since a generated one would be ignored") {
    const EnvFixture env({}, /*create=*/false);
    auto [config, problems] = env.load({{"APP_KEY", std::string(kSampleAppKey)}});
    const auto result = ensure_secrets(config, false);
    CHECK(result.generated_keys == std::vector<std::string>{"API_KEY_PEPPER", "FERNET_SALT"});
    CHECK(testing::described(result.problems) ==
          "environment: APP_KEY: is empty or a placeholder in the environment, which would override a generated "
          "value in the env file; remove it there or give a real value\n");
    CHECK(config.get("APP_KEY") == kSampleAppKey);
  }

  TEST_CASE("secrets that cannot be stored are not generated at all") {
    const EnvFixture env({}, /*create=*/false);
    std::filesystem::create_directory(env.env_file);  // a directory where the file should be
    auto [config, problems] = env.load();
    const auto result = ensure_secrets(config, false);
    CHECK(result.generated_keys.empty());
    REQUIRE(result.problems.size() == 1);
    CHECK(result.problems[0].severity == Severity::Error);
    CHECK(result.problems[0].message.starts_with("cannot store generated secrets: "));
    CHECK(config.get("APP_KEY").empty());
  }

  TEST_CASE("generated secrets appear in no problem and are offered to the log redactor") {
    const EnvFixture env({}, /*create=*/false);
    auto [config, problems] = env.load();
    const auto result = ensure_secrets(config, true);
    const auto secrets = config.secret_values();
    CHECK(std::ranges::find(secrets, config.get("APP_KEY")) != secrets.end());
    const std::string text = testing::described(result.problems);
    CHECK(text.find(config.get("APP_KEY")) == std::string::npos);
  }
}

}  // namespace oa::config
