#include "feed/stream_upstream.hpp"

namespace oa::feed {

plugins::Outcome PluginUpstream::subscribe(const std::string& broker, const std::vector<plugins::StreamKey>& keys,
                                           const plugins::Session& session) {
  return plugins_.subscribe(broker, keys, session);
}

plugins::Outcome PluginUpstream::unsubscribe(const std::string& broker, const std::vector<plugins::StreamKey>& keys,
                                             const plugins::Session& session) {
  return plugins_.unsubscribe(broker, keys, session);
}

std::optional<std::string> PluginUpstream::token_of(const std::string& broker, const std::string& symbol,
                                                    const std::string& exchange) {
  auto index = instruments_.current(broker);
  const instruments::Instrument* row = index ? index->by_symbol(symbol, exchange) : nullptr;
  if (!row) return std::nullopt;
  return row->token;
}

std::optional<std::string> PluginUpstream::symbol_of(const std::string& broker, const std::string& token,
                                                     const std::string& exchange) {
  auto index = instruments_.current(broker);
  const instruments::Instrument* row = index ? index->by_token(token, exchange) : nullptr;
  if (!row) return std::nullopt;
  return row->symbol;
}

}  // namespace oa::feed
