#pragma once
// The sandbox engine's window on the market: instrument facts from the
// broker's master contract, quotes through the broker plugin, and ticks from
// the market feed for the symbols the engine watches (one feed subscriber,
// at Quote mode, shared with the WebSocket clients).
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "api/api_context.hpp"
#include "feed/market_feed.hpp"
#include "instruments/instrument_index.hpp"
#include "plugins/plugin_host.hpp"
#include "sandbox/engine.hpp"

namespace oa::app {

class SandboxMarket : public sandbox::MarketData {
 public:
  // The plugin whose prices drive the sandbox, with a session it accepts: the
  // active broker, asked afresh for each instrument, quote and watch, so a
  // broker login while the daemon runs moves the sandbox onto the broker's
  // prices. `broker` is asked for every order and must be cheap; `session`
  // (which reads the store) only when a call needs one.
  struct PriceSource {
    std::function<std::string()> broker;
    std::function<plugins::Session(const std::string& broker)> session;
    api::BrokerRoute route() const;
  };
  using TickSink = std::function<void(const std::string& symbol, const std::string& exchange, const sandbox::Quote&)>;

  SandboxMarket(plugins::PluginHost& plugins, instruments::InstrumentTable& instruments, feed::MarketFeed& feed,
                PriceSource source);
  ~SandboxMarket() override;

  // Where ticks go (the engine's on_tick); an empty sink stops them. After it
  // returns no call to the old sink is running or will start.
  void set_tick_sink(TickSink sink);

  std::optional<sandbox::Instrument> instrument(const std::string& symbol, const std::string& exchange) override;
  void fetch_quote(const std::string& symbol, const std::string& exchange,
                   std::function<void(std::optional<sandbox::Quote>)> done) override;
  void watch(const std::string& symbol, const std::string& exchange) override;
  void release(const std::string& symbol, const std::string& exchange) override;

  // A tick from the broker's stream, turned into the engine's quote.
  static sandbox::Quote quote_of(const oa_tick& tick);

 private:
  class Receiver;

  plugins::PluginHost& plugins_;
  instruments::InstrumentTable& instruments_;
  feed::MarketFeed& feed_;
  PriceSource source_;
  std::shared_ptr<Receiver> receiver_;
  feed::SubscriberId feed_id_ = 0;
  std::mutex mutex_;
  struct Watch {
    int watchers = 0;
    std::string broker;  // where it was subscribed, so it is released there
  };
  std::map<std::pair<std::string, std::string>, Watch> watched_;  // by (symbol, exchange)
};

}  // namespace oa::app
