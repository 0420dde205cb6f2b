#include "api/broker_quotes.hpp"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "api/async_join.hpp"

namespace oa::api {
namespace {

namespace json = boost::json;

constexpr std::string_view kInvalidKey = "Invalid openalgo apikey";
constexpr std::string_view kMalformed = "The broker plugin returned malformed data";

QuoteOutcome quote_failure(int status, std::string_view message) { return {status, std::string(message), {}}; }

std::optional<json::value> parse(const std::string& text) {
  boost::system::error_code ec;
  auto value = json::parse(text, ec);
  if (ec) return std::nullopt;
  return value;
}

QuoteOutcome quote_from(const std::string& broker, const plugins::Outcome& outcome) {
  if (!outcome.ok()) return quote_failure(http_status_for(outcome.status), outcome.message);
  auto document = parse(outcome.json);
  if (!document || !document->is_object()) {
    spdlog::error("options: broker '{}' answered quotes with something other than a JSON object", broker);
    return quote_failure(500, kMalformed);
  }
  return {200, {}, std::move(document->as_object())};
}

std::string text_of(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

// {"results":[{symbol, exchange, data} | {symbol, exchange, error}]}
std::optional<std::vector<QuoteItem>> items_from(const std::string& text) {
  auto document = parse(text);
  const json::value* results =
      document && document->is_object() ? document->as_object().if_contains("results") : nullptr;
  if (!results || !results->is_array()) return std::nullopt;
  std::vector<QuoteItem> items;
  for (const auto& entry : results->get_array()) {
    if (!entry.is_object()) return std::nullopt;
    const auto& object = entry.get_object();
    QuoteItem item{text_of(object, "symbol"), text_of(object, "exchange"), std::nullopt, text_of(object, "error")};
    if (const json::value* data = object.if_contains("data"); data && data->is_object()) item.data = data->get_object();
    items.push_back(std::move(item));
  }
  return items;
}

}  // namespace

const json::object* MultiQuoteOutcome::data_for(std::string_view symbol) const {
  for (const auto& item : results)
    if (item.symbol == symbol && item.data) return &*item.data;
  return nullptr;
}

BrokerQuotes::BrokerQuotes(const ApiContext& context, std::optional<BrokerRoute> route,
                           std::shared_ptr<const instruments::InstrumentIndex> master)
    : context_(&context), route_(std::move(route)), master_(std::move(master)) {}

// C.5.1: the symbol must be in the broker's master contract.
std::optional<std::string> BrokerQuotes::unknown_symbol(const SymbolOnExchange& item) const {
  if (master_ && master_->by_symbol(item.symbol, item.exchange)) return std::nullopt;
  return "Symbol '" + item.symbol + "' not found for exchange '" + item.exchange +
         "'. Please verify the symbol name and ensure master contracts are downloaded.";
}

void BrokerQuotes::quote(const SymbolOnExchange& item, std::function<void(QuoteOutcome)> done) const {
  if (!route_) return done(quote_failure(403, kInvalidKey));
  if (auto problem = unknown_symbol(item)) return done(quote_failure(400, *problem));
  auto request = json::serialize(json::object{{"symbol", item.symbol}, {"exchange", item.exchange}});
  context_->plugins.call(route_->broker, plugins::Operation::Quotes, std::move(request), route_->session,
                         [broker = route_->broker, done = std::move(done)](plugins::Outcome outcome) {
                           done(quote_from(broker, outcome));
                         });
}

void BrokerQuotes::multiquote(std::vector<SymbolOnExchange> items, std::function<void(MultiQuoteOutcome)> done) const {
  if (!route_) return done({403, std::string(kInvalidKey), {}});
  std::vector<QuoteItem> results;
  std::vector<SymbolOnExchange> known;
  for (auto& item : items) {
    if (auto problem = unknown_symbol(item))
      results.push_back({item.symbol, item.exchange, std::nullopt, *problem});
    else
      known.push_back(std::move(item));
  }
  if (known.empty()) return done({400, results.empty() ? "No valid symbols provided" : results.front().error, {}});
  auto manifest = context_->plugins.manifest(route_->broker);
  if (!manifest || !(manifest->capabilities & OA_CAP_MULTIQUOTES))
    return quote_each(std::move(known), std::move(results), std::move(done));

  json::array symbols;
  for (const auto& item : known) symbols.push_back(json::object{{"symbol", item.symbol}, {"exchange", item.exchange}});
  context_->plugins.call(route_->broker, plugins::Operation::Multiquotes,
                         json::serialize(json::object{{"symbols", std::move(symbols)}}), route_->session,
                         [broker = route_->broker, results = std::move(results),
                          done = std::move(done)](plugins::Outcome outcome) mutable {
                           if (!outcome.ok()) return done({http_status_for(outcome.status), outcome.message, {}});
                           auto answered = items_from(outcome.json);
                           if (!answered) {
                             spdlog::error("options: broker '{}' answered multiquotes without a 'results' list",
                                           broker);
                             return done({500, std::string(kMalformed), {}});
                           }
                           for (auto& item : *answered) results.push_back(std::move(item));
                           done({200, {}, std::move(results)});
                         });
}

void BrokerQuotes::quote_each(std::vector<SymbolOnExchange> known, std::vector<QuoteItem> results,
                              std::function<void(MultiQuoteOutcome)> done) const {
  auto wanted = std::make_shared<const std::vector<SymbolOnExchange>>(std::move(known));
  join_all<QuoteOutcome>(
      wanted->size(),
      [this, wanted](std::size_t i, std::function<void(QuoteOutcome)> report) {
        quote((*wanted)[i], std::move(report));
      },
      [wanted, results = std::move(results), done = std::move(done)](std::vector<QuoteOutcome> outcomes) mutable {
        for (std::size_t i = 0; i < outcomes.size(); ++i) {
          auto& outcome = outcomes[i];
          QuoteItem item{(*wanted)[i].symbol, (*wanted)[i].exchange, std::nullopt, outcome.message};
          if (outcome.ok()) item.data = std::move(outcome.data);
          results.push_back(std::move(item));
        }
        done({200, {}, std::move(results)});
      });
}

}  // namespace oa::api
