#include "store/database_url.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <stdexcept>

namespace oa::store {
namespace {

constexpr std::string_view kExpectedForms =
    "expected sqlite:///relative/path.db, sqlite:////absolute/path.db or "
    "postgresql://user:password@host:port/database";

// Messages name what is wrong, never the URL itself: it may hold a password.
[[noreturn]] void reject(std::string_view reason) {
  throw std::invalid_argument("invalid database URL: " + std::string(reason) + "; " +
                              std::string(kExpectedForms));
}

bool is_postgres_scheme(std::string_view scheme) {
  return scheme == "postgresql" || scheme == "postgres" || scheme.starts_with("postgresql+");
}

DatabaseUrl parse_sqlite_url(std::string_view url) {
  constexpr std::string_view prefix = "sqlite:///";
  if (!url.starts_with(prefix)) {
    reject("a sqlite URL has no host part");
  }
  const std::string_view path = url.substr(prefix.size());
  if (path.empty()) {
    reject("the sqlite URL names no database file");
  }
  if (path == ":memory:") {
    reject("in-memory SQLite is not supported: each pooled connection would see its own empty database");
  }
  if (path.find('?') != std::string_view::npos) {
    reject("sqlite URL options (after '?') are not supported");
  }
  // SOCI's sqlite3 connect string quotes the path in double quotes and has no escape for them.
  if (path.find('"') != std::string_view::npos) {
    reject("the sqlite database path must not contain '\"'");
  }
  return DatabaseUrl{
      .backend = Backend::Sqlite,
      .connect_string = "db=\"" + std::string(path) + "\"",
      .display = std::string(url),
      .sqlite_path = std::filesystem::path(path),
  };
}

void check_port(const boost::urls::url_view& url) {
  if (!url.has_port()) {
    return;
  }
  const std::string_view port = url.port();
  unsigned number = 0;
  const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), number);
  if (port.empty() || error != std::errc{} || end != port.data() + port.size() || number == 0 ||
      number > 65535) {
    reject("the port must be a number from 1 to 65535");
  }
}

void check_path(const boost::urls::url_view& url) {
  const std::string_view path = url.encoded_path();
  if (!path.empty() && (path.front() != '/' || path.find('/', 1) != std::string_view::npos)) {
    reject("the path must be a single database name, as in /openalgo");
  }
}

void check_params(const boost::urls::url_view& url) {
  for (const auto& param : url.params()) {
    if (param.key.empty() || !param.has_value) {
      reject("every query parameter must be a libpq connection parameter written as name=value");
    }
  }
}

std::string masked(boost::urls::url url) {
  if (url.has_password()) {
    url.set_password("***");
  }
  if (url.params().contains("password")) {
    url.params().set("password", "***");
  }
  return std::string(url.buffer());
}

// The connect string is a libpq URI rather than keyword=value pairs because
// SOCI 4.0's postgresql factory re-splits its connect string on whitespace and
// drops quoting, so a keyword value holding a space (a password, say) would
// not survive. A valid URI has no raw whitespace or '"', and SOCI passes it on
// unchanged provided it contains an '=': the fallback_application_name
// parameter guarantees one (and names openalgod in pg_stat_activity).
DatabaseUrl parse_postgres_url(std::string_view text) {
  const auto parsed = boost::urls::parse_uri(text);
  if (!parsed) {
    reject("not a valid URL (percent-encode @ : / ? # % in the user name and password)");
  }
  const boost::urls::url_view& in = *parsed;
  if (in.has_fragment()) {
    reject("'#' starts a URL fragment (percent-encode it as %23 in a password)");
  }
  check_port(in);
  check_path(in);
  check_params(in);

  boost::urls::url url(in);
  url.set_scheme("postgresql");
  const std::string display = masked(url);
  if (!url.params().contains("fallback_application_name")) {
    url.params().append({"fallback_application_name", "openalgod"});
  }
  return DatabaseUrl{
      .backend = Backend::Postgres,
      .connect_string = std::string(url.buffer()),
      .display = display,
      .sqlite_path = {},
  };
}

}  // namespace

std::string_view to_string(Backend backend) {
  return backend == Backend::Sqlite ? "SQLite" : "PostgreSQL";
}

DatabaseUrl parse_database_url(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) {
    reject("it has no scheme");
  }
  const std::string_view scheme = url.substr(0, scheme_end);
  if (scheme == "sqlite") {
    return parse_sqlite_url(url);
  }
  if (is_postgres_scheme(scheme)) {
    return parse_postgres_url(url);
  }
  // A scheme is never secret, and naming it makes the mistake obvious.
  const bool printable = std::all_of(scheme.begin(), scheme.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
  });
  reject(printable ? "unsupported scheme '" + std::string(scheme) + "'" : "unsupported scheme");
}

}  // namespace oa::store
