#include "store/api_keys.hpp"
#include "store/users.hpp"
#include "test_database.hpp"

#include <doctest/doctest.h>
#include <soci/soci.h>

using namespace oa::store;
using oa::store::test::on_each_store;

namespace {

int api_key_rows(Store& store) {
  int count = 0;
  *store.lease() << "SELECT COUNT(*) FROM api_keys", soci::into(count);
  return count;
}

}  // namespace

TEST_SUITE("store") {
  TEST_CASE("a user's key is found by its hash and read back") {
    on_each_store([](Store& store) {
      const auto user = Users(store).add("alice", "h", false);
      ApiKeys keys(store);
      keys.replace_for_user(user, "hash-1", "sealed-1");
      CHECK(keys.find_user_by_key_hash("hash-1") == user);
      const auto row = keys.get_for_user(user);
      REQUIRE(row.has_value());
      CHECK(row->key_encrypted == "sealed-1");
      CHECK(row->order_mode == "auto");
      CHECK_FALSE(keys.find_user_by_key_hash("unknown").has_value());
    });
  }

  TEST_CASE("replacing a user's key leaves exactly one key, the new one, and keeps the order mode") {
    on_each_store([](Store& store) {
      const auto user = Users(store).add("alice", "h", false);
      ApiKeys keys(store);
      keys.replace_for_user(user, "hash-1", "sealed-1");
      *store.lease() << "UPDATE api_keys SET order_mode = 'semi_auto'";
      keys.replace_for_user(user, "hash-2", "sealed-2");
      CHECK(api_key_rows(store) == 1);
      CHECK_FALSE(keys.find_user_by_key_hash("hash-1").has_value());
      CHECK(keys.find_user_by_key_hash("hash-2") == user);
      CHECK(keys.get_for_user(user)->order_mode == "semi_auto");
    });
  }

  TEST_CASE("a key hash held by another user is a Conflict") {
    on_each_store([](Store& store) {
      const auto alice = Users(store).add("alice", "h", false);
      const auto bob = Users(store).add("bob", "h", false);
      ApiKeys keys(store);
      keys.replace_for_user(alice, "hash-1", "sealed-1");
      CHECK_THROWS_AS(keys.replace_for_user(bob, "hash-1", "sealed-2"), Conflict);
      CHECK(keys.find_user_by_key_hash("hash-1") == alice);
    });
  }

  TEST_CASE("a revoked key is gone") {
    on_each_store([](Store& store) {
      const auto user = Users(store).add("alice", "h", false);
      ApiKeys keys(store);
      keys.replace_for_user(user, "hash-1", "sealed-1");
      CHECK(keys.revoke_for_user(user));
      CHECK_FALSE(keys.find_user_by_key_hash("hash-1").has_value());
      CHECK_FALSE(keys.get_for_user(user).has_value());
      CHECK_FALSE(keys.revoke_for_user(user));
    });
  }

  TEST_CASE("deleting a user deletes its key") {
    on_each_store([](Store& store) {
      const auto user = Users(store).add("alice", "h", false);
      ApiKeys(store).replace_for_user(user, "hash-1", "sealed-1");
      *store.lease() << "DELETE FROM users WHERE id = :id", soci::use(user);
      CHECK(api_key_rows(store) == 0);
    });
  }

  TEST_CASE("a key for a user that does not exist is refused") {
    on_each_store([](Store& store) {
      CHECK_THROWS(ApiKeys(store).replace_for_user(999, "hash-1", "sealed-1"));
      CHECK(api_key_rows(store) == 0);
    });
  }
}
