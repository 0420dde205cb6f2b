// simulator_plugin.cpp — the offline default broker: a deterministic market
// (quotes, depth, history, master contract, stream) with no network and no
// account. It places no orders: with the simulator active the daemon runs
// orders in its sandbox. Its margin calculator prices a basket by the
// sandbox's leverage rules.
#include <charconv>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "instrument_master.hpp"
#include "margin_calculator.hpp"
#include "market_data.hpp"
#include "openalgo_plugin.hpp"
#include "price_model.hpp"
#include "streaming.hpp"

namespace oa::simulator {
namespace {

namespace json = boost::json;
using oa::sdk::Error;

const char* const kConfigKeys[] = {"SIMULATOR_SEED", "SIMULATOR_TICK_MS", nullptr};

const oa_manifest kManifest = {
    sizeof(oa_manifest),
    "simulator",
    "Simulator",
    "1.0.0",
    OA_AUTH_NONE,
    kConfigKeys,
    OA_CAP_QUOTES | OA_CAP_MULTIQUOTES | OA_CAP_DEPTH | OA_CAP_HISTORY | OA_CAP_MASTER_CONTRACT | OA_CAP_MARKET_STREAM |
        OA_CAP_MARGIN,
    kHistoryIntervals,
};

constexpr std::uint64_t kDefaultSeed = 42;
constexpr std::uint32_t kDefaultTickMs = 1000;
constexpr std::uint32_t kMinimumTickMs = 50;

std::uint64_t config_number(const oa::sdk::Host& host, const char* key, std::uint64_t fallback) {
  auto text = host.config(key);
  if (!text || text->empty()) return fallback;
  std::uint64_t value = 0;
  auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc() || end != text->data() + text->size())
    throw Error(OA_ERR_INVALID_ARGUMENT,
                std::string(key) + " must be a non-negative whole number, not '" + std::string(*text) + "'");
  return value;
}

std::uint32_t tick_period(oa::sdk::Host& host) {
  std::uint64_t period = config_number(host, "SIMULATOR_TICK_MS", kDefaultTickMs);
  if (period >= kMinimumTickMs) return static_cast<std::uint32_t>(std::min<std::uint64_t>(period, UINT32_MAX));
  host.warn("SIMULATOR_TICK_MS=" + std::to_string(period) + " is below the minimum; streaming every " +
            std::to_string(kMinimumTickMs) + " ms");
  return kMinimumTickMs;
}

Day date_field(const json::object& request, std::string_view key) {
  auto text = oa::sdk::text_field(request, key);
  auto day = parse_iso_date(text);
  if (!day)
    throw Error(OA_ERR_INVALID_ARGUMENT,
                "'" + std::string(key) + "' must be a date YYYY-MM-DD, not '" + std::string(text) + "'");
  return *day;
}

class Simulator : public oa::sdk::Broker {
 public:
  explicit Simulator(oa::sdk::Host& host)
      : Broker(host),
        seed_(config_number(host, "SIMULATOR_SEED", kDefaultSeed)),
        model_(seed_),
        master_(std::make_shared<const InstrumentMaster>(host.now_ms())),
        streaming_(host, model_, tick_period(host)) {
    host.info("simulator ready: " + std::to_string(master_->listings().size()) + " instruments, seed " +
              std::to_string(seed_));
  }

  json::value quotes(const oa::sdk::Call&, const json::object& request) override {
    return quote_document(snapshot(request));
  }

  json::value depth(const oa::sdk::Call&, const json::object& request) override {
    return depth_document(snapshot(request));
  }

  json::value multiquotes(const oa::sdk::Call&, const json::object& request) override {
    const json::value* symbols = request.if_contains("symbols");
    if (!symbols || !symbols->is_array()) throw Error(OA_ERR_INVALID_ARGUMENT, "'symbols' must be a list");
    json::array results;
    for (const auto& item : symbols->get_array()) {
      if (!item.is_object()) throw Error(OA_ERR_INVALID_ARGUMENT, "each of 'symbols' must be an object");
      const auto& wanted = item.get_object();
      json::object result{{"symbol", oa::sdk::text_field(wanted, "symbol")},
                          {"exchange", oa::sdk::text_field(wanted, "exchange")}};
      try {
        result["data"] = quote_document(snapshot(wanted));
      } catch (const Error& error) {
        result["error"] = error.what();
      }
      results.push_back(std::move(result));
    }
    return json::object{{"results", std::move(results)}};
  }

  // request {"positions": [{symbol, exchange, action, quantity, product, pricetype, price, trigger_price}]}
  json::value margin(const oa::sdk::Call&, const json::object& request) override {
    const json::value* positions = request.if_contains("positions");
    if (!positions || !positions->is_array()) throw Error(OA_ERR_INVALID_ARGUMENT, "'positions' must be a list");
    std::vector<MarginPosition> priced;
    for (const auto& item : positions->get_array()) {
      if (!item.is_object()) throw Error(OA_ERR_INVALID_ARGUMENT, "each of 'positions' must be an object");
      const auto& position = item.get_object();
      auto [master, listing] = require(position);
      auto number = [&position](const char* key) {
        const json::value* value = position.if_contains(key);
        return value && value->is_number() ? value->to_number<double>() : 0.0;
      };
      priced.push_back({listing->row.instrumenttype, std::string(oa::sdk::text_field(position, "product")),
                        std::string(oa::sdk::text_field(position, "pricetype")), number("quantity"), number("price"),
                        number("trigger_price"),
                        take_snapshot(model_, master->series_of(*listing), *listing, host().now_ms()).ltp});
    }
    return margin_document(priced);
  }

  json::value history(const oa::sdk::Call&, const json::object& request) override {
    auto [master, listing] = require(request);
    return history_document(model_, master->series_of(*listing), *listing, oa::sdk::text_field(request, "interval"),
                            date_field(request, "start_date"), date_field(request, "end_date"), host().now_ms());
  }

  // Lists the contracts as of today's date, and serves them from now on.
  std::size_t master_contract(const oa::sdk::Call&, oa::sdk::InstrumentSink& sink) override {
    auto fresh = std::make_shared<const InstrumentMaster>(host().now_ms());
    for (const auto& listing : fresh->listings()) sink.add(listing.row);
    std::lock_guard lock(master_mutex_);
    master_ = std::move(fresh);
    return sink.count();
  }

  void subscribe(const oa::sdk::Call&, const std::vector<oa::sdk::Subscription>& items) override {
    streaming_.subscribe(resolve(items));
  }

  void unsubscribe(const oa::sdk::Call&, const std::vector<oa::sdk::Subscription>& items) override {
    streaming_.unsubscribe(items);
  }

 private:
  struct Found {
    std::shared_ptr<const InstrumentMaster> master;
    const Listing* listing;
  };

  std::shared_ptr<const InstrumentMaster> master() const {
    std::lock_guard lock(master_mutex_);
    return master_;
  }

  Found require(const json::object& request) const {
    auto symbol = oa::sdk::text_field(request, "symbol");
    auto exchange = oa::sdk::text_field(request, "exchange");
    auto current = master();
    const Listing* listing = current->find(exchange, symbol);
    if (!listing)
      throw Error(OA_ERR_NOT_FOUND, "Symbol " + std::string(symbol) + " not found on " + std::string(exchange));
    return {std::move(current), listing};
  }

  Snapshot snapshot(const json::object& request) const {
    auto [master, listing] = require(request);
    return take_snapshot(model_, master->series_of(*listing), *listing, host().now_ms());
  }

  // By symbol, else by token. One unknown instrument fails the whole call.
  std::vector<StreamItem> resolve(const std::vector<oa::sdk::Subscription>& items) const {
    auto current = master();
    std::vector<StreamItem> resolved;
    for (const auto& item : items) {
      const Listing* listing = item.symbol.empty() ? current->find_by_token(item.exchange, item.token)
                                                   : current->find(item.exchange, item.symbol);
      if (!listing)
        throw Error(OA_ERR_NOT_FOUND, "Symbol " + (item.symbol.empty() ? "token " + item.token : item.symbol) +
                                          " not found on " + item.exchange);
      resolved.push_back({current, listing, item.mode});
    }
    return resolved;
  }

  const std::uint64_t seed_;
  PriceModel model_;
  mutable std::mutex master_mutex_;
  std::shared_ptr<const InstrumentMaster> master_;
  Streaming streaming_;
};

}  // namespace
}  // namespace oa::simulator

OA_EXPORT_PLUGIN(oa::simulator::Simulator, oa::simulator::kManifest)
