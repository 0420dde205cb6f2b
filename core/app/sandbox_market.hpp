#pragma once
// The sandbox engine's window on the market: instrument facts from the
// broker's master contract, quotes through the broker plugin, and ticks from
// its stream for the symbols the engine watches.
#include <map>
#include <mutex>
#include <string>
#include <utility>

#include "instruments/instrument_index.hpp"
#include "plugins/plugin_host.hpp"
#include "plugins/worker_pool.hpp"
#include "sandbox/engine.hpp"

namespace oa::app {

class SandboxMarket : public sandbox::MarketData {
 public:
  // `broker`: the plugin whose prices drive the sandbox (the default broker).
  SandboxMarket(plugins::PluginHost& plugins, instruments::InstrumentTable& instruments, std::string broker);

  std::optional<sandbox::Instrument> instrument(const std::string& symbol, const std::string& exchange) override;
  void fetch_quote(const std::string& symbol, const std::string& exchange,
                   std::function<void(std::optional<sandbox::Quote>)> done) override;
  void watch(const std::string& symbol, const std::string& exchange) override;
  void release(const std::string& symbol, const std::string& exchange) override;

  // A tick from the broker's stream, turned into the engine's quote.
  static sandbox::Quote quote_of(const oa_tick& tick);

 private:
  plugins::StreamKey stream_key(const std::string& symbol, const std::string& exchange);

  plugins::PluginHost& plugins_;
  instruments::InstrumentTable& instruments_;
  std::string broker_;
  // Subscribing waits on the plugin: done here, never on the engine's thread.
  plugins::WorkerPool subscriber_{1, 4096};
  std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, int> watched_;  // (symbol, exchange) -> watchers
};

}  // namespace oa::app
