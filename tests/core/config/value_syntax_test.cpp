#include "config/value_syntax.hpp"

#include <doctest/doctest.h>

#include "config/config.hpp"

namespace oa::config {

TEST_SUITE("config") {
  TEST_CASE("a rate limit is N per second, minute, hour or day") {
    CHECK(parse_rate_limits("10 per second") == std::vector<RateLimit>{{10, 1}});
    CHECK(parse_rate_limits("5 per minute") == std::vector<RateLimit>{{5, 60}});
    CHECK(parse_rate_limits("25 per hour") == std::vector<RateLimit>{{25, 3600}});
    CHECK(parse_rate_limits("1 per day") == std::vector<RateLimit>{{1, 86400}});
  }

  TEST_CASE("rate limits joined with semicolons give one part each") {
    CHECK(parse_rate_limits("10 per second;40 per minute") == std::vector<RateLimit>{{10, 1}, {40, 60}});
  }

  TEST_CASE("a rate limit ignores case and extra blanks") {
    CHECK(parse_rate_limits("  10   PER  Second ; 40 per MINUTE ") == std::vector<RateLimit>{{10, 1}, {40, 60}});
  }

  TEST_CASE("a rate limit with a bad count, unit or shape is rejected") {
    for (const std::string_view text :
         {"", "abc", "10", "10 per", "per second", "0 per second", "-1 per second", "10 per week", "10 per seconds",
          "10/second", "10 every second", "10 per second;", ";10 per second", "10 per second;; 5 per day",
          "99999999999 per second", "1.5 per second"}) {
      CAPTURE(text);
      CHECK_FALSE(parse_rate_limits(text).has_value());
    }
  }

  TEST_CASE("placeholder secrets are recognised") {
    CHECK(is_placeholder_secret("OPENALGO_PLACEHOLDER_APP_KEY_REGENERATE_BEFORE_USE"));
    CHECK(is_placeholder_secret("OPENALGO_PLACEHOLDER_API_KEY_PEPPER_REGENERATE_BEFORE_USE"));
    CHECK(is_placeholder_secret("OPENALGO_PLACEHOLDER_FERNET_SALT_REGENERATE_BEFORE_USE"));
    CHECK(is_placeholder_secret("3daa0403ce2501ee7432b75bf100048e3cf510d63d2754f952e93d88bf07ea84"));
    CHECK(is_placeholder_secret("A25D94718479B170C16278E321EA6C989358BF499A658FD20C90033CEF8CE772"));
    CHECK(is_placeholder_secret("YOUR_SECRET_KEY_HERE"));
    CHECK(is_placeholder_secret("please-change-me-before-going-live"));
    CHECK(is_placeholder_secret("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"));
  }

  TEST_CASE("real secrets are not placeholders") {
    CHECK_FALSE(is_placeholder_secret("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"));
    CHECK_FALSE(is_placeholder_secret("an honest passphrase of some length"));
  }

  TEST_CASE("booleans accept the usual spellings in any case") {
    for (const std::string_view yes : {"TRUE", "true", "True", "1", "yes", "ON"}) CHECK(parse_boolean(yes) == true);
    for (const std::string_view no : {"FALSE", "false", "0", "No", "off"}) CHECK(parse_boolean(no) == false);
    CHECK_FALSE(parse_boolean("maybe").has_value());
    CHECK_FALSE(parse_boolean("").has_value());
  }

  TEST_CASE("integers must be whole numbers with nothing around them") {
    CHECK(parse_integer("42") == 42);
    CHECK(parse_integer("-7") == -7);
    CHECK_FALSE(parse_integer("").has_value());
    CHECK_FALSE(parse_integer("4 2").has_value());
    CHECK_FALSE(parse_integer("12abc").has_value());
    CHECK_FALSE(parse_integer("99999999999999999999").has_value());
  }

  TEST_CASE("a clock time is H:MM or HH:MM within a day") {
    CHECK(is_clock_time("03:00"));
    CHECK(is_clock_time("3:00"));
    CHECK(is_clock_time("23:59"));
    CHECK_FALSE(is_clock_time("24:00"));
    CHECK_FALSE(is_clock_time("12:60"));
    CHECK_FALSE(is_clock_time("12:5"));
    CHECK_FALSE(is_clock_time("1200"));
    CHECK_FALSE(is_clock_time("12:00:00"));
  }

  TEST_CASE("log levels are the Python names in any case, and WARN") {
    for (const std::string_view level : {"DEBUG", "info", "Warning", "WARN", "error", "CRITICAL"})
      CHECK(is_log_level(level));
    CHECK_FALSE(is_log_level("VERBOSE"));
    CHECK_FALSE(is_log_level(""));
  }

  TEST_CASE("a list is split, trimmed and has no empty items") {
    CHECK(split_list(" a, b ,,c ,", ',') == std::vector<std::string>{"a", "b", "c"});
    CHECK(split_list("build/plugins:var/plugins", ':') == std::vector<std::string>{"build/plugins", "var/plugins"});
    CHECK(split_list("", ',').empty());
  }

  TEST_CASE("a URL's password is found and can be masked") {
    CHECK(url_password("postgresql://user:p@ss@db.local:5432/oa") == "p@ss");
    CHECK(url_password("postgresql://user@db.local/oa").empty());
    CHECK(url_password("sqlite:///var/openalgo.db").empty());
    CHECK(without_password("postgresql://user:hunter2@db/oa") == "postgresql://user:***@db/oa");
    CHECK(without_password("sqlite:///var/openalgo.db") == "sqlite:///var/openalgo.db");
  }
}

}  // namespace oa::config
