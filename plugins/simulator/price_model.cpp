#include "price_model.hpp"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <numbers>
#include <unordered_map>
#include <utility>
#include <vector>

namespace oa::simulator {
namespace {

constexpr int kWalkMemory = 300;      // days of shocks in a day's level
constexpr double kWalkDecay = 0.985;  // phi: a shock's weight after one day
constexpr std::size_t kCachedDays = 2048;
constexpr double kDaysPerYear = 365.0;

// Tags keep the noise streams of different quantities apart.
enum Tag : std::uint64_t { kDayShock = 1, kGap, kDayVolume, kSecondStep, kSecondVolume, kOpenInterest };

constexpr std::uint64_t kGolden = 0x9e3779b97f4a7c15ULL;

// splitmix64's finaliser: a bijective, well-mixed hash of one word.
std::uint64_t mix(std::uint64_t x) {
  x += kGolden;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::uint64_t mix(std::uint64_t a, std::uint64_t b) { return mix(a ^ mix(b)); }
std::uint64_t mix(std::uint64_t a, std::uint64_t b, std::uint64_t c) { return mix(a, mix(b, c)); }

double unit_interval(std::uint64_t bits) { return (static_cast<double>(bits >> 11) + 0.5) * 0x1.0p-53; }

// Box–Muller: an exact standard normal, for the few day-level draws.
double normal(std::uint64_t bits) {
  double radius = std::sqrt(-2.0 * std::log(unit_interval(bits)));
  return radius * std::cos(2.0 * std::numbers::pi * unit_interval(mix(bits)));
}

// Irwin–Hall of four 16-bit uniforms, scaled to unit variance: cheap and
// close enough to normal for per-second steps (their sums are normal anyway).
double quick_normal(std::uint64_t bits) {
  double sum = static_cast<double>((bits & 0xffff) + ((bits >> 16) & 0xffff) + ((bits >> 32) & 0xffff) + (bits >> 48));
  return (sum / 65536.0 - 2.0) * std::sqrt(3.0);
}

double standard_normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

double black_scholes(bool call, double spot, double strike, double years, double rate, double volatility) {
  double deviation = volatility * std::sqrt(years);
  double d1 = (std::log(spot / strike) + (rate + 0.5 * volatility * volatility) * years) / deviation;
  double d2 = d1 - deviation;
  double discount = strike * std::exp(-rate * years);
  if (call) return spot * standard_normal_cdf(d1) - discount * standard_normal_cdf(d2);
  return discount * standard_normal_cdf(-d2) - spot * standard_normal_cdf(-d1);
}

// The listing's price for a spot price on `day`; monotone in spot.
double listing_price(const Pricing& pricing, Day day, double spot) {
  double days_left = static_cast<double>(std::max<Day>(pricing.expiry - day, 0));
  switch (pricing.kind) {
    case Pricing::Kind::kSpot:
      return spot;
    case Pricing::Kind::kFuture:
      return spot * std::exp(pricing.rate * days_left / kDaysPerYear);
    case Pricing::Kind::kCall:
    case Pricing::Kind::kPut:
      // A quarter day of time value remains on expiry day.
      return black_scholes(pricing.kind == Pricing::Kind::kCall, spot, pricing.strike,
                           (days_left + 0.25) / kDaysPerYear, pricing.rate, pricing.volatility);
  }
  return spot;
}

double rounded_price(const Pricing& pricing, Day day, double log_spot) {
  double price = round_to_tick(listing_price(pricing, day, std::exp(log_spot)), pricing.tick);
  bool option = pricing.kind == Pricing::Kind::kCall || pricing.kind == Pricing::Kind::kPut;
  return option ? std::max(price, pricing.tick) : price;
}

}  // namespace

struct PriceModel::DayPath {
  struct Minute {
    double walk_before = 0;    // the walk at the second before the minute
    double high = 0, low = 0;  // log price extremes over the minute's seconds
    double volume_after = 0;   // cumulative volume at the minute's last second
  };
  // Per-second draws are splitmix64 sequences: one mix per draw.
  std::uint64_t step_stream = 0, volume_stream = 0;
  std::int32_t length = 0;
  double log_open = 0, log_close = 0, log_previous_close = 0;
  double walk_end = 0, second_sigma = 0, volume_rate = 0;
  std::vector<Minute> minutes;

  // The bridge: the walk pinned to log_open before second 0 and log_close at
  // the last second.
  double log_price(std::int32_t second, double walk) const {
    double progress = static_cast<double>(second + 1) / length;
    return log_open + progress * (log_close - log_open) + walk - progress * walk_end;
  }
  double step(std::int32_t second) const {
    return second_sigma * quick_normal(mix(step_stream + kGolden * static_cast<std::uint64_t>(second)));
  }
  // Volume of one second: an intraday U shape (busy open and close) times
  // noise. Fractional: a bar's volume is the floor of the cumulative sum, so
  // thinly traded instruments still trade.
  double volume(std::int32_t second) const {
    double x = 2.0 * (second + 0.5) / length - 1.0;
    double shape = 0.7 + 0.9 * x * x;
    double noise = 0.25 + 1.5 * unit_interval(mix(volume_stream + kGolden * static_cast<std::uint64_t>(second)));
    return volume_rate * shape * noise;
  }

  struct Point {
    double log_price;
    double volume;  // cumulative through this second
  };
  Point point(std::int32_t second) const {
    if (second < 0) return {log_open, 0};
    std::int32_t minute = second / 60;
    double walk = minutes[minute].walk_before;
    double volume_so_far = minute > 0 ? minutes[minute - 1].volume_after : 0;
    for (std::int32_t s = minute * 60; s <= second; ++s) {
      walk += step(s);
      volume_so_far += volume(s);
    }
    return {log_price(second, walk), volume_so_far};
  }

  // Log price extremes over seconds [first, last].
  std::pair<double, double> extremes(std::int32_t first, std::int32_t last) const {
    double high = -HUGE_VAL, low = HUGE_VAL;
    for (std::int32_t minute = first / 60; minute <= last / 60; ++minute) {
      std::int32_t begin = minute * 60, end = std::min(begin + 59, length - 1);
      if (first <= begin && end <= last) {
        high = std::max(high, minutes[minute].high);
        low = std::min(low, minutes[minute].low);
        continue;
      }
      double walk = minutes[minute].walk_before;
      for (std::int32_t s = begin; s <= std::min(end, last); ++s) {
        walk += step(s);
        if (s < first) continue;
        double price = log_price(s, walk);
        high = std::max(high, price);
        low = std::min(low, price);
      }
    }
    return {high, low};
  }
};

class PriceModel::DayCache {
 public:
  std::shared_ptr<const DayPath> find(std::uint64_t series, Day day) {
    std::lock_guard lock(mutex_);
    auto found = paths_.find({series, day});
    return found == paths_.end() ? nullptr : found->second;
  }
  // A full cache is emptied: simple, bounded, and rebuilding a day is cheap.
  void put(std::uint64_t series, Day day, std::shared_ptr<const DayPath> path) {
    std::lock_guard lock(mutex_);
    if (paths_.size() >= kCachedDays) paths_.clear();
    paths_.emplace(Key{series, day}, std::move(path));
  }

 private:
  struct Key {
    std::uint64_t series;
    Day day;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& key) const { return mix(key.series, static_cast<std::uint64_t>(key.day)); }
  };
  std::mutex mutex_;
  std::unordered_map<Key, std::shared_ptr<const DayPath>, KeyHash> paths_;
};

PriceModel::PriceModel(std::uint64_t seed) : seed_(seed), cache_(std::make_unique<DayCache>()) {}
PriceModel::~PriceModel() = default;

std::uint64_t PriceModel::noise(std::uint64_t stream, std::int64_t instant) const {
  return mix(seed_, stream, static_cast<std::uint64_t>(instant));
}

std::shared_ptr<const PriceModel::DayPath> PriceModel::day_path(const Series& series, Day day) const {
  if (auto cached = cache_->find(series.id, day)) return cached;

  auto path = std::make_shared<DayPath>();
  const std::uint64_t series_stream = mix(seed_, series.id);
  const std::int64_t n = trading_day_index(day);
  auto shock = [&](std::int64_t index) {
    return normal(mix(series_stream, kDayShock, static_cast<std::uint64_t>(index)));
  };
  double level = 0, previous_level = 0, weight = 1;
  double newer = shock(n);
  for (int k = 0; k < kWalkMemory; ++k, weight *= kWalkDecay) {
    double older = shock(n - k - 1);
    level += weight * newer;
    previous_level += weight * older;
    newer = older;
  }
  const double sigma = series.daily_volatility;
  const double log_reference = std::log(series.reference_price);
  path->log_close = log_reference + sigma * level;
  path->log_previous_close = log_reference + sigma * previous_level;
  path->log_open =
      path->log_previous_close + 0.25 * sigma * normal(mix(series_stream, kGap, static_cast<std::uint64_t>(n)));

  const std::uint64_t day_stream = mix(series_stream, static_cast<std::uint64_t>(day));
  path->step_stream = mix(day_stream, kSecondStep);
  path->volume_stream = mix(day_stream, kSecondVolume);
  path->length = series.session.length();
  path->second_sigma = sigma / std::sqrt(static_cast<double>(path->length));
  double day_volume =
      series.daily_volume * std::exp(0.3 * normal(mix(series_stream, kDayVolume, static_cast<std::uint64_t>(n))));
  path->volume_rate = day_volume / path->length;

  std::vector<double> walk(static_cast<std::size_t>(path->length));
  double running = 0;
  for (std::int32_t s = 0; s < path->length; ++s) walk[s] = running += path->step(s);
  path->walk_end = running;

  path->minutes.resize(static_cast<std::size_t>((path->length + 59) / 60));
  double volume_so_far = 0;
  for (std::size_t m = 0; m < path->minutes.size(); ++m) {
    auto& minute = path->minutes[m];
    auto begin = static_cast<std::int32_t>(m * 60);
    std::int32_t end = std::min(begin + 59, path->length - 1);
    minute.walk_before = begin > 0 ? walk[begin - 1] : 0;
    minute.high = -HUGE_VAL;
    minute.low = HUGE_VAL;
    for (std::int32_t s = begin; s <= end; ++s) {
      double price = path->log_price(s, walk[s]);
      minute.high = std::max(minute.high, price);
      minute.low = std::min(minute.low, price);
      volume_so_far += path->volume(s);
    }
    minute.volume_after = volume_so_far;
  }
  cache_->put(series.id, day, path);
  return path;
}

Bar PriceModel::bar(const Series& series, const Pricing& pricing, Day day, std::int32_t first,
                    std::int32_t last) const {
  auto path = day_path(series, day);
  auto before = path->point(first - 1);
  auto at_last = path->point(last);
  auto [high, low] = path->extremes(first, last);
  high = std::max(high, before.log_price);
  low = std::min(low, before.log_price);
  if (pricing.kind == Pricing::Kind::kPut) std::swap(high, low);

  Bar bar;
  bar.open = rounded_price(pricing, day, before.log_price);
  bar.close = rounded_price(pricing, day, at_last.log_price);
  bar.high = rounded_price(pricing, day, high);
  bar.low = rounded_price(pricing, day, low);
  // Volumes are differences of one cumulative count, so bars add up exactly.
  bar.volume = static_cast<std::int64_t>(std::floor(at_last.volume * pricing.volume_share)) -
               static_cast<std::int64_t>(std::floor(before.volume * pricing.volume_share));
  if (pricing.open_interest > 0) {
    double day_factor = 1.0 + 0.05 * normal(mix(mix(seed_, series.id), kOpenInterest, static_cast<std::uint64_t>(day)));
    double drift = 1.0 + 0.03 * (last + 1.0) / path->length;
    auto lots = std::llround(pricing.open_interest * std::max(day_factor, 0.5) * drift / pricing.lot);
    bar.oi = lots * pricing.lot;
  }
  return bar;
}

double PriceModel::previous_close(const Series& series, const Pricing& pricing, Day day) const {
  return rounded_price(pricing, previous_trading_day(day), day_path(series, day)->log_previous_close);
}

double round_to_tick(double price, double tick) {
  double value = std::round(price / tick) * tick;
  double scale = 1;
  while (scale < 1e6 && std::abs(tick * scale - std::round(tick * scale)) > 1e-9) scale *= 10;
  return std::round(value * scale) / scale;
}

std::uint64_t hash_text(std::string_view text) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) hash = (hash ^ c) * 0x100000001b3ULL;
  return hash;
}

}  // namespace oa::simulator
