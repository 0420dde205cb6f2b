#include "security/login_states.hpp"

#include <algorithm>

#include "security/keyring.hpp"

namespace oa::security {

LoginStates::LoginStates(std::chrono::seconds lifetime, Clock clock) : lifetime_(lifetime), clock_(std::move(clock)) {}

std::string LoginStates::issue(std::int64_t user_id, const std::string& broker) {
  auto state = random_hex(16);
  auto now = clock_();
  std::lock_guard lock(mutex_);
  forget_expired(now);
  if (open_.size() >= kMaxOpen) {
    auto oldest = std::min_element(open_.begin(), open_.end(),
                                   [](const auto& a, const auto& b) { return a.second.expires < b.second.expires; });
    open_.erase(oldest);
  }
  open_[state] = Open{user_id, broker, now + lifetime_};
  return state;
}

std::optional<std::int64_t> LoginStates::redeem(const std::string& state, const std::string& broker) {
  auto now = clock_();
  std::lock_guard lock(mutex_);
  auto found = open_.find(state);
  if (found == open_.end()) return std::nullopt;
  auto open = found->second;
  open_.erase(found);
  if (open.broker != broker || now >= open.expires) return std::nullopt;
  return open.user_id;
}

void LoginStates::forget_expired(std::chrono::steady_clock::time_point now) {
  std::erase_if(open_, [now](const auto& entry) { return now >= entry.second.expires; });
}

}  // namespace oa::security
