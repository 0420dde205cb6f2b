#pragma once
// Everything between the HTTP server and the brokers: the upstream clients,
// the plugin host, the instrument table and the routing of each user's calls
// to a broker. Built on a Runtime; serve() and the plugin commands use it.
#include <memory>
#include <string>

#include "api/api_context.hpp"
#include "app/runtime.hpp"
#include "instruments/instrument_index.hpp"
#include "net/http_client.hpp"
#include "net/ws_client.hpp"
#include "plugins/plugin_host.hpp"
#include "plugins/plugin_watch.hpp"
#include "plugins/worker_pool.hpp"

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

 private:
  api::BrokerRoute route_for(std::int64_t user_id);
  void on_plugin_file_changed(const std::filesystem::path& file);
  bool load_stored_instruments(const std::string& broker);

  Runtime& runtime_;
  instruments::InstrumentTable instruments_;
  std::unique_ptr<net::HttpClient> http_;
  std::unique_ptr<net::WsClient> ws_;
  std::unique_ptr<plugins::PluginHost> plugins_;
  std::unique_ptr<plugins::WorkerPool> control_;  // one thread for reloads and downloads
  std::unique_ptr<api::ApiContext> api_context_;
  std::unique_ptr<plugins::PluginWatch> watch_;  // with PLUGIN_WATCH=true
};

}  // namespace oa::app
