#include "store/audit_log.hpp"
#include "test_database.hpp"

#include <doctest/doctest.h>

using namespace oa::store;
using oa::store::test::on_each_store;

TEST_SUITE("store") {
  TEST_CASE("recent entries come newest first, up to the limit") {
    on_each_store([](Store& store) {
      AuditLog log(store);
      log.append("alice", "login", "from 127.0.0.1");
      log.append("alice", "apikey.issue", "");
      log.append("cli", "user.add", "bob");
      const auto entries = log.recent(2);
      REQUIRE(entries.size() == 2);
      CHECK(entries[0].action == "user.add");
      CHECK(entries[0].detail == "bob");
      CHECK(entries[1].action == "apikey.issue");
      CHECK(entries[1].actor == "alice");
      CHECK(entries[0].at >= entries[1].at);
      CHECK(log.recent(10).size() == 3);
    });
  }
}
