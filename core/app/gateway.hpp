#pragma once
// Everything between the HTTP server and the brokers: the upstream clients,
// the plugin host, the instrument table and the routing of each user's calls
// to a broker. Built on a Runtime; serve() and the plugin commands use it.
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "api/action_center.hpp"
#include "api/api_context.hpp"
#include "app/broker_sessions.hpp"
#include "app/runtime.hpp"
#include "calendar/market_calendar.hpp"
#include "instruments/instrument_index.hpp"
#include "net/http_client.hpp"
#include "net/ws_client.hpp"
#include "orders/order_journal.hpp"
#include "orders/order_service.hpp"
#include "plugins/plugin_host.hpp"
#include "plugins/plugin_watch.hpp"
#include "app/market_stream.hpp"
#include "app/sandbox_market.hpp"
#include "plugins/worker_pool.hpp"
#include "sandbox/engine.hpp"
#include "traffic/request_log.hpp"

namespace oa::app {

struct MasterContractReport {
  bool ok = false;
  std::size_t count = 0;
  std::string message;
};

// What a plugin's config_get may read: its own <ID>_<PURPOSE> settings and the
// broker credentials (BROKER_API_KEY, BROKER_API_SECRET, REDIRECT_URL, ...).
std::optional<std::string> plugin_visible_setting(const config::Config& config, const std::string& key);

class Gateway {
 public:
  explicit Gateway(Runtime& runtime);
  ~Gateway();
  Gateway(const Gateway&) = delete;
  Gateway& operator=(const Gateway&) = delete;

  // Loads the plugins and the default broker's master contract.
  void start();

  plugins::PluginHost& plugins() { return *plugins_; }
  MarketStream& stream() { return *stream_; }
  const api::ApiContext& api_context() const { return *api_context_; }
  traffic::RequestLog& request_log() { return *request_log_; }
  BrokerSessions& sessions() { return *sessions_; }
  // The active broker: ACTIVE_BROKER when set, else the broker of the latest
  // live login, else the simulator. It serves users without a login of their
  // own, drives the sandbox's prices and has its master contract loaded.
  std::string default_broker() const;
  bool allowed(const std::string& broker) const;

  // Today's master contract of `broker`: from the store if it was downloaded
  // today (IST), else downloaded through the plugin. A failed or empty
  // download keeps the table that was there.
  MasterContractReport load_master_contract(const std::string& broker);

  // Reads MARKET_CALENDAR_FILE (again); on failure keeps the calendar it had
  // and logs why. start() calls it; SIGHUP may.
  bool reload_market_calendar();

 private:
  api::BrokerRoute route_for(std::int64_t user_id);
  // Logs `user_id` in through the broker's callback (the user its login state was issued to).
  void broker_login(std::int64_t user_id, const std::string& broker, std::string fields,
                    std::function<void(api::LoginReply)> done);
  std::string choose_active_broker() const;
  // Re-chooses the active broker; when it changed, loads its master contract.
  void refresh_active_broker();
  // Every SESSION_WATCH period until the gateway goes: expires sessions past
  // SESSION_EXPIRY_TIME and follows logins and logouts made by the CLI.
  void watch_sessions(std::stop_token stop);
  bool analyze_mode() const;
  bool set_analyze_mode(bool on);
  void start_sandbox();
  void on_plugin_file_changed(const std::filesystem::path& file);
  bool load_stored_instruments(const std::string& broker);

  Runtime& runtime_;
  instruments::InstrumentTable instruments_;
  calendar::MarketCalendar calendar_;
  std::unique_ptr<net::HttpClient> http_;
  std::unique_ptr<net::WsClient> ws_;
  std::unique_ptr<plugins::PluginHost> plugins_;
  std::unique_ptr<MarketStream> stream_;  // built right after the plugin host, which feeds it
  std::unique_ptr<plugins::WorkerPool> control_;  // one thread for reloads and downloads
  std::unique_ptr<orders::OrderJournal> journal_;
  std::unique_ptr<orders::OrderService> orders_;
  std::unique_ptr<SandboxMarket> sandbox_market_;
  std::unique_ptr<sandbox::Engine> sandbox_;
  std::atomic<bool> analyze_flag_{false};
  std::atomic<bool> analyze_forced_{true};  // set in start(): the default broker takes no real orders
  std::unique_ptr<BrokerSessions> sessions_;
  std::unique_ptr<security::LoginStates> login_states_;  // the callbacks' one-time states
  mutable std::mutex active_mutex_;
  std::string active_broker_;
  std::mutex watch_mutex_;
  std::condition_variable_any watch_wakeup_;
  std::jthread session_watch_;  // stopped and joined first, in the destructor
  std::unique_ptr<plugins::Scheduler> timers_;  // paces composite orders; never sleeps a thread
  // The request logs' database when it is not the main one: their batched
  // writes then neither wait for the order tables' write lock nor, on SQLite,
  // empty the page cache of every connection to the main database at each
  // commit (WAL does that to a reader that sees a newer database).
  std::unique_ptr<store::Store> logs_store_;
  std::unique_ptr<traffic::RequestLog> request_log_;  // the traffic and analyzer logs' writer
  std::unique_ptr<api::ActionCenter> action_center_;  // semi-auto users' orders awaiting approval
  std::unique_ptr<api::ApiContext> api_context_;
  std::unique_ptr<plugins::PluginWatch> watch_;  // with PLUGIN_WATCH=true
};

}  // namespace oa::app
