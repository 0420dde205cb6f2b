#pragma once
// Quotes from the user's broker with the semantics of OpenAlgo's internal
// quotes service, which its option services call (rest_api.md A.5, C.5.1,
// C.5.2): a key that matches no user fails every call with 403 "Invalid
// openalgo apikey", a symbol outside the master contract with 400, a broker
// failure with its status. Asynchronous: callbacks run on a plugin worker
// thread (or at once for a failure found before asking the broker); nothing
// here waits.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "api/api_context.hpp"

namespace oa::api {

struct SymbolOnExchange {
  std::string symbol, exchange;
};

struct QuoteOutcome {
  int status = 200;          // OpenAlgo's HTTP status for a failure
  std::string message;       // why it failed
  boost::json::object data;  // the quote: ltp, bid, ask, open, high, low, prev_close, volume, oi
  bool ok() const { return status == 200; }
};

struct QuoteItem {
  std::string symbol, exchange;
  std::optional<boost::json::object> data;  // the quote, or
  std::string error;                        // why this symbol has none
};

struct MultiQuoteOutcome {
  int status = 200;
  std::string message;
  std::vector<QuoteItem> results;  // unknown symbols first, then the broker's answers
  bool ok() const { return status == 200; }
  // The quote that came back for `symbol`, or null.
  const boost::json::object* data_for(std::string_view symbol) const;
};

class BrokerQuotes {
 public:
  // `route` is empty when the API key belongs to no user; `master` is the
  // broker's master-contract snapshot the request works with (may be null).
  BrokerQuotes(const ApiContext& context, std::optional<BrokerRoute> route,
               std::shared_ptr<const instruments::InstrumentIndex> master);

  void quote(const SymbolOnExchange& item, std::function<void(QuoteOutcome)> done) const;
  // One multiquotes call when the broker declares it, else one quotes call
  // per symbol, all under way at once.
  void multiquote(std::vector<SymbolOnExchange> items, std::function<void(MultiQuoteOutcome)> done) const;

 private:
  std::optional<std::string> unknown_symbol(const SymbolOnExchange& item) const;
  void quote_each(std::vector<SymbolOnExchange> known, std::vector<QuoteItem> results,
                  std::function<void(MultiQuoteOutcome)> done) const;

  const ApiContext* context_;
  std::optional<BrokerRoute> route_;
  std::shared_ptr<const instruments::InstrumentIndex> master_;
};

}  // namespace oa::api
