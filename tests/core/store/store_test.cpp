#include "store/audit_log.hpp"
#include "store/migrations.hpp"
#include "store/store.hpp"
#include "test_database.hpp"

#include <doctest/doctest.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

using namespace oa::store;
using oa::store::test::on_each_backend;
using oa::store::test::on_each_store;
using oa::store::test::TestDatabase;

namespace {

std::string pragma(soci::session& sql, const std::string& name) {
  std::string value;
  sql << "PRAGMA " + name, soci::into(value);
  return value;
}

std::string file_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string open_failure(const DatabaseUrl& url) {
  try {
    Store::open(url, 1);
  } catch (const std::runtime_error& error) {
    return error.what();
  }
  return "";
}

}  // namespace

TEST_SUITE("store") {
  TEST_CASE("opening an empty database migrates it to the latest schema version") {
    on_each_store([](Store& store) {
      CHECK(store.schema_version() == latest_schema_version());
      CHECK(store.schema_version() >= 1);
    });
  }

  TEST_CASE("reopening a database keeps its schema and its rows") {
    on_each_backend([](TestDatabase& database) {
      {
        const auto store = database.open();
        AuditLog(*store).append("test", "first open", "");
      }
      const auto store = database.open();
      CHECK(store->schema_version() == latest_schema_version());
      CHECK(AuditLog(*store).recent(10).size() == 1);
    });
  }

  TEST_CASE("every SQLite connection runs in WAL mode with foreign keys and normal sync") {
    const TestDatabase database = TestDatabase::sqlite();
    const auto store = database.open(2);
    // Held together, the two leases are the pool's two connections.
    auto first = store->lease();
    auto second = store->lease();
    for (soci::session* sql : {&first.session(), &second.session()}) {
      CHECK(pragma(*sql, "journal_mode") == "wal");
      CHECK(pragma(*sql, "foreign_keys") == "1");
      CHECK(pragma(*sql, "synchronous") == "1");  // NORMAL
      CHECK(pragma(*sql, "wal_autocheckpoint") == "10000");  // a backstop: the checkpointer does it
    }
  }

  TEST_CASE("SQLite connections run without a lock of their own: the pool lends each to one thread") {
    const TestDatabase database = TestDatabase::sqlite();
    const auto store = database.open(1);
    auto lease = store->lease();
    auto* handle = static_cast<soci::sqlite3_session_backend*>(lease->get_backend())->conn_;
    // SQLite has a per-connection mutex only in its serialized mode.
    CHECK(sqlite_api::sqlite3_db_mutex(handle) == nullptr);
  }

  TEST_CASE("an open SQLite store copies its log into the database file in the background") {
    const TestDatabase database = TestDatabase::sqlite();
    const auto store = database.open();
    AuditLog(*store).append("test", "checkpointed-in-the-background", "");
    // One small write is far below the connections' own checkpoint threshold:
    // only the background checkpoint puts it into the main file.
    bool in_main_file = false;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!in_main_file && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      in_main_file = file_text(database.url().sqlite_path).find("checkpointed-in-the-background") != std::string::npos;
    }
    CHECK(in_main_file);
  }

  TEST_CASE("a SQLite writer finding another's transaction open waits for it instead of failing") {
    const TestDatabase database = TestDatabase::sqlite();
    const auto store = database.open(2);
    auto holder = store->lease();
    *holder << "BEGIN IMMEDIATE";
    *holder << "INSERT INTO settings (key, value) VALUES ('first', '1')";
    std::atomic<bool> written{false};
    std::thread writer([&] {
      *store->lease() << "INSERT INTO settings (key, value) VALUES ('second', '2')";
      written = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the writer meets the lock
    *holder << "COMMIT";
    writer.join();
    CHECK(written);
    long long rows = 0;
    *holder << "SELECT COUNT(*) FROM settings WHERE key IN ('first', 'second')", soci::into(rows);
    CHECK(rows == 2);
  }

  TEST_CASE("opening a SQLite database creates its missing directories") {
    const TestDatabase scratch = TestDatabase::sqlite();
    const auto directory = scratch.url().sqlite_path.parent_path() / "two words" / "deeper";
    const auto url = parse_database_url("sqlite:///" + (directory / "openalgo.db").string());
    const auto store = Store::open(url, 1);
    CHECK(std::filesystem::exists(directory / "openalgo.db"));
  }

  TEST_CASE("closing a SQLite store checkpoints the WAL into the database file") {
    const TestDatabase database = TestDatabase::sqlite();
    const auto store = database.open();
    AuditLog(*store).append("test", "write something", "");
    store->close();
    const auto wal = std::filesystem::path(database.url().sqlite_path.string() + "-wal");
    CHECK((!std::filesystem::exists(wal) || std::filesystem::file_size(wal) == 0));
  }

  TEST_CASE("a database that cannot be opened is named in the error, without its password") {
    const TestDatabase scratch = TestDatabase::sqlite();
    const auto blocker = scratch.url().sqlite_path.parent_path() / "a-file";
    std::ofstream(blocker) << "not a directory";
    const auto sqlite_message = open_failure(parse_database_url("sqlite:///" + (blocker / "x.db").string()));
    CHECK(sqlite_message.starts_with("cannot open database sqlite:///"));

    // Port 1 on loopback: nothing listens there.
    const auto postgres_message = open_failure(parse_database_url("postgresql://trader:Pa55word@127.0.0.1:1/db"));
    CHECK(postgres_message.starts_with("cannot open database postgresql://trader:***@127.0.0.1:1/db: "));
    CHECK(postgres_message.find("Pa55word") == std::string::npos);
  }

  TEST_CASE("PostgreSQL URL parameters reach libpq intact, spaces and quotes included") {
    const TestDatabase database = TestDatabase::postgres();
    const auto url = parse_database_url(database.url().display + "?application_name=open%20algo%27s%20%22d%22");
    const auto store = Store::open(url, 1);
    auto lease = store->lease();
    std::string name;
    *lease << "SELECT current_setting('application_name')", soci::into(name);
    CHECK(name == "open algo's \"d\"");
  }

  TEST_CASE("the pool hands its connections to concurrent threads") {
    on_each_backend([](TestDatabase& database) {
      const auto store = database.open(4);
      std::atomic<int> failures{0};
      std::vector<std::thread> threads;
      for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&, t] {
          for (int i = 0; i < 50; ++i) {
            try {
              AuditLog(*store).append("thread " + std::to_string(t), "insert", std::to_string(i));
            } catch (...) {
              ++failures;
            }
          }
        });
      }
      for (auto& thread : threads) {
        thread.join();
      }
      CHECK(failures == 0);
      CHECK(AuditLog(*store).recent(1000).size() == 400);
    });
  }

  TEST_CASE("close waits for every lease to come back") {
    on_each_store([](Store& store) {
      std::atomic<bool> returned{false};
      std::atomic<bool> leased{false};
      std::thread holder([&] {
        auto lease = store.lease();
        leased = true;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        returned = true;
      });
      while (!leased) {
        std::this_thread::yield();
      }
      store.close();
      CHECK(returned);
      holder.join();
    });
  }

  TEST_CASE("a lease asked for after close is refused") {
    on_each_store([](Store& store) {
      store.close();
      CHECK_THROWS_WITH_AS(store.lease(), doctest::Contains("closed"), std::runtime_error);
      store.close();  // a second close is harmless
    });
  }

  TEST_CASE("a PostgreSQL connection dropped by the server is reconnected at the next lease") {
    const TestDatabase database = TestDatabase::postgres();
    const auto store = database.open(1);
    int pid = 0;
    *store->lease() << "SELECT pg_backend_pid()", soci::into(pid);
    {
      soci::session admin(soci::postgresql, parse_database_url(oa::store::test::postgres_cluster_url()).connect_string);
      admin << "SELECT pg_terminate_backend(" + std::to_string(pid) + ")";
    }
    // The first use after the drop fails: the client learns of it only then.
    CHECK_THROWS(*store->lease() << "SELECT 1");
    int one = 0;
    *store->lease() << "SELECT 1", soci::into(one);
    CHECK(one == 1);
  }
}
