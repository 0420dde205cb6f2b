#include "store/broker_auth.hpp"
#include "store/users.hpp"
#include "test_database.hpp"

#include <doctest/doctest.h>
#include <soci/soci.h>

#include <chrono>
#include <thread>

using namespace oa::store;
using oa::store::test::on_each_store;

namespace {

BrokerSession session_of(std::int64_t user_id, const std::string& broker, const std::string& auth) {
  BrokerSession session;
  session.user_id = user_id;
  session.broker = broker;
  session.auth_encrypted = auth;
  session.feed_token_encrypted = "feed-" + auth;
  session.broker_user_id = "AB1234";
  session.aux_encrypted = "{}";
  return session;
}

// updated_at has millisecond resolution; ordering tests need distinct stamps.
void next_millisecond() { std::this_thread::sleep_for(std::chrono::milliseconds(3)); }

}  // namespace

TEST_SUITE("store") {
  TEST_CASE("an upserted broker session reads back as the user's active one") {
    on_each_store([](Store& store) {
      const auto user = Users(store).add("alice", "h", false);
      BrokerAuth auth(store);
      auth.upsert(session_of(user, "zerodha", "token-1"));
      const auto active = auth.active_for_user(user);
      REQUIRE(active.has_value());
      CHECK(active->broker == "zerodha");
      CHECK(active->auth_encrypted == "token-1");
      CHECK(active->feed_token_encrypted == "feed-token-1");
      CHECK(active->broker_user_id == "AB1234");
      CHECK(active->aux_encrypted == "{}");
      CHECK_FALSE(active->is_revoked);
      CHECK(active->updated_at.ends_with("Z"));
    });
  }

  TEST_CASE("upserting the same user and broker again replaces the row") {
    on_each_store([](Store& store) {
      const auto user = Users(store).add("alice", "h", false);
      BrokerAuth auth(store);
      auth.upsert(session_of(user, "zerodha", "token-1"));
      auth.upsert(session_of(user, "zerodha", "token-2"));
      int rows = 0;
      *store.lease() << "SELECT COUNT(*) FROM broker_auth", soci::into(rows);
      CHECK(rows == 1);
      CHECK(auth.active_for_user(user)->auth_encrypted == "token-2");
    });
  }

  TEST_CASE("the active session is the non-revoked one updated last") {
    on_each_store([](Store& store) {
      const auto user = Users(store).add("alice", "h", false);
      BrokerAuth auth(store);
      auth.upsert(session_of(user, "zerodha", "z"));
      next_millisecond();
      auth.upsert(session_of(user, "dhan", "d"));
      CHECK(auth.active_for_user(user)->broker == "dhan");
      next_millisecond();
      auth.upsert(session_of(user, "zerodha", "z2"));
      CHECK(auth.active_for_user(user)->broker == "zerodha");
      CHECK(auth.revoke(user, "zerodha"));
      CHECK(auth.active_for_user(user)->broker == "dhan");
    });
  }

  TEST_CASE("a revoked session is no longer active and its tokens are erased") {
    on_each_store([](Store& store) {
      const auto user = Users(store).add("alice", "h", false);
      BrokerAuth auth(store);
      auth.upsert(session_of(user, "zerodha", "token-1"));
      CHECK(auth.revoke(user, "zerodha"));
      CHECK_FALSE(auth.active_for_user(user).has_value());
      std::string token = "unread";
      soci::indicator feed_token_indicator = soci::i_ok;
      std::string feed_token;
      *store.lease() << "SELECT auth_encrypted, feed_token_encrypted FROM broker_auth", soci::into(token),
          soci::into(feed_token, feed_token_indicator);
      CHECK(token.empty());
      CHECK(feed_token_indicator == soci::i_null);
      CHECK_FALSE(auth.revoke(user, "dhan"));
    });
  }

  TEST_CASE("deleting a user deletes its broker sessions") {
    on_each_store([](Store& store) {
      const auto user = Users(store).add("alice", "h", false);
      BrokerAuth(store).upsert(session_of(user, "zerodha", "token-1"));
      *store.lease() << "DELETE FROM users WHERE id = :id", soci::use(user);
      int rows = -1;
      *store.lease() << "SELECT COUNT(*) FROM broker_auth", soci::into(rows);
      CHECK(rows == 0);
    });
  }
}
