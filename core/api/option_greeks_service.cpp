#include "api/option_greeks_service.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <stdexcept>

#include <boost/json.hpp>

#include "api/async_join.hpp"
#include "api/option_resolution.hpp"
#include "options/option_exchanges.hpp"

namespace oa::api {
namespace {

namespace json = boost::json;

struct ParsedOption {
  options::OptionSymbol option;
  options::ClockTime cutoff;
};

// The symbol and the expiry cut-off, or std::invalid_argument with
// "Failed to parse option symbol X: <why>".
ParsedOption parse_for_greeks(const GreeksQuery& query) {
  try {
    ParsedOption parsed{options::parse_option_symbol(query.symbol), options::expiry_cutoff(query.exchange)};
    if (query.expiry_time && !query.expiry_time->empty()) parsed.cutoff = options::parse_clock_time(*query.expiry_time);
    return parsed;
  } catch (const std::invalid_argument& error) {
    throw std::invalid_argument("Failed to parse option symbol " + query.symbol + ": " + error.what());
  }
}

GreeksReport failure(int status, std::string message) {
  return {status, json::object{{"status", "error"}, {"message", std::move(message)}}};
}

// Python's truthiness of an LTP: a missing, null or zero price is none.
std::optional<double> price_of(const json::object& quote) {
  const json::value* ltp = quote.if_contains("ltp");
  if (!ltp || !(ltp->is_double() || ltp->is_int64() || ltp->is_uint64())) return std::nullopt;
  const double price = ltp->to_number<double>();
  if (price == 0) return std::nullopt;
  return price;
}

bool given(const std::optional<std::string>& text) { return text && !text->empty(); }

// Where the underlying is quoted when there is no forward.
SymbolOnExchange spot_of(const GreeksQuery& query, const ParsedOption& parsed) {
  return {given(query.underlying_symbol) ? *query.underlying_symbol : parsed.option.base,
          given(query.underlying_exchange) ? *query.underlying_exchange
                                           : options::greeks_underlying_exchange(parsed.option.base, query.exchange)};
}

// The synthetic future stands for the forward unless the client named an
// underlying of its own (a future, say).
bool wants_synthetic(const GreeksQuery& query, const ParsedOption& parsed) {
  return !given(query.underlying_symbol) || *query.underlying_symbol == parsed.option.base;
}

GreeksRequest request_for(const MarketView& view, const GreeksQuery& query, const ParsedOption& parsed, double forward,
                          double price) {
  return {query.symbol, query.exchange, parsed.option,       parsed.cutoff,
          forward,      price,          query.interest_rate, view.now_epoch_seconds};
}

// --- one symbol -------------------------------------------------------------

void price_option(const MarketView& view, const GreeksQuery& query, const ParsedOption& parsed, double forward,
                  std::function<void(GreeksReport)> done) {
  view.quotes.quote({query.symbol, query.exchange},
                    [view, query, parsed, forward, done = std::move(done)](QuoteOutcome quote) {
                      if (!quote.ok())
                        return done(failure(quote.status, "Failed to fetch option price: " + quote.message));
                      auto price = price_of(quote.data);
                      if (!price) return done(failure(404, "Option LTP not available"));
                      done(greeks_report(request_for(view, query, parsed, forward, *price)));
                    });
}

void forward_from_spot(const MarketView& view, const GreeksQuery& query, const ParsedOption& parsed,
                       std::function<void(GreeksReport)> done) {
  view.quotes.quote(spot_of(query, parsed), [view, query, parsed, done = std::move(done)](QuoteOutcome quote) {
    if (!quote.ok()) return done(failure(quote.status, "Failed to fetch underlying price: " + quote.message));
    auto spot = price_of(quote.data);
    if (!spot) return done(failure(404, "Underlying LTP not available"));
    price_option(view, query, parsed, *spot, done);
  });
}

// --- a batch ----------------------------------------------------------------

struct BatchItem {
  GreeksQuery query;
  std::optional<ParsedOption> parsed;
  std::string parse_error;
  std::optional<double> forward;  // the synthetic future, or the spot
};

struct Batch {
  MarketView view;
  std::vector<BatchItem> items;
  std::map<std::string, double> option_prices;  // symbol -> LTP
  std::function<void(json::object)> done;
};

std::string synthetic_key(const BatchItem& item) {
  const auto& parsed = *item.parsed;
  return parsed.option.base + "|" + spot_of(item.query, parsed).exchange + "|" +
         options::expiry_code(parsed.option.expiry);
}

std::string spot_key(const SymbolOnExchange& spot) { return spot.exchange + "|" + spot.symbol; }

json::object item_error(const GreeksQuery& query, std::string message) {
  return {{"status", "error"}, {"symbol", query.symbol}, {"exchange", query.exchange}, {"message", std::move(message)}};
}

// "<n> ... failed: " or "All ... failed: " and up to three distinct messages.
std::optional<std::string> failure_summary(const json::array& data, std::size_t failed) {
  std::vector<std::string> messages;
  for (const auto& result : data) {
    const auto& object = result.get_object();
    const json::value* message = object.if_contains("message");
    if (object.at("status") != "error" || !message || !message->is_string() || message->get_string().empty()) continue;
    std::string text(message->get_string());
    if (std::find(messages.begin(), messages.end(), text) == messages.end()) messages.push_back(std::move(text));
  }
  if (failed == 0 || messages.empty()) return std::nullopt;
  std::string joined;
  for (std::size_t i = 0; i < messages.size() && i < 3; ++i) joined += (i ? "; " : "") + messages[i];
  if (failed == data.size()) return "All option Greeks calculations failed: " + joined;
  return std::to_string(failed) + " option Greeks calculation(s) failed: " + joined;
}

json::object summarise(json::array data, std::size_t succeeded, std::size_t failed) {
  auto message = failure_summary(data, failed);
  json::object body{{"status", failed == 0     ? "success"
                               : succeeded > 0 ? "partial"
                                               : "error"},
                    {"summary", json::object{{"total", data.size()}, {"success", succeeded}, {"failed", failed}}},
                    {"data", std::move(data)}};
  if (message) body["message"] = std::move(*message);
  return body;
}

void finish_batch(const std::shared_ptr<Batch>& batch) {
  json::array data;
  std::size_t succeeded = 0, failed = 0;
  for (const auto& item : batch->items) {
    const auto& query = item.query;
    auto fail = [&](std::string message) {
      ++failed;
      data.push_back(item_error(query, std::move(message)));
    };
    if (!item.parsed) {
      fail(item.parse_error);
      continue;
    }
    if (!item.forward) {
      fail("Failed to fetch underlying price for " + spot_of(query, *item.parsed).symbol);
      continue;
    }
    auto price = batch->option_prices.find(query.symbol);
    if (price == batch->option_prices.end()) {
      fail("Option LTP not available");
      continue;
    }
    auto request = request_for(batch->view, query, *item.parsed, *item.forward, price->second);
    auto report = greeks_report(request);
    if (report.status == 200 || report.expired) {
      ++succeeded;
      data.push_back(report.status == 200 ? std::move(report.body) : expired_greeks_report(request));
      continue;
    }
    ++failed;
    report.body.emplace("symbol", query.symbol);
    report.body.emplace("exchange", query.exchange);
    data.push_back(std::move(report.body));
  }
  batch->done(summarise(std::move(data), succeeded, failed));
}

void price_options(const std::shared_ptr<Batch>& batch) {
  std::vector<SymbolOnExchange> options;
  for (const auto& item : batch->items)
    if (item.parsed) options.push_back({item.query.symbol, item.query.exchange});
  if (options.empty()) return finish_batch(batch);
  batch->view.quotes.multiquote(std::move(options), [batch](MultiQuoteOutcome quotes) {
    for (const auto& item : quotes.results)
      if (item.data)
        if (auto price = price_of(*item.data)) batch->option_prices[item.symbol] = *price;
    finish_batch(batch);
  });
}

// One quote per distinct underlying still without a forward.
void quote_spots(const std::shared_ptr<Batch>& batch) {
  std::map<std::string, SymbolOnExchange> wanted;
  for (const auto& item : batch->items)
    if (item.parsed && !item.forward) {
      auto spot = spot_of(item.query, *item.parsed);
      wanted.emplace(spot_key(spot), spot);
    }
  auto keys = std::make_shared<std::vector<std::pair<std::string, SymbolOnExchange>>>(wanted.begin(), wanted.end());
  join_all<QuoteOutcome>(
      keys->size(),
      [batch, keys](std::size_t i, std::function<void(QuoteOutcome)> report) {
        batch->view.quotes.quote((*keys)[i].second, std::move(report));
      },
      [batch, keys](std::vector<QuoteOutcome> quotes) {
        std::map<std::string, double> spots;
        for (std::size_t i = 0; i < quotes.size(); ++i)
          if (quotes[i].ok())
            if (auto spot = price_of(quotes[i].data)) spots[(*keys)[i].first] = *spot;
        for (auto& item : batch->items) {
          if (!item.parsed || item.forward) continue;
          if (auto found = spots.find(spot_key(spot_of(item.query, *item.parsed))); found != spots.end())
            item.forward = found->second;
        }
        price_options(batch);
      });
}

// One synthetic future per distinct underlying and expiry.
void compute_synthetics(const std::shared_ptr<Batch>& batch) {
  std::map<std::string, const BatchItem*> wanted;
  for (const auto& item : batch->items)
    if (item.parsed && wants_synthetic(item.query, *item.parsed)) wanted.emplace(synthetic_key(item), &item);
  auto keys = std::make_shared<std::vector<std::pair<std::string, const BatchItem*>>>(wanted.begin(), wanted.end());
  join_all<SyntheticFuture>(
      keys->size(),
      [batch, keys](std::size_t i, std::function<void(SyntheticFuture)> report) {
        const BatchItem& item = *(*keys)[i].second;
        const auto& option = item.parsed->option;
        synthetic_future(batch->view, option.base, spot_of(item.query, *item.parsed).exchange,
                         options::expiry_code(option.expiry), std::move(report));
      },
      [batch, keys](std::vector<SyntheticFuture> futures) {
        std::map<std::string, double> forwards;
        for (std::size_t i = 0; i < futures.size(); ++i)
          if (futures[i].ok() && futures[i].price != 0) forwards[(*keys)[i].first] = futures[i].price;
        for (auto& item : batch->items) {
          if (!item.parsed || !wants_synthetic(item.query, *item.parsed)) continue;
          if (auto found = forwards.find(synthetic_key(item)); found != forwards.end()) item.forward = found->second;
        }
        quote_spots(batch);
      });
}

}  // namespace

void single_option_greeks(const MarketView& view, GreeksQuery query, std::function<void(GreeksReport)> done) {
  ParsedOption parsed;
  try {
    parsed = parse_for_greeks(query);
  } catch (const std::invalid_argument& error) {
    return done(failure(400, error.what()));
  }
  if (query.forward_price && *query.forward_price != 0)
    return price_option(view, query, parsed, *query.forward_price, std::move(done));
  if (!wants_synthetic(query, parsed)) return forward_from_spot(view, query, parsed, std::move(done));
  const auto& option = parsed.option;
  synthetic_future(view, option.base, spot_of(query, parsed).exchange, options::expiry_code(option.expiry),
                   [view, query, parsed, done = std::move(done)](SyntheticFuture synthetic) {
                     if (synthetic.ok() && synthetic.price != 0)
                       return price_option(view, query, parsed, synthetic.price, done);
                     forward_from_spot(view, query, parsed, done);
                   });
}

void multi_option_greeks(const MarketView& view, std::vector<GreeksQuery> queries,
                         std::function<void(json::object)> done) {
  auto batch = std::make_shared<Batch>(Batch{view, {}, {}, std::move(done)});
  for (auto& query : queries) {
    BatchItem item{std::move(query), std::nullopt, {}, std::nullopt};
    try {
      item.parsed = parse_for_greeks(item.query);
    } catch (const std::invalid_argument& error) {
      item.parse_error = error.what();
    }
    batch->items.push_back(std::move(item));
  }
  compute_synthetics(batch);
}

}  // namespace oa::api
