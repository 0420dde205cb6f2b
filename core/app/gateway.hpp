#pragma once
// Everything between the HTTP server and the brokers: the upstream clients,
// the plugin host, the instrument table and the routing of each user's calls
// to a broker. Built on a Runtime; serve() and the plugin commands use it.
#include <atomic>
#include <memory>
#include <string>

#include "api/api_context.hpp"
#include "app/runtime.hpp"
#include "calendar/market_calendar.hpp"
#include "instruments/instrument_index.hpp"
#include "net/http_client.hpp"
#include "net/ws_client.hpp"
#include "orders/order_journal.hpp"
#include "orders/order_service.hpp"
#include "plugins/plugin_host.hpp"
#include "plugins/plugin_watch.hpp"
#include "app/sandbox_market.hpp"
#include "plugins/worker_pool.hpp"
#include "sandbox/engine.hpp"

namespace oa::app {

struct MasterContractReport {
  bool ok = false;
  std::size_t count = 0;
  std::string message;
};

class Gateway {
 public:
  explicit Gateway(Runtime& runtime);
  ~Gateway();
  Gateway(const Gateway&) = delete;
  Gateway& operator=(const Gateway&) = delete;

  // Loads the plugins and the default broker's master contract.
  void start();

  plugins::PluginHost& plugins() { return *plugins_; }
  const api::ApiContext& api_context() const { return *api_context_; }
  // ACTIVE_BROKER, or the simulator when it is empty: the broker of users
  // without a live broker login.
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
  bool analyze_mode() const;
  bool set_analyze_mode(bool on);
  void on_tick(const std::string& broker, const oa_tick& tick);
  void start_sandbox();
  void on_plugin_file_changed(const std::filesystem::path& file);
  bool load_stored_instruments(const std::string& broker);

  Runtime& runtime_;
  instruments::InstrumentTable instruments_;
  calendar::MarketCalendar calendar_;
  std::unique_ptr<net::HttpClient> http_;
  std::unique_ptr<net::WsClient> ws_;
  std::unique_ptr<plugins::PluginHost> plugins_;
  std::unique_ptr<plugins::WorkerPool> control_;  // one thread for reloads and downloads
  std::unique_ptr<orders::OrderJournal> journal_;
  std::unique_ptr<orders::OrderService> orders_;
  std::unique_ptr<SandboxMarket> sandbox_market_;
  std::unique_ptr<sandbox::Engine> sandbox_;
  std::atomic<bool> analyze_flag_{false};
  bool analyze_forced_ = true;  // set in start(): the default broker takes no real orders
  std::unique_ptr<api::ApiContext> api_context_;
  std::unique_ptr<plugins::PluginWatch> watch_;  // with PLUGIN_WATCH=true
};

}  // namespace oa::app
