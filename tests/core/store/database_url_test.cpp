#include "store/database_url.hpp"

#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

using oa::store::Backend;
using oa::store::parse_database_url;

namespace {

// The message parse_database_url throws for `url`, or "" if it accepts it.
std::string rejection_of(const std::string& url) {
  try {
    parse_database_url(url);
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "";
}

}  // namespace

TEST_SUITE("store") {
  TEST_CASE("a sqlite URL with three slashes names a path relative to the working directory") {
    const auto url = parse_database_url("sqlite:///db/openalgo.db");
    CHECK(url.backend == Backend::Sqlite);
    CHECK(url.sqlite_path == "db/openalgo.db");
    CHECK(url.connect_string == "db=\"db/openalgo.db\"");
    CHECK(url.display == "sqlite:///db/openalgo.db");
  }

  TEST_CASE("a sqlite URL with four slashes names an absolute path") {
    const auto url = parse_database_url("sqlite:////var/lib/openalgo/openalgo.db");
    CHECK(url.sqlite_path == "/var/lib/openalgo/openalgo.db");
    CHECK(url.sqlite_path.is_absolute());
  }

  TEST_CASE("sqlite URLs without a file, in memory, with a host, options or quotes are refused") {
    for (const char* url : {"sqlite://", "sqlite:///", "sqlite:///:memory:", "sqlite://host/x.db",
                            "sqlite:///x.db?mode=ro", "sqlite:///a\"b.db"}) {
      CAPTURE(url);
      CHECK(rejection_of(url).starts_with("invalid database URL: "));
    }
  }

  TEST_CASE("a postgresql URL becomes a libpq URI whose display masks the password") {
    const auto url = parse_database_url("postgresql://trader:S3cret@db.example:5433/openalgo?sslmode=require");
    CHECK(url.backend == Backend::Postgres);
    CHECK(url.display == "postgresql://trader:***@db.example:5433/openalgo?sslmode=require");
    CHECK(url.connect_string ==
          "postgresql://trader:S3cret@db.example:5433/openalgo?sslmode=require"
          "&fallback_application_name=openalgod");
    CHECK(url.sqlite_path.empty());
  }

  TEST_CASE("postgres and postgresql+driver schemes are read as postgresql") {
    CHECK(parse_database_url("postgres://u@h/db").display == "postgresql://u@h/db");
    CHECK(parse_database_url("postgresql+psycopg2://u:p@h/db").display == "postgresql://u:***@h/db");
  }

  TEST_CASE("percent-encoded user and password stay encoded for libpq to decode") {
    const auto url = parse_database_url("postgresql://us%40er:p%40ss%20word@h/db");
    CHECK(url.connect_string.starts_with("postgresql://us%40er:p%40ss%20word@h/db?"));
    CHECK(url.display == "postgresql://us%40er:***@h/db");
  }

  TEST_CASE("a password given as a query parameter is masked too") {
    const auto url = parse_database_url("postgresql://u@h/db?password=S3cret");
    CHECK(url.display == "postgresql://u@h/db?password=***");
    CHECK(url.connect_string.find("S3cret") != std::string::npos);
  }

  TEST_CASE("a postgresql URL with a bad port, a nested path or a bare parameter is refused") {
    for (const char* url : {"postgresql://u@h:0/db", "postgresql://u@h:65536/db", "postgresql://u@h:x/db",
                            "postgresql://u@h/db/more", "postgresql://u@h/db?sslmode"}) {
      CAPTURE(url);
      CHECK(rejection_of(url).starts_with("invalid database URL: "));
    }
  }

  TEST_CASE("an unknown scheme is refused by name, a missing one as missing") {
    CHECK(rejection_of("mysql://u:p@h/db").find("unsupported scheme 'mysql'") != std::string::npos);
    CHECK(rejection_of("db/openalgo.db").find("no scheme") != std::string::npos);
  }

  TEST_CASE("no rejection message contains the password") {
    for (const char* url : {"postgresql://u:Pa55word@h:99999/db", "postgresql://u:Pa55word@h/a/b",
                            "postgresql://u:Pa55word#x@h/db", "postgresql://u:Pa55@word@h/db",
                            "postgresql://u:Pa55word@h/db?x", "u:Pa55word://h/db"}) {
      CAPTURE(url);
      const std::string message = rejection_of(url);
      CHECK_FALSE(message.empty());
      CHECK(message.find("Pa55") == std::string::npos);
    }
  }
}
