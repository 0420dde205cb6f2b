#pragma once
// The sandbox engine's window on the market: instrument facts from the
// broker's master contract, quotes through the broker plugin, and ticks from
// its stream for the symbols the engine watches.
#include <map>
#include <mutex>
#include <string>
#include <utility>

#include "api/api_context.hpp"
#include "instruments/instrument_index.hpp"
#include "plugins/plugin_host.hpp"
#include "plugins/worker_pool.hpp"
#include "sandbox/engine.hpp"

namespace oa::app {

class SandboxMarket : public sandbox::MarketData {
 public:
  // The plugin whose prices drive the sandbox, with a session it accepts: the
  // active broker, asked afresh for each quote and watch, so a broker login
  // while the daemon runs moves the sandbox onto the broker's prices.
  using PriceSource = std::function<api::BrokerRoute()>;
  SandboxMarket(plugins::PluginHost& plugins, instruments::InstrumentTable& instruments, PriceSource source);

  std::optional<sandbox::Instrument> instrument(const std::string& symbol, const std::string& exchange) override;
  void fetch_quote(const std::string& symbol, const std::string& exchange,
                   std::function<void(std::optional<sandbox::Quote>)> done) override;
  void watch(const std::string& symbol, const std::string& exchange) override;
  void release(const std::string& symbol, const std::string& exchange) override;

  // A tick from the broker's stream, turned into the engine's quote.
  static sandbox::Quote quote_of(const oa_tick& tick);

 private:
  plugins::StreamKey stream_key(const std::string& broker, const std::string& symbol, const std::string& exchange);

  plugins::PluginHost& plugins_;
  instruments::InstrumentTable& instruments_;
  PriceSource source_;
  // Subscribing waits on the plugin: done here, never on the engine's thread.
  plugins::WorkerPool subscriber_{1, 4096};
  std::mutex mutex_;
  struct Watch {
    int watchers = 0;
    api::BrokerRoute route;  // where it was subscribed, so it is released there
  };
  std::map<std::pair<std::string, std::string>, Watch> watched_;  // by (symbol, exchange)
};

}  // namespace oa::app
