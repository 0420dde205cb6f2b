#include "app/sandbox_market.hpp"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

namespace oa::app {
namespace {

namespace json = boost::json;

double number(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value && value->is_number() ? value->to_number<double>() : 0.0;
}

}  // namespace

api::BrokerRoute SandboxMarket::PriceSource::route() const {
  auto name = broker();
  auto with = session(name);
  return {std::move(name), std::move(with)};
}

// The feed subscriber: hands ticks to the sink, which can be withdrawn safely.
class SandboxMarket::Receiver : public feed::Subscriber {
 public:
  void on_tick(const feed::TickEvent& event, std::uint8_t) override {
    std::lock_guard lock(mutex_);
    if (sink_) sink_(event.line().symbol, event.line().exchange, quote_of(event.tick()));
  }
  void set(TickSink sink) {
    std::lock_guard lock(mutex_);
    sink_ = std::move(sink);
  }

 private:
  std::mutex mutex_;
  TickSink sink_;
};

SandboxMarket::SandboxMarket(plugins::PluginHost& plugins, instruments::InstrumentTable& instruments,
                             feed::MarketFeed& feed, PriceSource source)
    : plugins_(plugins),
      instruments_(instruments),
      feed_(feed),
      source_(std::move(source)),
      receiver_(std::make_shared<Receiver>()) {
  feed_id_ = feed_.attach(receiver_);
}

SandboxMarket::~SandboxMarket() {
  receiver_->set({});
  feed_.detach(feed_id_);
}

void SandboxMarket::set_tick_sink(TickSink sink) { receiver_->set(std::move(sink)); }

std::optional<sandbox::Instrument> SandboxMarket::instrument(const std::string& symbol, const std::string& exchange) {
  auto index = instruments_.current(source_.broker());
  const instruments::Instrument* row = index ? index->by_symbol(symbol, exchange) : nullptr;
  if (!row) return std::nullopt;
  sandbox::Instrument out;
  out.symbol = row->symbol;
  out.exchange = row->exchange;
  out.instrument_type = row->instrumenttype;
  out.expiry = row->expiry;
  out.lot_size = row->lotsize > 0 ? row->lotsize : 1;
  out.tick_size = row->tick_size > 0 ? row->tick_size : 0.05;
  out.contract_value = row->contract_value > 0 ? row->contract_value : 1;
  return out;
}

void SandboxMarket::fetch_quote(const std::string& symbol, const std::string& exchange,
                                std::function<void(std::optional<sandbox::Quote>)> done) {
  auto request = json::serialize(json::object{{"symbol", symbol}, {"exchange", exchange}});
  auto route = source_.route();
  plugins_.call(route.broker, plugins::Operation::Quotes, std::move(request), std::move(route.session),
                [done = std::move(done)](plugins::Outcome outcome) {
                  boost::system::error_code ec;
                  auto document = outcome.ok() ? json::parse(outcome.json, ec) : json::value();
                  if (!outcome.ok() || ec || !document.is_object()) return done(std::nullopt);
                  const auto& quote = document.as_object();
                  done(sandbox::Quote{number(quote, "ltp"), number(quote, "bid"), number(quote, "ask"), 0});
                });
}

void SandboxMarket::watch(const std::string& symbol, const std::string& exchange) {
  api::BrokerRoute route;
  {
    std::lock_guard lock(mutex_);
    auto& watch = watched_[{symbol, exchange}];
    if (watch.watchers++ > 0) return;
    route = source_.route();
    watch.broker = route.broker;
  }
  feed_.subscribe(feed_id_, route.broker, route.session, {{exchange, symbol, feed::kModeQuote}},
                  [](std::vector<feed::SymbolResult> results) {
                    for (const auto& result : results)
                      if (!result.ok)
                        spdlog::warn("sandbox: no ticks for {} {}: {}", result.request.symbol, result.request.exchange,
                                     result.message);
                  });
}

void SandboxMarket::release(const std::string& symbol, const std::string& exchange) {
  std::string broker;
  {
    std::lock_guard lock(mutex_);
    auto found = watched_.find({symbol, exchange});
    if (found == watched_.end() || --found->second.watchers > 0) return;
    broker = std::move(found->second.broker);
    watched_.erase(found);
  }
  feed_.unsubscribe(feed_id_, broker, {{exchange, symbol, feed::kModeQuote}});
}

sandbox::Quote SandboxMarket::quote_of(const oa_tick& tick) {
  return {tick.ltp, tick.bids[0].price, tick.asks[0].price, tick.exchange_time_ms};
}

}  // namespace oa::app
