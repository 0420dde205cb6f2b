// price_model.hpp — the simulator's deterministic prices.
//
// Every price is a pure function of (seed, series, time): two processes with
// the same seed show the same market, so history is reproducible and a quote
// at an instant equals the close of the history bar that ends there.
//
// A series is a spot price path. Day level: the log close of trading day n is
// log(reference) + sigma_d * sum_k phi^k eps(n-k) (k < 300), a random walk
// that slowly reverts to the reference, so prices stay realistic for years.
// Second level: within a session the path is a Brownian bridge from the day's
// open (the previous close plus a small gap) to that close, one point per
// second; point -1 is the open. Volumes accrue per second.
//
// A listing (equity, index, future, option) maps its series' spot through a
// Pricing. Time to expiry is fixed per trading day, so within a day every
// mapping is monotone in spot: the high of a bar maps from the spot high (the
// spot low for puts), and bars of any width agree with each other exactly.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "market_calendar.hpp"

namespace oa::simulator {

struct Series {
  std::string key;              // "EQ:RELIANCE", "NSE_INDEX:NIFTY", "MCX:CRUDEOIL"
  std::uint64_t id = 0;         // hash_text(key)
  double reference_price = 0;   // the level the walk reverts to
  double daily_volatility = 0;  // stdev of a day's log return
  double daily_volume = 0;      // units traded on an average day
  Session session;
};

struct Pricing {
  enum class Kind { kSpot, kFuture, kCall, kPut };
  Kind kind = Kind::kSpot;
  double strike = 0;
  double rate = 0;        // per year: carry of a future, risk-free rate of an option
  double volatility = 0;  // per year, options only
  Day expiry = 0;         // futures and options
  double tick = 0.05;
  double volume_share = 1;         // of the series' volume; 0 for indices
  std::int64_t open_interest = 0;  // typical open interest in units; 0 when none
  std::int64_t lot = 1;
};

struct Bar {
  double open = 0, high = 0, low = 0, close = 0;
  std::int64_t volume = 0;
  std::int64_t oi = 0;
};

class PriceModel {
 public:
  explicit PriceModel(std::uint64_t seed);
  ~PriceModel();
  PriceModel(const PriceModel&) = delete;
  PriceModel& operator=(const PriceModel&) = delete;

  // The listing's bar over session seconds [first, last] of trading day
  // `day`: open is the price at second first-1 (the day's open when first is
  // 0), close the price at `last`. Thread-safe.
  Bar bar(const Series& series, const Pricing& pricing, Day day, std::int32_t first, std::int32_t last) const;
  // The listing's close of the trading day before `day`.
  double previous_close(const Series& series, const Pricing& pricing, Day day) const;
  // Deterministic 64-bit noise for details derived per instant (spreads, depth).
  std::uint64_t noise(std::uint64_t stream, std::int64_t instant) const;

 private:
  struct DayPath;
  class DayCache;
  std::shared_ptr<const DayPath> day_path(const Series& series, Day day) const;

  std::uint64_t seed_;
  std::unique_ptr<DayCache> cache_;
};

// Rounds to a multiple of `tick`, then to the tick's decimals, so 1187.35
// prints as 1187.35 and not 1187.3500000000001.
double round_to_tick(double price, double tick);
// FNV-1a: stable across processes and builds.
std::uint64_t hash_text(std::string_view text);

}  // namespace oa::simulator
