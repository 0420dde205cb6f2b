#pragma once
// What the endpoints work with. Owned by the daemon; outlives every request.
#include <cstdint>
#include <functional>
#include <string>

#include "instruments/instrument_index.hpp"
#include "plugins/plugin_host.hpp"
#include "security/accounts.hpp"

namespace oa::api {

struct BrokerRoute {
  std::string broker;         // plugin id the user's calls go to
  plugins::Session session;   // the user's decrypted broker session (empty for the simulator)
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
};

// The HTTP status OpenAlgo clients expect for a plugin outcome's status.
int http_status_for(oa_status status);

}  // namespace oa::api
