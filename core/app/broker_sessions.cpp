#include "app/broker_sessions.hpp"

#include <future>

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "sandbox/ist_time.hpp"
#include "store/broker_auth.hpp"
#include "store/users.hpp"

namespace oa::app {
namespace {

namespace json = boost::json;

std::string string_member(const json::object& document, std::string_view key) {
  const auto* value = document.if_contains(key);
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

}  // namespace

BrokerSessions::BrokerSessions(Runtime& runtime, plugins::PluginHost& plugins, Allowed allowed)
    : runtime_(runtime), plugins_(plugins), allowed_(std::move(allowed)) {}

std::optional<std::int64_t> BrokerSessions::default_user() const {
  for (const auto& user : store::Users(*runtime_.store).list())
    if (user.is_admin) return user.id;
  return std::nullopt;
}

std::optional<std::string> BrokerSessions::login_refusal(const std::string& broker) const {
  auto manifest = plugins_.manifest(broker);
  if (!manifest) return "no broker plugin '" + broker + "' is loaded";
  if (!allowed_(broker)) return "broker '" + broker + "' is not in VALID_BROKERS";
  if (manifest->auth_style == OA_AUTH_NONE) return "broker '" + broker + "' has no login";
  return std::nullopt;
}

void BrokerSessions::login(std::int64_t user_id, const std::string& broker, std::string fields,
                           std::function<void(LoginOutcome)> done) {
  if (auto refusal = login_refusal(broker)) return done({OA_ERR_INVALID_ARGUMENT, *refusal});
  plugins_.call(broker, plugins::Operation::Authenticate, std::move(fields), {},
                [this, user_id, broker, done = std::move(done)](plugins::Outcome outcome) {
                  done(store(user_id, broker, outcome));
                });
}

LoginOutcome BrokerSessions::login_and_wait(std::int64_t user_id, const std::string& broker, std::string fields) {
  std::promise<LoginOutcome> answered;
  auto future = answered.get_future();
  login(user_id, broker, std::move(fields), [&answered](LoginOutcome outcome) { answered.set_value(std::move(outcome)); });
  return future.get();
}

LoginOutcome BrokerSessions::store(std::int64_t user_id, const std::string& broker, const plugins::Outcome& outcome) {
  if (!outcome.ok()) {
    spdlog::warn("broker login: {} refused user {}: {}", broker, user_id, outcome.message);
    return {outcome.status, outcome.message};
  }
  boost::system::error_code ec;
  auto answer = json::parse(outcome.json, ec);
  if (ec || !answer.is_object() || string_member(answer.as_object(), "auth_token").empty()) {
    spdlog::error("broker login: {} answered authenticate without an auth_token", broker);
    return {OA_ERR_INTERNAL, "the " + broker + " plugin returned no auth token"};
  }
  const auto& document = answer.as_object();
  store::BrokerSession session;
  session.user_id = user_id;
  session.broker = broker;
  session.auth_encrypted = runtime_.keyring->seal(string_member(document, "auth_token"));
  session.feed_token_encrypted = runtime_.keyring->seal(string_member(document, "feed_token"));
  session.broker_user_id = string_member(document, "broker_user_id");
  store::BrokerAuth(*runtime_.store).upsert(session);
  spdlog::info("broker login: user {} logged in to {}{}", user_id, broker,
               session.broker_user_id.empty() ? "" : " as " + session.broker_user_id);
  return {OA_OK, "logged in to " + broker};
}

bool BrokerSessions::logout(std::int64_t user_id, const std::string& broker) {
  bool revoked = store::BrokerAuth(*runtime_.store).revoke(user_id, broker);
  if (revoked) spdlog::info("broker login: user {} logged out of {}", user_id, broker);
  return revoked;
}

std::size_t BrokerSessions::expire(std::int64_t now_ms) {
  if (runtime_.config.get_bool("DISABLE_SESSION_EXPIRY")) return 0;
  auto minute = sandbox::parse_clock_time(runtime_.config.get("SESSION_EXPIRY_TIME"));
  if (!minute) return 0;  // validated as HH:MM at load; nothing sensible to do otherwise
  // updated_at is UTC ISO-8601 text, whose order is time order.
  auto boundary = sandbox::format_utc_iso(sandbox::last_daily_boundary(now_ms, *minute));
  store::BrokerAuth sessions(*runtime_.store);
  std::size_t expired = 0;
  for (const auto& session : sessions.live()) {
    if (session.updated_at >= boundary) continue;
    if (sessions.revoke(session.user_id, session.broker)) ++expired;
    spdlog::info("broker login: the session of user {} with {} expired at {} IST", session.user_id, session.broker,
                 runtime_.config.get("SESSION_EXPIRY_TIME"));
  }
  return expired;
}

std::optional<std::string> BrokerSessions::latest_broker() const {
  for (const auto& session : store::BrokerAuth(*runtime_.store).live())
    if (allowed_(session.broker) && plugins_.manifest(session.broker)) return session.broker;
  return std::nullopt;
}

std::optional<plugins::Session> BrokerSessions::session_with(const std::string& broker) const {
  // Read before the lookup: a change during it leaves a stale generation
  // behind, so the next call reads again.
  const auto generation = runtime_.store->credentials_generation();
  {
    std::lock_guard lock(kept_mutex_);
    auto kept = kept_.find(broker);
    if (kept != kept_.end() && kept->second.generation == generation) return kept->second.session;
  }
  auto session = read_session_with(broker);
  std::lock_guard lock(kept_mutex_);
  kept_.insert_or_assign(broker, KeptSession{generation, session});
  return session;
}

std::optional<plugins::Session> BrokerSessions::read_session_with(const std::string& broker) const {
  for (const auto& session : store::BrokerAuth(*runtime_.store).live()) {
    if (session.broker != broker) continue;
    auto login = runtime_.accounts->broker_login(session.user_id);
    if (login && login->broker == broker) return plugins::Session{login->auth_token, login->feed_token, login->broker_user_id};
  }
  return std::nullopt;
}

}  // namespace oa::app
