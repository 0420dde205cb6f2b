#pragma once

#include "store/store.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace oa::store {

// A user's API key: at most one per user.
struct ApiKey {
  std::int64_t user_id = 0;
  std::string key_hash;       // keyed BLAKE2b, hex: what requests are checked against
  std::string key_encrypted;  // secretbox, base64: what the user is shown again
  std::string order_mode;     // "auto" or "semi_auto"
  std::string created_at;     // UTC ISO-8601
};

class ApiKeys {
 public:
  explicit ApiKeys(Store& store) : store_(store) {}

  // Gives the user this key in place of any previous one, atomically. The
  // user's order mode survives, as in OpenAlgo. Throws Conflict if another
  // user already has this key hash.
  void replace_for_user(std::int64_t user_id, const std::string& key_hash,
                        const std::string& key_encrypted);

  std::optional<std::int64_t> find_user_by_key_hash(const std::string& key_hash) const;
  std::optional<ApiKey> get_for_user(std::int64_t user_id) const;

  // "auto" or "semi_auto" (the caller checks which). Returns false when the
  // user has no key: the mode lives with the key, as in OpenAlgo.
  [[nodiscard]] bool set_order_mode(std::int64_t user_id, const std::string& order_mode);

  // Returns false when the user had no key.
  bool revoke_for_user(std::int64_t user_id);

 private:
  Store& store_;
};

}  // namespace oa::store
