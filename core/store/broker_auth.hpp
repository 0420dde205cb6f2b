#pragma once

#include "store/store.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace oa::store {

// A user's session with one broker. Secrets arrive already encrypted; an
// empty string means the broker has no such value.
struct BrokerSession {
  std::int64_t user_id = 0;
  std::string broker;
  std::string auth_encrypted;
  std::string feed_token_encrypted;
  std::string broker_user_id;  // the broker's client id
  std::string aux_encrypted;   // JSON of per-broker extras, encrypted
  bool is_revoked = false;
  std::string updated_at;  // UTC ISO-8601, of the last upsert(); set by the store
};

// The broker_auth table: users' broker sessions.
class BrokerAuth {
 public:
  explicit BrokerAuth(Store& store) : store_(store) {}

  // Creates or replaces the row of (session.user_id, session.broker).
  void upsert(const BrokerSession& session);

  // The user's non-revoked session updated last, if any.
  std::optional<BrokerSession> active_for_user(std::int64_t user_id) const;

  // Every non-revoked session of every user, the one updated last first.
  std::vector<BrokerSession> live() const;

  // Marks the session revoked and erases its tokens, which are useless from
  // then on and should not linger. Returns false when there was no live one.
  bool revoke(std::int64_t user_id, const std::string& broker);

 private:
  Store& store_;
};

}  // namespace oa::store
