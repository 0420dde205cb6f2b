#pragma once
// What one options request sees of the market: the user's broker quotes and
// one snapshot of that broker's master contract, indexed for option lookups.
#include <cstdint>
#include <memory>
#include <optional>

#include "api/api_context.hpp"
#include "api/broker_quotes.hpp"
#include "options/option_chain_index.hpp"

namespace oa::api {

struct MarketView {
  BrokerQuotes quotes;
  std::shared_ptr<const options::OptionChainIndex> chains;  // never null
  bool knows_user = false;       // false: the API key matched no user, every quote fails with 403
  double now_epoch_seconds = 0;  // when the request came: time to expiry is measured from here
};

// Makes the views; keeps each broker's option index until its master changes.
class OptionsMarket {
 public:
  explicit OptionsMarket(const ApiContext& context) : context_(context) {}
  // The user's broker, or no broker at all when `user_id` is empty.
  MarketView view_for(std::optional<std::int64_t> user_id);

 private:
  const ApiContext& context_;
  options::OptionChainCache cache_;
};

}  // namespace oa::api
