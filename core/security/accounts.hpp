#pragma once
// Users and API keys: the rules (username and password policy, one key per
// user) on top of the store's rows and the keyring's cryptography.
#include <chrono>
#include <cstdint>
#include <mutex>
#include <shared_mutex>
#include <thread>
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
  std::string order_mode;  // "auto" or "semi_auto"; "auto" without a key
};

// rest_api.md A.10: auto sends a user's orders at once; semi-auto holds the
// ones that place orders for approval in the Action Center.
enum class OrderMode { Auto, SemiAuto };
std::string_view order_mode_name(OrderMode mode);
std::optional<OrderMode> parse_order_mode(std::string_view name);

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
  Accounts(store::Store& store, const Keyring& keyring);
  ~Accounts();
  Accounts(const Accounts&) = delete;
  Accounts& operator=(const Accounts&) = delete;

  std::int64_t add_user(std::string_view username, std::string_view password, bool is_admin);
  std::vector<UserSummary> list_users();
  bool verify_password(std::string_view username, std::string_view password);
  bool is_admin(std::int64_t user_id);

  // Issues a new key for the user, revoking the previous one; returns it in plaintext.
  std::string issue_api_key(std::string_view username);
  // The user's current key, decrypted (for the UI's "show key").
  std::optional<std::string> reveal_api_key(std::string_view username);

  // Sets the user's order mode, kept with the key (a new key keeps it).
  // Throws AccountError for an unknown user or a user without a key.
  void set_order_mode(std::string_view username, OrderMode mode);
  // The user's order mode, from memory after the first time, cached like
  // the key checks below; Auto for a user without a key.
  OrderMode order_mode(std::int64_t user_id);
  std::optional<std::string> username(std::int64_t user_id);

  // The two checks every request makes, answered from memory after the first
  // time. An answer is cached until the store's credentials generation moves
  // (any write to api_keys or broker_auth in this process, at once; another
  // process's write, at the next poll of watch_other_processes): a revoked
  // key or a logged-out session is never served from the cache after that.
  //
  // The user the key belongs to, or nullopt.
  std::optional<std::int64_t> user_for_api_key(std::string_view api_key);
  // The user's live (not revoked) broker login, if any.
  std::optional<BrokerLogin> broker_login(std::int64_t user_id);

  // Polls the store's credentials version every `period` on a thread of its
  // own, so keys and logins changed by another process (the CLI) drop out of
  // the caches; until stop_watching() or destruction.
  void watch_other_processes(std::chrono::milliseconds period);
  void stop_watching() { watch_ = std::jthread(); }
  // One such poll.
  void notice_other_processes();

 private:
  std::int64_t require_user(std::string_view username);

  template <class Value>
  struct Cached {
    using value_type = Value;
    std::uint64_t generation;  // the store's credentials generation it was read under
    Value value;
  };
  // Entries are bounded: past this, a cache starts again empty (key spraying).
  static constexpr std::size_t kMaxCached = 4096;

  store::Store& store_;
  const Keyring& keyring_;
  std::shared_mutex cache_mutex_;
  std::unordered_map<std::string, Cached<std::optional<std::int64_t>>> key_cache_;  // digest -> user
  std::unordered_map<std::int64_t, Cached<std::optional<BrokerLogin>>> login_cache_;  // user -> login
  std::unordered_map<std::int64_t, Cached<OrderMode>> mode_cache_;                     // user -> order mode
  std::mutex version_mutex_;
  std::optional<std::int64_t> seen_version_;  // the credentials version last polled
  std::jthread watch_;
};

}  // namespace oa::security
