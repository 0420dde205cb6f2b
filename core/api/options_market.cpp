#include "api/options_market.hpp"

#include <chrono>

namespace oa::api {

MarketView OptionsMarket::view_for(std::optional<std::int64_t> user_id) {
  const double now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  if (!user_id) {
    return {BrokerQuotes(context_, std::nullopt, nullptr), std::make_shared<const options::OptionChainIndex>(nullptr),
            false, now};
  }
  auto route = context_.route_for(*user_id);
  auto master = context_.instruments.current(route.broker);
  auto chains = cache_.index_for(route.broker, master);
  return {BrokerQuotes(context_, std::move(route), std::move(master)), std::move(chains), true, now};
}

}  // namespace oa::api
