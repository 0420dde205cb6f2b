// The credentials version and the caches of keys and broker logins built on
// it (security::Accounts): answers come from memory, but never after a key
// was revoked or a session logged out.
#include "security/accounts.hpp"
#include "security/keyring.hpp"
#include "store/api_keys.hpp"
#include "store/broker_auth.hpp"
#include "store/credentials_version.hpp"
#include "store/users.hpp"
#include "test_database.hpp"

#include <doctest/doctest.h>
#include <soci/soci.h>

using namespace oa::store;
using oa::security::Accounts;
using oa::security::Keyring;
using oa::store::test::on_each_store;

namespace {

const Keyring& keyring() {
  static Keyring instance = [] {
    oa::security::init_crypto();
    return Keyring::derive(std::string(64, 'p'), "00112233445566778899aabbccddeeff");
  }();
  return instance;
}

void log_in(Store& store, std::int64_t user, const std::string& broker, const std::string& token) {
  BrokerSession session;
  session.user_id = user;
  session.broker = broker;
  session.auth_encrypted = keyring().seal(token);
  session.feed_token_encrypted = keyring().seal("feed");
  BrokerAuth(store).upsert(session);
}

}  // namespace

TEST_SUITE("store") {
  TEST_CASE("any write to api_keys or broker_auth, even in plain SQL, raises the credentials version") {
    on_each_store([](Store& store) {
      const auto user = Users(store).add("alice", "h", false);
      auto before = credentials_version(store);
      *store.lease() << "INSERT INTO api_keys (user_id, key_hash, key_encrypted) VALUES (" + std::to_string(user) +
                            ", 'h1', 's1')";
      auto after_key = credentials_version(store);
      CHECK(after_key > before);
      *store.lease() << "INSERT INTO broker_auth (user_id, broker, auth_encrypted) VALUES (" + std::to_string(user) +
                            ", 'zerodha', 'x')";
      auto after_login = credentials_version(store);
      CHECK(after_login > after_key);
      *store.lease() << "UPDATE broker_auth SET is_revoked = TRUE";
      CHECK(credentials_version(store) > after_login);
    });
  }

  TEST_CASE("the repositories' credential writes move the store's credentials generation") {
    on_each_store([](Store& store) {
      const auto user = Users(store).add("alice", "h", false);
      auto generation = store.credentials_generation();
      ApiKeys(store).replace_for_user(user, "hash", "sealed");
      CHECK(store.credentials_generation() != generation);
      generation = store.credentials_generation();
      log_in(store, user, "zerodha", "t");
      CHECK(store.credentials_generation() != generation);
      generation = store.credentials_generation();
      BrokerAuth(store).revoke(user, "zerodha");
      CHECK(store.credentials_generation() != generation);
      generation = store.credentials_generation();
      ApiKeys(store).revoke_for_user(user);
      CHECK(store.credentials_generation() != generation);
    });
  }

  TEST_CASE("a cached API key stops verifying as soon as it is revoked") {
    on_each_store([](Store& store) {
      Accounts accounts(store, keyring());
      const auto user = accounts.add_user("alice", "Str0ng!pass", false);
      auto key = accounts.issue_api_key("alice");
      REQUIRE(accounts.user_for_api_key(key) == user);
      REQUIRE(accounts.user_for_api_key(key) == user);
      ApiKeys(store).revoke_for_user(user);
      CHECK_FALSE(accounts.user_for_api_key(key).has_value());
    });
  }

  TEST_CASE("issuing a new key makes the replaced one fail at once and the new one verify") {
    on_each_store([](Store& store) {
      Accounts accounts(store, keyring());
      const auto user = accounts.add_user("alice", "Str0ng!pass", false);
      auto first = accounts.issue_api_key("alice");
      CHECK(accounts.user_for_api_key(first) == user);
      auto second = accounts.issue_api_key("alice");
      CHECK_FALSE(accounts.user_for_api_key(first).has_value());
      CHECK(accounts.user_for_api_key(second) == user);
    });
  }

  TEST_CASE("a cached broker login is gone as soon as the session is revoked, and a new login is seen at once") {
    on_each_store([](Store& store) {
      Accounts accounts(store, keyring());
      const auto user = accounts.add_user("alice", "Str0ng!pass", false);
      CHECK_FALSE(accounts.broker_login(user).has_value());
      log_in(store, user, "zerodha", "token-1");
      REQUIRE(accounts.broker_login(user).has_value());
      CHECK(accounts.broker_login(user)->auth_token == "token-1");
      BrokerAuth(store).revoke(user, "zerodha");
      CHECK_FALSE(accounts.broker_login(user).has_value());
      log_in(store, user, "zerodha", "token-2");
      CHECK(accounts.broker_login(user)->auth_token == "token-2");
    });
  }

  TEST_CASE("a logout made by another process drops the cached login at the next poll") {
    on_each_store([](Store& store) {
      Accounts accounts(store, keyring());
      const auto user = accounts.add_user("alice", "Str0ng!pass", false);
      log_in(store, user, "zerodha", "token-1");
      accounts.notice_other_processes();
      REQUIRE(accounts.broker_login(user).has_value());
      // Plain SQL, as the CLI's own Store would write it: this Store is not told.
      *store.lease() << "UPDATE broker_auth SET is_revoked = TRUE";
      accounts.notice_other_processes();
      CHECK_FALSE(accounts.broker_login(user).has_value());
    });
  }
}

TEST_SUITE("store") {
  TEST_CASE("a user's order mode is auto until set, and a change is seen at once through the cache") {
    on_each_store([](Store& store) {
      Accounts accounts(store, keyring());
      const auto user = accounts.add_user("alice", "Str0ng!pass", false);
      accounts.issue_api_key("alice");
      CHECK(accounts.order_mode(user) == oa::security::OrderMode::Auto);
      accounts.set_order_mode("alice", oa::security::OrderMode::SemiAuto);
      CHECK(accounts.order_mode(user) == oa::security::OrderMode::SemiAuto);
      accounts.set_order_mode("alice", oa::security::OrderMode::Auto);
      CHECK(accounts.order_mode(user) == oa::security::OrderMode::Auto);
    });
  }

  TEST_CASE("an order mode set by another process is seen at the next poll") {
    on_each_store([](Store& store) {
      Accounts accounts(store, keyring());
      const auto user = accounts.add_user("alice", "Str0ng!pass", false);
      accounts.issue_api_key("alice");
      accounts.notice_other_processes();
      REQUIRE(accounts.order_mode(user) == oa::security::OrderMode::Auto);
      *store.lease() << "UPDATE api_keys SET order_mode = 'semi_auto'";
      accounts.notice_other_processes();
      CHECK(accounts.order_mode(user) == oa::security::OrderMode::SemiAuto);
    });
  }

  TEST_CASE("a user without an API key has no order mode to set, and a new key keeps the mode") {
    on_each_store([](Store& store) {
      Accounts accounts(store, keyring());
      const auto user = accounts.add_user("alice", "Str0ng!pass", false);
      CHECK_THROWS_AS(accounts.set_order_mode("alice", oa::security::OrderMode::SemiAuto), oa::security::AccountError);
      CHECK_THROWS_AS(accounts.set_order_mode("nobody", oa::security::OrderMode::SemiAuto), oa::security::AccountError);
      accounts.issue_api_key("alice");
      accounts.set_order_mode("alice", oa::security::OrderMode::SemiAuto);
      accounts.issue_api_key("alice");
      CHECK(accounts.order_mode(user) == oa::security::OrderMode::SemiAuto);
    });
  }
}
