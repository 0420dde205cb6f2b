#pragma once
// What the feed needs from the brokers' side: subscribe and unsubscribe calls
// that return once the upstream answered, and the symbol -> token lookup.
// PluginUpstream is the real one (the plugin host and the instrument table);
// tests put a scripted one in its place.
#include <optional>
#include <string>
#include <vector>

#include "instruments/instrument_index.hpp"
#include "plugins/plugin_host.hpp"

namespace oa::feed {

class StreamUpstream {
 public:
  virtual ~StreamUpstream() = default;
  // Both block until the plugin answered; OA_OK means the upstream accepted.
  virtual plugins::Outcome subscribe(const std::string& broker, const std::vector<plugins::StreamKey>& keys,
                                     const plugins::Session& session) = 0;
  virtual plugins::Outcome unsubscribe(const std::string& broker, const std::vector<plugins::StreamKey>& keys,
                                       const plugins::Session& session) = 0;
  // The broker's token of an OpenAlgo symbol, or nullopt when its master contract lacks it.
  virtual std::optional<std::string> token_of(const std::string& broker, const std::string& symbol,
                                              const std::string& exchange) = 0;
  // The OpenAlgo symbol of a broker token, for ticks that carry only the token.
  virtual std::optional<std::string> symbol_of(const std::string& broker, const std::string& token,
                                               const std::string& exchange) = 0;
};

class PluginUpstream : public StreamUpstream {
 public:
  PluginUpstream(plugins::PluginHost& plugins, instruments::InstrumentTable& instruments)
      : plugins_(plugins), instruments_(instruments) {}

  plugins::Outcome subscribe(const std::string& broker, const std::vector<plugins::StreamKey>& keys,
                             const plugins::Session& session) override;
  plugins::Outcome unsubscribe(const std::string& broker, const std::vector<plugins::StreamKey>& keys,
                               const plugins::Session& session) override;
  std::optional<std::string> token_of(const std::string& broker, const std::string& symbol,
                                      const std::string& exchange) override;
  std::optional<std::string> symbol_of(const std::string& broker, const std::string& token,
                                       const std::string& exchange) override;

 private:
  plugins::PluginHost& plugins_;
  instruments::InstrumentTable& instruments_;
};

}  // namespace oa::feed
