#include "api/rate_limit.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <sodium.h>

#include "api/json_reply.hpp"

namespace oa::api {
namespace {

using TimePoint = std::chrono::steady_clock::time_point;

constexpr std::size_t kIdleEvictionsPerRequest = 8;  // keeps each request's share of the clean-up O(1)
// Refill arithmetic in doubles: a bucket this close to a whole token has it.
constexpr double kTokenEpsilon = 1e-9;

struct Unit {
  int seconds;
  const char* name;
};
constexpr Unit kUnits[] = {{86400, "day"}, {3600, "hour"}, {60, "minute"}, {1, "second"}};

double capacity(const config::RateLimit& limit) { return static_cast<double>(limit.count); }

// Seconds the bucket of `limit` needs to gain `tokens`.
double seconds_to_gain(const config::RateLimit& limit, double tokens) {
  return tokens * limit.window_seconds / capacity(limit);
}

TimePoint after(TimePoint from, double seconds) {
  return from + std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(seconds));
}

}  // namespace

std::string describe_limit(const config::RateLimit& limit) {
  for (const auto& unit : kUnits)
    if (limit.window_seconds % unit.seconds == 0)
      return std::to_string(limit.count) + " per " + std::to_string(limit.window_seconds / unit.seconds) + " " +
             unit.name;
  return std::to_string(limit.count) + " per " + std::to_string(limit.window_seconds) + " second";
}

net::HttpResponse too_many_requests(const RateRefusal& refusal) {
  auto reply = error_reply(429, "Rate limit exceeded: " + refusal.limit);
  reply.headers.emplace_back("Retry-After", std::to_string(refusal.retry_after.count()));
  return reply;
}

RateLimiter::Limits rate_limits(const config::Config& config) {
  // OpenAlgo stacks the per-minute and per-hour login limits on one route.
  auto login = config.get_rate("LOGIN_RATE_LIMIT_MIN");
  for (const auto& part : config.get_rate("LOGIN_RATE_LIMIT_HOUR")) login.push_back(part);
  return {{RateClass::Api, config.get_rate("API_RATE_LIMIT")},
          {RateClass::Order, config.get_rate("ORDER_RATE_LIMIT")},
          {RateClass::SmartOrder, config.get_rate("SMART_ORDER_RATE_LIMIT")},
          {RateClass::Greeks, config.get_rate("GREEKS_RATE_LIMIT")},
          {RateClass::Login, std::move(login)}};
}

RateLimiter::RateLimiter(Limits limits, std::size_t max_buckets, Clock clock)
    : limits_(std::move(limits)),
      // Two buckets of one request may share a shard; both must fit at once.
      per_shard_(std::max<std::size_t>(2, (max_buckets + kShards - 1) / kShards)),
      clock_(clock ? std::move(clock) : Clock(&std::chrono::steady_clock::now)) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
  randombytes_buf(hash_key_.data(), hash_key_.size());
}

std::size_t RateLimiter::BucketKeyHash::operator()(const BucketKey& key) const noexcept {
  // The identity is already a keyed hash; mixing the route in is enough.
  return static_cast<std::size_t>(key.identity ^ (key.route * 0x9E3779B97F4A7C15ULL) ^ (key.by_address ? 1 : 0));
}

std::uint64_t RateLimiter::identity(std::string_view value) const {
  static_assert(crypto_shorthash_BYTES == sizeof(std::uint64_t) && crypto_shorthash_KEYBYTES == 16);
  std::uint64_t out = 0;
  crypto_shorthash(reinterpret_cast<unsigned char*>(&out), reinterpret_cast<const unsigned char*>(value.data()),
                   value.size(), hash_key_.data());
  return out;
}

RateLimiter::Shard& RateLimiter::shard_for(const BucketKey& key) {
  return shards_[BucketKeyHash{}(key) % kShards];
}

void RateLimiter::make_room(Shard& shard, std::size_t room, TimePoint now) {
  for (std::size_t i = 0; i < kIdleEvictionsPerRequest && !shard.recent.empty() && shard.recent.back().full_at <= now;
       ++i) {
    shard.index.erase(shard.recent.back().key);
    shard.recent.pop_back();
  }
  while (!shard.recent.empty() && shard.recent.size() + room > per_shard_) {
    shard.index.erase(shard.recent.back().key);
    shard.recent.pop_back();
  }
}

RateLimiter::Bucket& RateLimiter::touch(Shard& shard, const BucketKey& key,
                                        const std::vector<config::RateLimit>& limits, TimePoint now) {
  auto found = shard.index.find(key);
  if (found == shard.index.end()) {
    std::vector<double> full;
    for (const auto& limit : limits) full.push_back(capacity(limit));
    shard.recent.push_front(Bucket{key, std::move(full), now, now});
    shard.index.emplace(key, shard.recent.begin());
    return shard.recent.front();
  }
  shard.recent.splice(shard.recent.begin(), shard.recent, found->second);
  refill(shard.recent.front(), limits, now);
  return shard.recent.front();
}

void RateLimiter::refill(Bucket& bucket, const std::vector<config::RateLimit>& limits, TimePoint now) {
  const double elapsed = std::chrono::duration<double>(now - bucket.updated).count();
  if (elapsed <= 0) return;
  for (std::size_t i = 0; i < limits.size(); ++i) {
    const double gained = elapsed * limits[i].count / limits[i].window_seconds;  // multiply first: exact on whole ticks
    bucket.tokens[i] = std::min(capacity(limits[i]), bucket.tokens[i] + gained);
  }
  bucket.updated = now;
}

std::optional<RateRefusal> RateLimiter::refusal(std::span<Bucket* const> buckets,
                                                const std::vector<config::RateLimit>& limits) {
  std::optional<std::size_t> first_exhausted;
  double wait_seconds = 0;
  for (std::size_t i = 0; i < limits.size(); ++i)
    for (const Bucket* bucket : buckets) {
      if (bucket->tokens[i] >= 1 - kTokenEpsilon) continue;
      if (!first_exhausted) first_exhausted = i;
      wait_seconds = std::max(wait_seconds, seconds_to_gain(limits[i], 1 - bucket->tokens[i]));
    }
  if (!first_exhausted) return std::nullopt;
  auto retry = std::max<long long>(1, static_cast<long long>(std::ceil(wait_seconds - kTokenEpsilon)));
  return RateRefusal{describe_limit(limits[*first_exhausted]), std::chrono::seconds(retry)};
}

void RateLimiter::take_token(Bucket& bucket, const std::vector<config::RateLimit>& limits, TimePoint now) {
  double refill_seconds = 0;
  for (std::size_t i = 0; i < limits.size(); ++i) {
    bucket.tokens[i] = std::max(0.0, bucket.tokens[i] - 1);
    refill_seconds = std::max(refill_seconds, seconds_to_gain(limits[i], capacity(limits[i]) - bucket.tokens[i]));
  }
  bucket.full_at = after(now, refill_seconds);
}

std::optional<RateRefusal> RateLimiter::over_limit(RateClass rate_class, std::size_t route, std::string_view api_key,
                                                   std::string_view client_ip) {
  auto found = limits_.find(rate_class);
  if (rate_class == RateClass::None || found == limits_.end() || found->second.empty()) return std::nullopt;
  const auto& limits = found->second;
  const auto now = clock_();
  const bool has_key = !api_key.empty();
  const BucketKey by_address{identity(client_ip), route, true};
  const BucketKey by_key{has_key ? identity(api_key) : 0, route, false};
  Shard& address_shard = shard_for(by_address);
  Shard& key_shard = has_key ? shard_for(by_key) : address_shard;
  const bool one_shard = &address_shard == &key_shard;

  std::unique_lock address_lock(address_shard.mutex, std::defer_lock);
  std::unique_lock key_lock(key_shard.mutex, std::defer_lock);
  if (one_shard) address_lock.lock();
  else std::lock(address_lock, key_lock);
  make_room(address_shard, one_shard && has_key ? 2 : 1, now);
  if (!one_shard) make_room(key_shard, 1, now);

  std::array<Bucket*, 2> buckets{&touch(address_shard, by_address, limits, now), nullptr};
  if (has_key) buckets[1] = &touch(key_shard, by_key, limits, now);
  std::span<Bucket* const> in_use(buckets.data(), has_key ? 2 : 1);
  if (auto refused = refusal(in_use, limits)) return refused;
  for (Bucket* bucket : in_use) take_token(*bucket, limits, now);
  return std::nullopt;
}

std::size_t RateLimiter::bucket_count() const {
  std::size_t count = 0;
  for (const auto& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    count += shard.recent.size();
  }
  return count;
}

}  // namespace oa::api
