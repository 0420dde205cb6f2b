#include "security/accounts.hpp"

#include <algorithm>
#include <cctype>
#include <condition_variable>

#include <spdlog/spdlog.h>

#include "log/thread_name.hpp"
#include "store/api_keys.hpp"
#include "store/audit_log.hpp"
#include "store/broker_auth.hpp"
#include "store/credentials_version.hpp"
#include "store/users.hpp"

namespace oa::security {
namespace {

constexpr std::string_view kSpecialCharacters = "!@#$%^&*";

bool valid_username(std::string_view username) {
  if (username.empty() || username.size() > 80) return false;
  return std::all_of(username.begin(), username.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '_' || c == '-' || c == '.' || c == '@';
  });
}

bool contains_if(std::string_view text, int (*predicate)(int)) {
  return std::any_of(text.begin(), text.end(), [predicate](unsigned char c) { return predicate(c) != 0; });
}

}  // namespace

std::optional<std::string> password_policy_violation(std::string_view password) {
  std::vector<std::string> missing;
  if (password.size() < 8) missing.emplace_back("at least 8 characters");
  if (!contains_if(password, std::isupper)) missing.emplace_back("an upper-case letter");
  if (!contains_if(password, std::islower)) missing.emplace_back("a lower-case letter");
  if (!contains_if(password, std::isdigit)) missing.emplace_back("a digit");
  if (password.find_first_of(kSpecialCharacters) == std::string_view::npos)
    missing.emplace_back("one of the special characters " + std::string(kSpecialCharacters));
  if (missing.empty()) return std::nullopt;
  std::string message = "password needs ";
  for (std::size_t i = 0; i < missing.size(); ++i)
    message += (i == 0 ? "" : i + 1 == missing.size() ? " and " : ", ") + missing[i];
  return message;
}

std::string_view order_mode_name(OrderMode mode) { return mode == OrderMode::SemiAuto ? "semi_auto" : "auto"; }

std::optional<OrderMode> parse_order_mode(std::string_view name) {
  if (name == "auto") return OrderMode::Auto;
  if (name == "semi_auto") return OrderMode::SemiAuto;
  return std::nullopt;
}

Accounts::Accounts(store::Store& store, const Keyring& keyring) : store_(store), keyring_(keyring) {}

Accounts::~Accounts() = default;  // stops and joins the watch first: it is the last member

std::int64_t Accounts::add_user(std::string_view username, std::string_view password, bool is_admin) {
  if (!valid_username(username))
    throw AccountError("username must be 1 to 80 characters of letters, digits and _ - . @");
  if (auto violation = password_policy_violation(password)) throw AccountError(*violation);
  try {
    auto id = store::Users(store_).add(std::string(username), keyring_.hash_password(password), is_admin);
    store::AuditLog(store_).append("cli", "user.add", std::string(username));
    return id;
  } catch (const store::Conflict&) {
    throw AccountError("user '" + std::string(username) + "' already exists");
  }
}

std::vector<UserSummary> Accounts::list_users() {
  store::ApiKeys keys(store_);
  std::vector<UserSummary> out;
  for (const auto& user : store::Users(store_).list()) {
    auto key = keys.get_for_user(user.id);
    out.push_back({user.id, user.username, user.is_admin, key.has_value(), user.created_at,
                   key ? key->order_mode : std::string(order_mode_name(OrderMode::Auto))});
  }
  return out;
}

bool Accounts::verify_password(std::string_view username, std::string_view password) {
  auto user = store::Users(store_).find_by_username(std::string(username));
  return user && keyring_.verify_password(password, user->password_hash);
}

bool Accounts::is_admin(std::int64_t user_id) {
  auto user = store::Users(store_).find_by_id(user_id);
  return user && user->is_admin;
}

std::int64_t Accounts::require_user(std::string_view username) {
  auto user = store::Users(store_).find_by_username(std::string(username));
  if (!user) throw AccountError("no user named '" + std::string(username) + "'");
  return user->id;
}

std::string Accounts::issue_api_key(std::string_view username) {
  auto user_id = require_user(username);
  auto api_key = generate_api_key();
  store::ApiKeys(store_).replace_for_user(user_id, keyring_.api_key_digest(api_key), keyring_.seal(api_key));
  store::AuditLog(store_).append(std::string(username), "apikey.issue", "previous key revoked");
  return api_key;
}

std::optional<std::string> Accounts::reveal_api_key(std::string_view username) {
  auto row = store::ApiKeys(store_).get_for_user(require_user(username));
  if (!row) return std::nullopt;
  return keyring_.open(row->key_encrypted);
}

void Accounts::set_order_mode(std::string_view username, OrderMode mode) {
  const std::string name(order_mode_name(mode));
  if (!store::ApiKeys(store_).set_order_mode(require_user(username), name))
    throw AccountError("user '" + std::string(username) + "' has no API key: the order mode is kept with the key; " +
                       "run `openalgod apikey issue --username " + std::string(username) + "` first");
  store::AuditLog(store_).append(std::string(username), "ordermode.set", name);
}

std::optional<std::string> Accounts::username(std::int64_t user_id) {
  auto user = store::Users(store_).find_by_id(user_id);
  if (!user) return std::nullopt;
  return user->username;
}

namespace {

// The cached value of `key` if it was read under `generation`.
template <class Map, class Key>
auto cached(const Map& cache, const Key& key, std::uint64_t generation)
    -> std::optional<typename Map::mapped_type::value_type> {
  auto hit = cache.find(key);
  if (hit == cache.end() || hit->second.generation != generation) return std::nullopt;
  return hit->second.value;
}

}  // namespace

std::optional<std::int64_t> Accounts::user_for_api_key(std::string_view api_key) {
  auto digest = keyring_.api_key_digest(api_key);
  // Read before the store: a write that lands meanwhile makes this entry stale at once.
  auto generation = store_.credentials_generation();
  {
    std::shared_lock lock(cache_mutex_);
    if (auto hit = cached(key_cache_, digest, generation)) return *hit;
  }
  auto user_id = store::ApiKeys(store_).find_user_by_key_hash(digest);
  std::unique_lock lock(cache_mutex_);
  if (key_cache_.size() >= kMaxCached) key_cache_.clear();
  key_cache_.insert_or_assign(std::move(digest), Cached<std::optional<std::int64_t>>{generation, user_id});
  return user_id;
}

std::optional<BrokerLogin> Accounts::broker_login(std::int64_t user_id) {
  auto generation = store_.credentials_generation();
  {
    std::shared_lock lock(cache_mutex_);
    if (auto hit = cached(login_cache_, user_id, generation)) return *hit;
  }
  std::optional<BrokerLogin> login;
  if (auto session = store::BrokerAuth(store_).active_for_user(user_id)) {
    auto auth = keyring_.open(session->auth_encrypted);
    auto feed = keyring_.open(session->feed_token_encrypted);
    // Sealed under another pepper: the user must log in again.
    if (auth && feed) login = BrokerLogin{session->broker, *auth, *feed, session->broker_user_id};
  }
  std::unique_lock lock(cache_mutex_);
  if (login_cache_.size() >= kMaxCached) login_cache_.clear();
  login_cache_.insert_or_assign(user_id, Cached<std::optional<BrokerLogin>>{generation, login});
  return login;
}

OrderMode Accounts::order_mode(std::int64_t user_id) {
  auto generation = store_.credentials_generation();
  {
    std::shared_lock lock(cache_mutex_);
    if (auto hit = cached(mode_cache_, user_id, generation)) return *hit;
  }
  auto key = store::ApiKeys(store_).get_for_user(user_id);
  auto mode = key ? parse_order_mode(key->order_mode).value_or(OrderMode::Auto) : OrderMode::Auto;
  std::unique_lock lock(cache_mutex_);
  if (mode_cache_.size() >= kMaxCached) mode_cache_.clear();
  mode_cache_.insert_or_assign(user_id, Cached<OrderMode>{generation, mode});
  return mode;
}

void Accounts::notice_other_processes() {
  auto version = store::credentials_version(store_);
  std::lock_guard lock(version_mutex_);
  if (seen_version_ && *seen_version_ != version) store_.credentials_changed();
  seen_version_ = version;
}

void Accounts::watch_other_processes(std::chrono::milliseconds period) {
  notice_other_processes();
  watch_ = std::jthread([this, period](std::stop_token stop) {
    log::name_this_thread("oa-credentials");
    std::mutex mutex;
    std::condition_variable_any wakeup;
    std::unique_lock lock(mutex);
    for (;;) {
      wakeup.wait_for(lock, stop, period, [] { return false; });
      if (stop.stop_requested()) return;
      try {
        notice_other_processes();
      } catch (const std::exception& error) {
        spdlog::warn("accounts: cannot read the credentials version: {}", error.what());
      }
    }
  });
}

}  // namespace oa::security
