#pragma once
// Users and API keys: the rules (username and password policy, one key per
// user) on top of the store's rows and the keyring's cryptography.
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "security/keyring.hpp"
#include "store/store.hpp"

namespace oa::security {

// A request the user can fix (bad username, weak password, unknown user).
class AccountError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct UserSummary {
  std::int64_t id;
  std::string username;
  bool is_admin;
  bool has_api_key;
  std::string created_at;
};

// OpenAlgo's policy: 8+ characters with upper, lower, digit and one of !@#$%^&*.
// Returns what is missing, or nullopt when the password is acceptable.
std::optional<std::string> password_policy_violation(std::string_view password);

// A user's live broker login, decrypted for the plugin calls it authorises.
struct BrokerLogin {
  std::string broker;
  std::string auth_token, feed_token, broker_user_id;
};

class Accounts {
 public:
  // How long a verified API key is remembered. A key revoked by another
  // process (the CLI) stops working within this time.
  static constexpr std::chrono::seconds kKeyCacheTtl{5};

  Accounts(store::Store& store, const Keyring& keyring);

  std::int64_t add_user(std::string_view username, std::string_view password, bool is_admin);
  std::vector<UserSummary> list_users();
  bool verify_password(std::string_view username, std::string_view password);
  bool is_admin(std::int64_t user_id);

  // Issues a new key for the user, revoking the previous one; returns it in plaintext.
  std::string issue_api_key(std::string_view username);
  // The user's current key, decrypted (for the UI's "show key").
  std::optional<std::string> reveal_api_key(std::string_view username);
  // The user the key belongs to, or nullopt.
  std::optional<std::int64_t> user_for_api_key(std::string_view api_key);
  // The user's live (not revoked) broker login, if any.
  std::optional<BrokerLogin> broker_login(std::int64_t user_id);

 private:
  std::int64_t require_user(std::string_view username);
  void forget_cached_keys();

  struct CachedKey {
    std::int64_t user_id;
    std::chrono::steady_clock::time_point expires;
  };
  store::Store& store_;
  const Keyring& keyring_;
  std::mutex cache_mutex_;
  std::unordered_map<std::string, CachedKey> key_cache_;  // digest -> user
};

}  // namespace oa::security
