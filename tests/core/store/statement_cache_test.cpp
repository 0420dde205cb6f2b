// Prepared statements kept by SQL text (core/store/statement_cache.hpp): a
// statement prepared once runs again with new values, on both backends.
#include "store/native_sql.hpp"
#include "store/statement_cache.hpp"
#include "store/transaction.hpp"
#include "test_database.hpp"

#include <doctest/doctest.h>
#include <soci/soci.h>

#include <functional>
#include <stdexcept>
#include <string>

using namespace oa::store;
using oa::store::test::on_each_store;

namespace {

struct NoteRow {
  long long id = 0;
  std::string text;

  template <typename Query>
  void into(Query& query) {
    query, soci::into(id), soci::into(text);
  }
};

long long count_notes(soci::session& sql, const std::string& where = "") {
  long long rows = -1;
  sql << "SELECT COUNT(*) FROM notes " + where, soci::into(rows);
  return rows;
}

void create_notes(Store& store) { *store.lease() << "CREATE TABLE notes (id BIGINT PRIMARY KEY, text TEXT NOT NULL)"; }

// Runs `check` on each backend with a fresh notes table, and a cache on a
// leased connection.
void with_notes(const std::function<void(Store::Lease&, StatementCache&)>& check) {
  on_each_store([&](Store& store) {
    create_notes(store);
    auto lease = store.lease();
    StatementCache statements(*lease);
    check(lease, statements);
  });
}

}  // namespace

TEST_SUITE("store") {
  TEST_CASE("a cached statement runs again with the new values of each call") {
    with_notes([](Store::Lease&, StatementCache& statements) {
      const std::string insert = "INSERT INTO notes (id, text) VALUES (:id, :text)";
      statements.run(insert, 1LL, std::string("first"));
      statements.run(insert, 2LL, std::string("second, longer than the first"));
      const std::string lookup = "SELECT id, text FROM notes WHERE id = :id";
      const auto second = statements.first<NoteRow>(lookup, 2LL);
      REQUIRE(second.has_value());
      CHECK(second->text == "second, longer than the first");
      const auto first = statements.first<NoteRow>(lookup, 1LL);
      REQUIRE(first.has_value());
      CHECK(first->text == "first");
      CHECK_FALSE(statements.first<NoteRow>(lookup, 3LL).has_value());
    });
  }

  TEST_CASE("a cached query returns all its rows on each run, and none when nothing matches") {
    with_notes([](Store::Lease&, StatementCache& statements) {
      const std::string insert = "INSERT INTO notes (id, text) VALUES (:id, :text)";
      for (long long id : {1LL, 2LL, 3LL}) statements.run(insert, id, "note " + std::to_string(id));
      const std::string from = "SELECT id, text FROM notes WHERE id >= :low ORDER BY id DESC";
      const auto all = statements.all<NoteRow>(from, 1LL);
      REQUIRE(all.size() == 3);
      CHECK(all.front().text == "note 3");
      CHECK(all.back().text == "note 1");
      const auto last = statements.all<NoteRow>(from, 3LL);
      REQUIRE(last.size() == 1);
      CHECK(last.front().id == 3);
      CHECK(statements.all<NoteRow>(from, 4LL).empty());
    });
  }

  TEST_CASE("cached savepoints undo one step of a transaction and keep the rest") {
    with_notes([](Store::Lease& lease, StatementCache& statements) {
      Transaction transaction(lease);
      const std::string insert = "INSERT INTO notes (id, text) VALUES (:id, :text)";
      for (long long id : {1LL, 2LL}) {
        statements.run("SAVEPOINT step");
        statements.run(insert, id, std::string("kept"));
        statements.run("RELEASE SAVEPOINT step");
      }
      statements.run("SAVEPOINT step");
      statements.run(insert, 3LL, std::string("undone"));
      *lease << "ROLLBACK TO SAVEPOINT step";
      statements.run("RELEASE SAVEPOINT step");
      transaction.commit();
      CHECK(count_notes(*lease) == 2);
    });
  }

  TEST_CASE("one query text read with two sets of value types is refused") {
    with_notes([](Store::Lease&, StatementCache& statements) {
      const std::string lookup = "SELECT id, text FROM notes WHERE id = :id";
      CHECK_FALSE(statements.first<NoteRow>(lookup, 1LL).has_value());
      CHECK_THROWS_AS(statements.first<NoteRow>(lookup, 1), std::logic_error);
    });
  }

  TEST_CASE("a statement with a parameter count other than its values' is refused, and nothing runs") {
    with_notes([](Store::Lease& lease, StatementCache& statements) {
      CHECK_THROWS(statements.run("INSERT INTO notes (id, text) VALUES (:id, :text)", 1LL));
      CHECK(count_notes(*lease) == 0);
    });
  }

  TEST_CASE("a failed run reports the database's error, a unique violation is known as one, and the next run works") {
    with_notes([](Store::Lease& lease, StatementCache& statements) {
      const std::string insert = "INSERT INTO notes (id, text) VALUES (:id, :text)";
      statements.run(insert, 1LL, std::string("first"));
      bool unique = false;
      try {
        statements.run(insert, 1LL, std::string("again"));
      } catch (const soci::soci_error& error) {
        unique = is_unique_violation(error, *lease, lease.backend());
      }
      CHECK(unique);
      statements.run(insert, 2LL, std::string("second"));
      const auto second = statements.first<NoteRow>("SELECT id, text FROM notes WHERE id = :id", 2LL);
      REQUIRE(second.has_value());
      CHECK(second->text == "second");
    });
  }

  TEST_CASE("each run binds the values of its own call, whatever their lifetime before it") {
    with_notes([](Store::Lease& lease, StatementCache& statements) {
      const std::string insert = "INSERT INTO notes (id, text) VALUES (:id, :text)";
      for (long long id = 1; id <= 50; ++id) {
        std::string text(static_cast<std::size_t>(id) * 3, static_cast<char>('a' + id % 26));
        statements.run(insert, id, text);
        text.assign("overwritten after the run");
      }
      CHECK(count_notes(*lease, "WHERE LENGTH(text) = id * 3") == 50);
    });
  }
}
