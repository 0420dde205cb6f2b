#include "test_database.hpp"

#include <boost/url/url.hpp>
#include <doctest/doctest.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <utility>

namespace oa::store::test {
namespace {

constexpr const char* kUrlFileVariable = "OPENALGOD_TEST_PG_URL_FILE";
constexpr const char* kHowToStart =
    "run the store tests through ctest, which starts PostgreSQL with tools/pg-test-cluster.sh, "
    "or run `tools/pg-test-cluster.sh start DIR` and set OPENALGOD_TEST_PG_URL_FILE=DIR/url";

std::string unique_suffix() {
  static std::atomic<int> counter{0};
  return std::to_string(::getpid()) + "_" + std::to_string(++counter);
}

void run_on_cluster(const std::string& statement) {
  soci::session admin(soci::postgresql, parse_database_url(postgres_cluster_url()).connect_string);
  admin << statement;
}

std::string database_url_named(const std::string& name) {
  boost::urls::url url(postgres_cluster_url());
  url.set_path("/" + name);
  return std::string(url.buffer());
}

}  // namespace

std::string postgres_cluster_url() {
  const char* file = std::getenv(kUrlFileVariable);
  if (file == nullptr || *file == '\0') {
    throw std::runtime_error(std::string(kUrlFileVariable) + " is not set: " + kHowToStart);
  }
  std::ifstream in(file);
  std::string url;
  if (!std::getline(in, url) || url.empty()) {
    throw std::runtime_error("no PostgreSQL test cluster URL in " + std::string(file) + ": " +
                             kHowToStart);
  }
  return url;
}

TestDatabase TestDatabase::sqlite() {
  std::string pattern = (std::filesystem::temp_directory_path() / "openalgod-store-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("cannot create a temporary directory from " + pattern);
  }
  const std::filesystem::path directory(pattern);
  return TestDatabase(parse_database_url("sqlite:///" + (directory / "store.db").string()),
                      directory, "");
}

TestDatabase TestDatabase::postgres() {
  const std::string name = "openalgod_test_" + unique_suffix();
  run_on_cluster("CREATE DATABASE " + name);
  return TestDatabase(parse_database_url(database_url_named(name)), "", name);
}

TestDatabase::TestDatabase(DatabaseUrl url, std::filesystem::path sqlite_directory,
                           std::string postgres_name)
    : url_(std::move(url)),
      sqlite_directory_(std::move(sqlite_directory)),
      postgres_name_(std::move(postgres_name)) {}

TestDatabase::TestDatabase(TestDatabase&& other) noexcept
    : url_(std::move(other.url_)),
      sqlite_directory_(std::exchange(other.sqlite_directory_, {})),
      postgres_name_(std::exchange(other.postgres_name_, {})) {}

TestDatabase::~TestDatabase() {
  // Leftovers of a failed cleanup live in a temporary directory or a
  // throwaway cluster, so they are not worth failing a test over.
  try {
    if (!sqlite_directory_.empty()) {
      std::filesystem::remove_all(sqlite_directory_);
    }
    if (!postgres_name_.empty()) {
      run_on_cluster("DROP DATABASE IF EXISTS " + postgres_name_ + " WITH (FORCE)");
    }
  } catch (...) {
  }
}

std::unique_ptr<Store> TestDatabase::open(std::size_t pool_size) const {
  return Store::open(url_, pool_size);
}

void on_each_backend(const std::function<void(TestDatabase&)>& check) {
  for (const Backend backend : {Backend::Sqlite, Backend::Postgres}) {
    INFO("backend: " << std::string(to_string(backend)));
    TestDatabase database =
        backend == Backend::Sqlite ? TestDatabase::sqlite() : TestDatabase::postgres();
    check(database);
  }
}

void on_each_store(const std::function<void(Store&)>& check) {
  on_each_backend([&](TestDatabase& database) {
    const auto store = database.open();
    check(*store);
  });
}

}  // namespace oa::store::test
