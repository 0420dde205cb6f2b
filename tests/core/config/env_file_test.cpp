#include "config/env_file.hpp"

#include <doctest/doctest.h>

#include <string>

#include "config_test_support.hpp"

namespace oa::config {
namespace {

const EnvEntry& only_entry(const ParsedEnv& parsed) {
  REQUIRE(parsed.errors.empty());
  REQUIRE(parsed.entries.size() == 1);
  return parsed.entries.front();
}

std::string value_of(std::string_view line) { return only_entry(parse_env_text(line)).value; }

}  // namespace

TEST_SUITE("config") {
  TEST_CASE("an unquoted value is trimmed and loses a trailing comment that follows a blank") {
    CHECK(value_of("KEY=value") == "value");
    CHECK(value_of("KEY =   spaced value   ") == "spaced value");
    CHECK(value_of("KEY=abc # note") == "abc");
    CHECK(value_of("KEY=abc#not-a-comment") == "abc#not-a-comment");
    CHECK(value_of("KEY=#hash-first") == "#hash-first");
    CHECK(value_of("KEY=") == "");
    CHECK(value_of("KEY= # only a comment") == "");
  }

  TEST_CASE("a single-quoted value is taken literally") {
    CHECK(value_of(R"(KEY='a \n b " # c')") == R"(a \n b " # c)");
    CHECK(value_of("KEY = '50 per second'  # comment") == "50 per second");
  }

  TEST_CASE("a double-quoted value understands backslash escapes") {
    CHECK(value_of(R"(KEY="line1\nline2")") == "line1\nline2");
    CHECK(value_of(R"(KEY="say \"hi\" \\ \t end")") == "say \"hi\" \\ \t end");
    CHECK(value_of(R"(KEY="it's")") == "it's");
    CHECK(value_of(R"(KEY="keeps \x unknown")") == R"(keeps \x unknown)");
    CHECK(value_of(R"(KEY="'self' data:" # CSP)") == "'self' data:");
  }

  TEST_CASE("an export prefix is ignored") {
    const auto parsed = parse_env_text("export   HTTP_PORT=5001");
    const auto& entry = only_entry(parsed);
    CHECK(entry.key == "HTTP_PORT");
    CHECK(entry.value == "5001");
    CHECK(value_of("export=1") == "1");
  }

  TEST_CASE("comment and blank lines are skipped and line numbers count every line") {
    const auto parsed = parse_env_text("# header\n\n   \n  # indented comment\nA=1\r\nB='2'\r\n");
    REQUIRE(parsed.errors.empty());
    REQUIRE(parsed.entries.size() == 2);
    CHECK(parsed.entries[0].key == "A");
    CHECK(parsed.entries[0].value == "1");
    CHECK(parsed.entries[0].line == 5);
    CHECK(parsed.entries[1].value == "2");
    CHECK(parsed.entries[1].line == 6);
  }

  TEST_CASE("a byte order mark before the first key is ignored") {
    CHECK(only_entry(parse_env_text("\xEF\xBB\xBF" "A=1")).key == "A");
  }

  TEST_CASE("a malformed line is reported with its line number and without its text") {
    const auto parsed = parse_env_text("A=1\n\n# c\nB=2\n\nC=3\nthis line holds secret-text\nD=4\n");
    REQUIRE(parsed.errors.size() == 1);
    CHECK(parsed.errors[0].line == 7);
    CHECK(parsed.errors[0].message == "expected KEY=VALUE");
    CHECK(parsed.entries.size() == 4);
  }

  TEST_CASE("lines that are not KEY=VALUE are errors") {
    for (const std::string_view line : {"NOEQUALS", "=value", "1KEY=x", "KEY-NAME=x", "export"}) {
      CAPTURE(line);
      const auto parsed = parse_env_text(line);
      REQUIRE(parsed.errors.size() == 1);
      CHECK(parsed.errors[0].message == "expected KEY=VALUE");
    }
  }

  TEST_CASE("an unterminated quote or text after the closing quote is an error") {
    CHECK(parse_env_text("A='open").errors.at(0).message == "the value's opening ' has no closing '");
    CHECK(parse_env_text("A=\"open\\\"").errors.at(0).message == "the value's opening \" has no closing \"");
    CHECK(parse_env_text("A='x' y").errors.at(0).message == "unexpected text after the closing quote");
  }

  TEST_CASE("setting a value keeps its quotes, its comment and every other byte") {
    const std::string text = "# top\nexport A = 'old'   # keep me\nB=2\n";
    CHECK(with_values_set(text, {{"A", "new"}}) == "# top\nexport A = 'new'   # keep me\nB=2\n");
    CHECK(with_values_set("A=\"old\"\n", {{"A", "new"}}) == "A=\"new\"\n");
    CHECK(with_values_set("A=old # c\n", {{"A", "new"}}) == "A=new # c\n");
  }

  TEST_CASE("setting an empty value keeps a following comment a comment") {
    const std::string text = with_values_set("A= # comment\n", {{"A", "new"}});
    CHECK(text == "A=new # comment\n");
    CHECK(value_of(text) == "new");
  }

  TEST_CASE("setting a repeated key changes its last line, the one that wins") {
    CHECK(with_values_set("A=1\nA=2\n", {{"A", "3"}}) == "A=1\nA=3\n");
  }

  TEST_CASE("setting an absent key appends it, on a line of its own and with the file's line ending") {
    CHECK(with_values_set("", {{"A", "1"}, {"B", "2"}}) == "A=1\nB=2\n");
    CHECK(with_values_set("X=0", {{"A", "1"}}) == "X=0\nA=1\n");
    CHECK(with_values_set("X=0\r\n", {{"A", "1"}}) == "X=0\r\nA=1\r\n");
  }

  TEST_CASE("an atomic write creates the file with mode 0600 and leaves no temporary file") {
    testing::ScratchDir dir;
    const auto path = dir / "sub" / ".env";
    write_env_file_atomically(path, "A=1\n");
    CHECK(testing::read_file(path) == "A=1\n");
    CHECK(testing::permissions_of(path) == 0600);
    CHECK(std::distance(std::filesystem::directory_iterator(dir / "sub"), {}) == 1);
  }

  TEST_CASE("an atomic write through a symlink rewrites the file it points at") {
    testing::ScratchDir dir;
    testing::write_file(dir / "real.env", "A=1\n");
    std::filesystem::create_symlink(dir / "real.env", dir / ".env");
    write_env_file_atomically(dir / ".env", "A=2\n");
    CHECK(std::filesystem::is_symlink(dir / ".env"));
    CHECK(testing::read_file(dir / "real.env") == "A=2\n");
  }

  TEST_CASE("reading a missing env file gives nothing and reading a directory throws") {
    testing::ScratchDir dir;
    CHECK_FALSE(read_env_file(dir / "absent.env").has_value());
    CHECK_THROWS_AS(read_env_file(dir.path()), std::system_error);
  }
}

}  // namespace oa::config
