#pragma once

// Fresh databases for the store tests: a temporary SQLite file, or a new
// database on the throwaway PostgreSQL cluster of tools/pg-test-cluster.sh.

#include "store/store.hpp"

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

namespace oa::store::test {

// An empty database, deleted on destruction.
class TestDatabase {
 public:
  static TestDatabase sqlite();

  // Fails, saying how to provide one, when no PostgreSQL cluster is running:
  // a silent skip would hide PostgreSQL regressions.
  static TestDatabase postgres();

  TestDatabase(TestDatabase&& other) noexcept;
  TestDatabase& operator=(TestDatabase&&) = delete;
  ~TestDatabase();

  Backend backend() const { return url_.backend; }
  const DatabaseUrl& url() const { return url_; }
  std::unique_ptr<Store> open(std::size_t pool_size = 4) const;

 private:
  TestDatabase(DatabaseUrl url, std::filesystem::path sqlite_directory, std::string postgres_name);

  DatabaseUrl url_;
  std::filesystem::path sqlite_directory_;  // empty for PostgreSQL, or once moved from
  std::string postgres_name_;               // empty for SQLite, or once moved from
};

// Runs `check` on a fresh database of each backend in turn; failures name the
// backend.
void on_each_backend(const std::function<void(TestDatabase&)>& check);

// Runs `check` on a store opened on a fresh database of each backend.
void on_each_store(const std::function<void(Store&)>& check);

// The URL of the test cluster's maintenance database.
std::string postgres_cluster_url();

}  // namespace oa::store::test
