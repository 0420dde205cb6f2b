#include "store/broker_auth.hpp"

#include <soci/soci.h>

namespace oa::store {

void BrokerAuth::upsert(const BrokerSession& session) {
  auto lease = store_.lease();
  const int revoked_flag = session.is_revoked ? 1 : 0;
  *lease << "INSERT INTO broker_auth (user_id, broker, auth_encrypted, feed_token_encrypted, "
            "broker_user_id, aux_encrypted, is_revoked) "
            "VALUES (:user_id, :broker, :auth, :feed_token, :broker_user_id, :aux, :is_revoked) "
            "ON CONFLICT (user_id, broker) DO UPDATE SET "
            "auth_encrypted = excluded.auth_encrypted, "
            "feed_token_encrypted = excluded.feed_token_encrypted, "
            "broker_user_id = excluded.broker_user_id, aux_encrypted = excluded.aux_encrypted, "
            "is_revoked = excluded.is_revoked, updated_at = excluded.updated_at",
      soci::use(session.user_id), soci::use(session.broker), soci::use(session.auth_encrypted),
      soci::use(session.feed_token_encrypted), soci::use(session.broker_user_id),
      soci::use(session.aux_encrypted), soci::use(revoked_flag);
  store_.credentials_changed();
}

std::optional<BrokerSession> BrokerAuth::active_for_user(std::int64_t user_id) const {
  auto lease = store_.lease();
  BrokerSession session;
  int is_revoked = 0;
  // Ties in updated_at (same millisecond) go to the row created last.
  *lease << "SELECT user_id, broker, auth_encrypted, COALESCE(feed_token_encrypted, ''), "
            "COALESCE(broker_user_id, ''), COALESCE(aux_encrypted, ''), is_revoked, updated_at "
            "FROM broker_auth WHERE user_id = :user_id AND is_revoked = FALSE "
            "ORDER BY updated_at DESC, id DESC LIMIT 1",
      soci::use(user_id), soci::into(session.user_id), soci::into(session.broker),
      soci::into(session.auth_encrypted), soci::into(session.feed_token_encrypted),
      soci::into(session.broker_user_id), soci::into(session.aux_encrypted), soci::into(is_revoked),
      soci::into(session.updated_at);
  if (!lease->got_data()) {
    return std::nullopt;
  }
  session.is_revoked = is_revoked != 0;
  return session;
}

std::vector<BrokerSession> BrokerAuth::live() const {
  auto lease = store_.lease();
  BrokerSession session;
  soci::statement statement =
      (lease->prepare << "SELECT user_id, broker, COALESCE(broker_user_id, ''), updated_at FROM broker_auth "
                         "WHERE is_revoked = FALSE ORDER BY updated_at DESC, id DESC",
       soci::into(session.user_id), soci::into(session.broker), soci::into(session.broker_user_id),
       soci::into(session.updated_at));
  statement.execute();
  std::vector<BrokerSession> sessions;
  while (statement.fetch()) sessions.push_back(session);
  return sessions;
}

bool BrokerAuth::revoke(std::int64_t user_id, const std::string& broker) {
  auto lease = store_.lease();
  soci::statement statement =
      (lease->prepare << "UPDATE broker_auth SET is_revoked = TRUE, auth_encrypted = '', "
                         "feed_token_encrypted = NULL "
                         "WHERE user_id = :user_id AND broker = :broker AND is_revoked = FALSE",
       soci::use(user_id), soci::use(broker));
  statement.execute(true);
  store_.credentials_changed();
  return statement.get_affected_rows() > 0;
}

}  // namespace oa::store
