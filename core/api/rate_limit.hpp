#pragma once
// OpenAlgo's per-route request limits (rest_api.md A.7), as token buckets
// that never make a request wait: over the limit it is refused at once.
//
// Each route counts separately, as each Flask-Limiter decorated resource does,
// and a request counts against two buckets of its route: its API key's and its
// client address's. Both must have room; then both pay. A compound limit
// ("10 per second;40 per minute") keeps one bucket per part, all enforced.
// A bucket of "N per W" holds N tokens and refills N per W continuously.
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "config/config.hpp"
#include "net/http_types.hpp"

namespace oa::api {

// Which of OpenAlgo's limits a route uses.
enum class RateClass {
  Api,         // API_RATE_LIMIT: every /api/v1 route not named below
  Order,       // ORDER_RATE_LIMIT: place/modify/cancel order, options orders, GTT writers
  SmartOrder,  // SMART_ORDER_RATE_LIMIT: placesmartorder
  Greeks,      // GREEKS_RATE_LIMIT: optiongreeks
  Login,       // LOGIN_RATE_LIMIT_MIN and LOGIN_RATE_LIMIT_HOUR: the broker login callbacks
  None,        // not limited: /health, the web UI
};

struct RateRefusal {
  std::string limit;                 // the part that ran out, worded as Flask-Limiter does: "10 per 1 second"
  std::chrono::seconds retry_after;  // until every exhausted bucket has a token again, rounded up
};

class RateLimiter {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  using Limits = std::map<RateClass, std::vector<config::RateLimit>>;  // a class without limits is not limited

  static constexpr std::size_t kDefaultMaxBuckets = 65536;

  // At most `max_buckets` buckets (rounded up to a multiple of the shard count)
  // are kept: idle ones, back at full, are dropped as they are met; past the
  // bound the least recently used one goes, which only ever forgives requests.
  explicit RateLimiter(Limits limits, std::size_t max_buckets = kDefaultMaxBuckets, Clock clock = {});

  // Counts one request to `route` (any number that names the route) from
  // `api_key` (empty when the request carries none) and `client_ip`; or, when
  // either bucket is empty, counts nothing and says why.
  std::optional<RateRefusal> over_limit(RateClass rate_class, std::size_t route, std::string_view api_key,
                                   std::string_view client_ip);

  std::size_t bucket_count() const;

 private:
  static constexpr std::size_t kShards = 16;

  struct BucketKey {
    std::uint64_t identity;  // keyed hash of the API key or the address: no key is kept in memory
    std::size_t route;
    bool by_address;
    bool operator==(const BucketKey&) const = default;
  };
  struct BucketKeyHash {
    std::size_t operator()(const BucketKey& key) const noexcept;
  };
  struct Bucket {
    BucketKey key;
    std::vector<double> tokens;  // one per part of the limit
    std::chrono::steady_clock::time_point updated;
    std::chrono::steady_clock::time_point full_at;  // from then on it is as good as a new bucket
  };
  struct Shard {
    mutable std::mutex mutex;
    std::list<Bucket> recent;  // most recently used first
    std::unordered_map<BucketKey, std::list<Bucket>::iterator, BucketKeyHash> index;
  };

  std::uint64_t identity(std::string_view value) const;
  Shard& shard_for(const BucketKey& key);
  // Drops idle buckets from the cold end and, past the bound, the coldest, so
  // that `room` new buckets fit.
  void make_room(Shard& shard, std::size_t room, std::chrono::steady_clock::time_point now);
  // The key's bucket, refilled up to `now`, made the most recent.
  Bucket& touch(Shard& shard, const BucketKey& key, const std::vector<config::RateLimit>& limits,
                std::chrono::steady_clock::time_point now);
  static void refill(Bucket& bucket, const std::vector<config::RateLimit>& limits,
                     std::chrono::steady_clock::time_point now);
  // Why one of the buckets cannot take a request now, if one cannot.
  static std::optional<RateRefusal> refusal(std::span<Bucket* const> buckets,
                                            const std::vector<config::RateLimit>& limits);
  static void take_token(Bucket& bucket, const std::vector<config::RateLimit>& limits,
                         std::chrono::steady_clock::time_point now);

  Limits limits_;
  std::size_t per_shard_;
  Clock clock_;
  std::array<unsigned char, 16> hash_key_{};
  std::array<Shard, kShards> shards_;
};

// API_RATE_LIMIT, ORDER_RATE_LIMIT, SMART_ORDER_RATE_LIMIT, GREEKS_RATE_LIMIT and the two login limits.
RateLimiter::Limits rate_limits(const config::Config& config);

// Flask-Limiter's wording of one limit: "10 per 1 second", "30 per 1 minute".
std::string describe_limit(const config::RateLimit& limit);

// 429 {"status":"error","message":"Rate limit exceeded: 10 per 1 second"} with
// Retry-After. OpenAlgo's body is restx's {"message": "10 per 1 second"}
// without the header; the standard envelope keeps that text for SDK users.
net::HttpResponse too_many_requests(const RateRefusal& refusal);

}  // namespace oa::api
