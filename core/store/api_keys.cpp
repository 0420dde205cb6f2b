#include "store/api_keys.hpp"

#include "store/native_sql.hpp"

#include <soci/soci.h>

namespace oa::store {

void ApiKeys::replace_for_user(std::int64_t user_id, const std::string& key_hash,
                               const std::string& key_encrypted) {
  auto lease = store_.lease();
  // One statement, so no moment exists where the user has no key or two.
  // created_at takes the default again: it is the key's age, not the row's.
  try {
    *lease << "INSERT INTO api_keys (user_id, key_hash, key_encrypted) "
              "VALUES (:user_id, :key_hash, :key_encrypted) "
              "ON CONFLICT (user_id) DO UPDATE SET key_hash = excluded.key_hash, "
              "key_encrypted = excluded.key_encrypted, created_at = excluded.created_at",
        soci::use(user_id), soci::use(key_hash), soci::use(key_encrypted);
    store_.credentials_changed();
  } catch (const soci::soci_error& error) {
    if (is_unique_violation(error, *lease, lease.backend())) {
      throw Conflict("another user already has this API key");
    }
    throw;
  }
}

std::optional<std::int64_t> ApiKeys::find_user_by_key_hash(const std::string& key_hash) const {
  auto lease = store_.lease();
  std::int64_t user_id = 0;
  *lease << "SELECT user_id FROM api_keys WHERE key_hash = :key_hash", soci::use(key_hash),
      soci::into(user_id);
  if (!lease->got_data()) {
    return std::nullopt;
  }
  return user_id;
}

std::optional<ApiKey> ApiKeys::get_for_user(std::int64_t user_id) const {
  auto lease = store_.lease();
  ApiKey key;
  *lease << "SELECT user_id, key_hash, key_encrypted, order_mode, created_at FROM api_keys "
            "WHERE user_id = :user_id",
      soci::use(user_id), soci::into(key.user_id), soci::into(key.key_hash),
      soci::into(key.key_encrypted), soci::into(key.order_mode), soci::into(key.created_at);
  if (!lease->got_data()) {
    return std::nullopt;
  }
  return key;
}

bool ApiKeys::set_order_mode(std::int64_t user_id, const std::string& order_mode) {
  auto lease = store_.lease();
  soci::statement statement = (lease->prepare << "UPDATE api_keys SET order_mode = :mode WHERE user_id = :user_id",
                               soci::use(order_mode), soci::use(user_id));
  statement.execute(true);
  store_.credentials_changed();
  return statement.get_affected_rows() > 0;
}

bool ApiKeys::revoke_for_user(std::int64_t user_id) {
  auto lease = store_.lease();
  soci::statement statement =
      (lease->prepare << "DELETE FROM api_keys WHERE user_id = :user_id", soci::use(user_id));
  statement.execute(true);
  store_.credentials_changed();
  return statement.get_affected_rows() > 0;
}

}  // namespace oa::store
