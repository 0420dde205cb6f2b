// Group commit: the engine commits the store writes of several events
// together, and a reply leaves only once what it reports is committed.
#include <doctest/doctest.h>
#include <soci/soci.h>

#include <vector>

#include "sandbox_fixture.hpp"

using namespace oa::sandbox;
using namespace oa::sandbox::test;

namespace {

// Makes every commit that stored an order for `symbol` fail, as a full disk
// would: a deferred foreign key is checked only at COMMIT (SQLite syntax).
void fail_commits_storing(TempStore& database, const std::string& symbol) {
  auto lease = database.store().lease();
  *lease << "CREATE TABLE commit_guard (user_id INTEGER REFERENCES users(id) DEFERRABLE INITIALLY DEFERRED)";
  *lease << "CREATE TRIGGER commit_guard_trigger AFTER INSERT ON sandbox_orders WHEN NEW.symbol = '" + symbol +
                "' BEGIN INSERT INTO commit_guard VALUES (-1); END";
}

void let_commits_succeed(TempStore& database) {
  auto lease = database.store().lease();
  *lease << "DROP TRIGGER commit_guard_trigger";
}

std::int64_t committed_orders(TempStore& database) {
  auto lease = database.store().lease();
  std::int64_t count = 0;
  *lease << "SELECT COUNT(*) FROM sandbox_orders", soci::into(count);
  return count;
}

// A table of the caller's own (as the order journal is), written through
// Engine::write and Engine::Record.
void add_caller_table(TempStore& database) {
  auto lease = database.store().lease();
  *lease << "CREATE TABLE caller_rows (status INTEGER NOT NULL)";
}

std::vector<int> caller_rows(TempStore& database) {
  auto lease = database.store().lease();
  std::vector<int> rows;
  soci::rowset<int> found = (lease->prepare << "SELECT status FROM caller_rows ORDER BY rowid");
  for (int status : found) rows.push_back(status);
  return rows;
}

Engine::Record record_status() {
  return [](oa::store::StatementCache& sql, const Reply& reply) {
    sql.run("INSERT INTO caller_rows (status) VALUES (:status)", reply.status);
  };
}

OrderRequest limit_buy(const std::string& symbol, double price) {
  OrderRequest request;
  request.strategy = "s";
  request.symbol = symbol;
  request.exchange = "NSE";
  request.action = "BUY";
  request.pricetype = "LIMIT";
  request.product = "MIS";
  request.quantity = 10;
  request.price = price;
  return request;
}

}  // namespace

TEST_SUITE("sandbox") {
  TEST_CASE("a caller's write commits with the engine's group, and one that throws leaves nothing") {
    Harness h;
    if (h.database().is_postgres()) return;  // caller_rows uses SQLite's rowid
    add_caller_table(h.database());
    std::vector<bool> outcomes;
    std::vector<std::size_t> rows_when_told;
    h.engine().write([](oa::store::StatementCache& sql) { sql.run("INSERT INTO caller_rows (status) VALUES (1)"); },
                     [&](bool committed) {
                       outcomes.push_back(committed);
                       rows_when_told.push_back(caller_rows(h.database()).size());
                     });
    h.engine().write(
        [](oa::store::StatementCache& sql) {
          sql.run("INSERT INTO caller_rows (status) VALUES (2)");
          throw std::runtime_error("refused");
        },
        [&](bool committed) { outcomes.push_back(committed); });
    h.settle();
    CHECK(outcomes == std::vector<bool>{false, true});  // the failed one is told at once, the other after the commit
    CHECK(rows_when_told == std::vector<std::size_t>{1});
    CHECK(caller_rows(h.database()) == std::vector<int>{1});
  }

  TEST_CASE("a reply's record commits with the order, and after a failed commit is written alone with the error") {
    Harness h;
    if (h.database().is_postgres()) return;  // the failing commit is built with SQLite syntax
    add_caller_table(h.database());
    h.market().set_quote("SBIN", "NSE", {800, 799.9, 800.1, 0});
    h.market().set_quote("ZEEL", "NSE", {140, 0, 0, 0});
    std::vector<int> replies;
    h.engine().place_order(h.user(), limit_buy("ZEEL", 130), [&](Reply reply) { replies.push_back(reply.status); },
                           record_status());
    h.settle();
    fail_commits_storing(h.database(), "SBIN");
    h.engine().place_order(h.user(), limit_buy("SBIN", 790), [&](Reply reply) { replies.push_back(reply.status); },
                           record_status());
    h.settle();
    let_commits_succeed(h.database());
    CHECK(replies == std::vector<int>{200, 500});
    CHECK(caller_rows(h.database()) == std::vector<int>{200, 500});
    CHECK(committed_orders(h.database()) == 1);
  }

  TEST_CASE("an order whose reply cannot be recorded is undone and answered with an error") {
    Harness h;
    h.market().set_quote("ZEEL", "NSE", {140, 0, 0, 0});
    std::vector<int> replies;
    Engine::Record refusing = [](oa::store::StatementCache&, const Reply&) {
      throw std::runtime_error("the journal is not writable");
    };
    h.engine().place_order(h.user(), limit_buy("ZEEL", 130), [&](Reply reply) { replies.push_back(reply.status); },
                           refusing);
    h.settle();
    CHECK(replies == std::vector<int>{500});
    CHECK(committed_orders(h.database()) == 0);
    CHECK(h.order_book().body.at("data").at("orders").as_array().empty());
    CHECK_FALSE(h.market().watching("ZEEL", "NSE"));
  }

  TEST_CASE("orders placed together are answered only after their common commit") {
    Harness h;
    h.market().set_quote("SBIN", "NSE", {800, 799.9, 800.1, 0});
    std::vector<std::int64_t> stored_when_answered;
    for (int i = 0; i < 3; ++i) {
      OrderRequest request;
      request.strategy = "s";
      request.symbol = "SBIN";
      request.exchange = "NSE";
      request.action = "BUY";
      request.quantity = 1;
      h.engine().place_order(h.user(), request, [&](Reply reply) {
                               CHECK(reply.status == 200);
                               stored_when_answered.push_back(committed_orders(h.database()));
                             });
    }
    h.settle();
    CHECK(stored_when_answered == std::vector<std::int64_t>{3, 3, 3});
    CHECK(h.trade_count() == 3);
  }

  TEST_CASE("an order whose commit fails is answered with an error and leaves no trace in the books") {
    Harness h;
    if (h.database().is_postgres()) return;  // the failing commit is built with SQLite syntax
    h.market().set_quote("SBIN", "NSE", {800, 799.9, 800.1, 0});
    h.market().set_quote("ZEEL", "NSE", {140, 0, 0, 0});
    REQUIRE(h.place("ZEEL", "NSE", "BUY", 1).status == 200);
    const Funds before = h.stored_funds();
    fail_commits_storing(h.database(), "SBIN");
    const Reply reply = h.place("SBIN", "NSE", "BUY", 10, "LIMIT", "MIS", 790);
    CHECK(reply.status == 500);
    CHECK(message_of(reply) == "Error storing the sandbox change: the request was not applied");
    let_commits_succeed(h.database());
    CHECK(committed_orders(h.database()) == 1);
    CHECK(h.order_book().body.at("data").at("orders").as_array().size() == 1);
    CHECK(h.stored_funds().used_margin == before.used_margin);
    CHECK(h.stored_funds().available == before.available);
    // The engine no longer holds the lost order: a crossing price fills nothing.
    h.tick("SBIN", "NSE", 780);
    CHECK(h.trade_count() == 1);  // ZEEL's
    CHECK_FALSE(h.market().watching("SBIN", "NSE"));
  }
}
