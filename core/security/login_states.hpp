#pragma once
// One-time `state` values for broker logins (login CSRF). The daemon hands one
// out with a broker's login URL to the user who asked for it; the broker's
// callback must bring it back, unused and within its lifetime, and then logs in
// that user. Without it, any page that makes the browser open
// /<broker>/callback?request_token=... would log the daemon in to the page
// owner's broker account. Kept in memory only: a restart voids open logins,
// which then just ask for a new URL.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace oa::security {

class LoginStates {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  // At most this many open at once; issuing past it forgets the oldest.
  static constexpr std::size_t kMaxOpen = 1024;

  explicit LoginStates(std::chrono::seconds lifetime, Clock clock = [] { return std::chrono::steady_clock::now(); });

  // A fresh random state for `user_id` logging in to `broker`.
  std::string issue(std::int64_t user_id, const std::string& broker);

  // The user `state` was issued to, when it was issued for `broker`, is unused
  // and has not expired. Any state presented is spent, whatever the answer.
  std::optional<std::int64_t> redeem(const std::string& state, const std::string& broker);

  std::chrono::seconds lifetime() const { return lifetime_; }

 private:
  struct Open {
    std::int64_t user_id;
    std::string broker;
    std::chrono::steady_clock::time_point expires;
  };
  void forget_expired(std::chrono::steady_clock::time_point now);

  std::chrono::seconds lifetime_;
  Clock clock_;
  std::mutex mutex_;
  std::map<std::string, Open> open_;
};

}  // namespace oa::security
