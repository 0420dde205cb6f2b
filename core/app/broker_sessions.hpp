#pragma once
// Users' broker logins: the plugin's authenticate call, the tokens it returns
// sealed into the store, logout, and the daily expiry at SESSION_EXPIRY_TIME
// (security_db.md §4.3, §5). Tokens exist in plaintext only in memory, on
// their way between the plugin and the keyring; they are never logged.
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "app/runtime.hpp"
#include "openalgo_plugin.h"
#include "plugins/plugin_host.hpp"

namespace oa::app {

struct LoginOutcome {
  oa_status status = OA_OK;
  std::string message;  // what happened, for the person logging in (the broker's text on failure)
  bool ok() const { return status == OA_OK; }
};

class BrokerSessions {
 public:
  using Allowed = std::function<bool(const std::string& broker)>;
  BrokerSessions(Runtime& runtime, plugins::PluginHost& plugins, Allowed allowed);

  // The user a login without one (the broker's callback, the CLI without
  // --username) belongs to: the first administrator. OpenAlgo keys the callback
  // to the web session's user; openalgod has no web session, and OpenAlgo is
  // a one-user application whose only user is its administrator.
  std::optional<std::int64_t> default_user() const;

  // Why `broker` cannot log in (unknown, not in VALID_BROKERS, no login), or nullopt.
  std::optional<std::string> login_refusal(const std::string& broker) const;

  // Calls the plugin's authenticate with `fields` (the callback's query or
  // form fields as a JSON object) and, on success, stores the session for
  // `user_id`, replacing any earlier one with that broker. `done` runs once,
  // on a plugin worker thread.
  void login(std::int64_t user_id, const std::string& broker, std::string fields,
             std::function<void(LoginOutcome)> done);
  LoginOutcome login_and_wait(std::int64_t user_id, const std::string& broker, std::string fields);

  // Revokes the user's session with `broker`; false when there was none.
  bool logout(std::int64_t user_id, const std::string& broker);

  // Revokes every session that began before the last SESSION_EXPIRY_TIME (IST)
  // at or before `now_ms`, unless DISABLE_SESSION_EXPIRY. Returns how many.
  std::size_t expire(std::int64_t now_ms);

  // The broker of the live session that began last and can serve (allowed,
  // loaded), if any.
  std::optional<std::string> latest_broker() const;

  // A live session with `broker` (the one begun last), decrypted, for work
  // done on no user's behalf: the sandbox's prices. Asked once per quote the
  // sandbox fetches, so the answer is kept until the store's credentials
  // generation changes (any login, logout or expiry, in any process).
  std::optional<plugins::Session> session_with(const std::string& broker) const;

 private:
  struct KeptSession {
    std::uint64_t generation = 0;
    std::optional<plugins::Session> session;
  };
  LoginOutcome store(std::int64_t user_id, const std::string& broker, const plugins::Outcome& outcome);
  std::optional<plugins::Session> read_session_with(const std::string& broker) const;

  Runtime& runtime_;
  plugins::PluginHost& plugins_;
  Allowed allowed_;
  mutable std::mutex kept_mutex_;
  mutable std::map<std::string, KeptSession> kept_;  // by broker
};

}  // namespace oa::app
