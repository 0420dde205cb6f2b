#include "store/users.hpp"
#include "test_database.hpp"

#include <doctest/doctest.h>

using namespace oa::store;
using oa::store::test::on_each_store;

TEST_SUITE("store") {
  TEST_CASE("an added user can be found by name and by id") {
    on_each_store([](Store& store) {
      Users users(store);
      const auto id = users.add("alice", "$argon2id$hash", true);
      const auto by_name = users.find_by_username("alice");
      REQUIRE(by_name.has_value());
      CHECK(by_name->id == id);
      CHECK(by_name->password_hash == "$argon2id$hash");
      CHECK(by_name->is_admin);
      CHECK(by_name->created_at.size() == 24);  // 2025-01-31T09:15:00.123Z
      CHECK(by_name->created_at.ends_with("Z"));
      const auto by_id = users.find_by_id(id);
      REQUIRE(by_id.has_value());
      CHECK(by_id->username == "alice");
    });
  }

  TEST_CASE("an unknown user is not found") {
    on_each_store([](Store& store) {
      Users users(store);
      CHECK_FALSE(users.find_by_username("nobody").has_value());
      CHECK_FALSE(users.find_by_id(42).has_value());
    });
  }

  TEST_CASE("adding a username that exists throws Conflict naming it") {
    on_each_store([](Store& store) {
      Users users(store);
      users.add("alice", "hash", false);
      CHECK_THROWS_WITH_AS(users.add("alice", "other", false), "a user named 'alice' already exists", Conflict);
      CHECK(users.count() == 1);
      // The failed insert left the connection usable.
      CHECK(users.add("bob", "hash", false) > 0);
    });
  }

  TEST_CASE("users are listed in order of creation and counted") {
    on_each_store([](Store& store) {
      Users users(store);
      users.add("carol", "h1", false);
      users.add("alice", "h2", true);
      users.add("bob", "h3", false);
      const auto all = users.list();
      REQUIRE(all.size() == 3);
      CHECK(all[0].username == "carol");
      CHECK(all[1].username == "alice");
      CHECK(all[1].is_admin);
      CHECK_FALSE(all[2].is_admin);
      CHECK(users.count() == 3);
    });
  }

  TEST_CASE("a new password hash replaces the old one") {
    on_each_store([](Store& store) {
      Users users(store);
      const auto id = users.add("alice", "old", false);
      CHECK(users.set_password_hash(id, "new"));
      CHECK(users.find_by_id(id)->password_hash == "new");
      CHECK_FALSE(users.set_password_hash(id + 1, "new"));
    });
  }
}
