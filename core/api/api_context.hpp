#pragma once
// What the endpoints work with. Owned by the daemon; outlives every request.
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include <boost/json/object.hpp>

#include "calendar/market_calendar.hpp"
#include "api/router.hpp"
#include "instruments/instrument_index.hpp"
#include "orders/order_service.hpp"
#include "sandbox/engine.hpp"
#include "plugins/plugin_host.hpp"
#include "security/accounts.hpp"
#include "security/login_states.hpp"
#include "traffic/request_log.hpp"

namespace oa::api {

class ActionCenter;

struct BrokerRoute {
  std::string broker;         // plugin id the user's calls go to
  plugins::Session session;   // the user's decrypted broker session (empty for the simulator)
};

// How a broker login through the callback went.
struct LoginReply {
  oa_status status = OA_OK;
  std::string message;
};

struct ApiContext {
  security::Accounts& accounts;
  plugins::PluginHost& plugins;
  instruments::InstrumentTable& instruments;
  // The broker the user's requests go to, with its session.
  std::function<BrokerRoute(std::int64_t user_id)> route_for;
  // Runs long administrative work (plugin reloads) off the network threads,
  // one task at a time; false when too many are queued.
  std::function<bool(std::function<void()>)> run_control;
  // Order-changing requests go through the journal.
  orders::OrderService* orders = nullptr;
  // Analyzer mode: orders and account views come from the sandbox engine.
  sandbox::Engine* sandbox = nullptr;
  std::function<bool()> analyze_mode;
  // Switches analyzer mode (persisted); returns the mode now in force, which
  // stays on while the broker takes no real orders.
  std::function<bool(bool on)> set_analyze_mode;
  // Holidays and session times for /api/v1/market/*; null or empty answers 500.
  const calendar::MarketCalendar* calendar = nullptr;
  // Logs `user_id` in to `broker` with the callback's fields (a JSON object);
  // `done` runs once, on any thread.
  std::function<void(std::int64_t user_id, const std::string& broker, std::string fields,
                     std::function<void(LoginReply)> done)>
      broker_login;
  // Runs a short task after a delay on a timer thread; composite orders pace
  // their broker calls with it instead of sleeping. Null: no pacing.
  std::function<void(std::chrono::milliseconds, std::function<void()>)> run_after = {};
  // The traffic and analyzer logs (written off the request path); null: none.
  traffic::RequestLog* request_log = nullptr;
  // Between two orders one request sends to a live broker (1/N s for
  // ORDER_RATE_LIMIT's N), and how long a live smart order's answer waits
  // for the broker's position book to catch up (SMART_ORDER_DELAY).
  std::chrono::milliseconds order_spacing{0};
  std::chrono::milliseconds smart_order_delay{0};
  // The one-time states broker login callbacks must bring back; null: every callback is refused.
  security::LoginStates* login_states = nullptr;
  // The market feed per broker and its WebSocket clients, for /api/v1/admin/feed.
  std::function<boost::json::object()> feed_status = {};
  // Semi-auto users' orders wait here for approval (rest_api.md A.10); null: every user is in auto mode.
  ActionCenter* action_center = nullptr;
};

// The HTTP status OpenAlgo clients expect for a plugin outcome's status.
int http_status_for(oa_status status);

// An endpoint is a plain function of the context and the request.
using Endpoint = void (*)(const ApiContext&, net::HttpRequest&&, net::Responder);
Route endpoint_route(const ApiContext& context, std::string method, std::string path, std::string summary,
                     Endpoint endpoint, RateClass rate_class = RateClass::Api);

}  // namespace oa::api
