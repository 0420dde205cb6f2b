// instrument_master.hpp — the simulator's instruments in OpenAlgo's
// symbology: the bundled equities and indices (data/instruments.csv,
// compiled into the library) plus futures and options generated with
// expiries relative to a date, each with the price series it follows.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "market_calendar.hpp"
#include "openalgo_plugin.hpp"
#include "price_model.hpp"

namespace oa::simulator {

struct Listing {
  oa::sdk::Instrument row;
  std::size_t series = 0;  // index into InstrumentMaster::series()
  Pricing pricing;
};

// Immutable once built; shared between threads.
class InstrumentMaster {
 public:
  // The master as listed on the IST date of `now_ms`.
  explicit InstrumentMaster(std::int64_t now_ms);

  const Listing* find(std::string_view exchange, std::string_view symbol) const;
  const Listing* find_by_token(std::string_view exchange, std::string_view token) const;
  const std::vector<Listing>& listings() const { return listings_; }
  const Series& series_of(const Listing& listing) const { return series_[listing.series]; }
  Day listed_on() const { return listed_on_; }

 private:
  void add_bundled_rows();
  void add_derivatives();
  std::size_t series_index(const std::string& key, double reference, double volatility, double daily_volume,
                           const Session& session);
  void add(Listing listing);

  Day listed_on_;
  std::vector<Series> series_;
  std::vector<Listing> listings_;
  std::unordered_map<std::string, std::size_t> series_by_key_;
  std::unordered_map<std::string, std::size_t> by_symbol_;  // "NSE:SBIN"
  std::unordered_map<std::string, std::size_t> by_token_;   // "NSE:10001"
};

}  // namespace oa::simulator
