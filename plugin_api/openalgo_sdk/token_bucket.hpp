// token_bucket.hpp — a broker's published request limit ("3 per second") as a
// token bucket that never waits: a request over the limit is refused at once
// with OA_ERR_RATE_LIMITED and how long until it would pass, so no worker
// thread ever sleeps on a broker's pacing.
#pragma once

#include <algorithm>
#include <cstdint>
#include <mutex>
#include <string>

#include "openalgo_plugin.hpp"

namespace oa::sdk {

class TokenBucket {
 public:
  // `per_second` requests a second, at most `burst` at once (the bucket's size).
  TokenBucket(std::string name, double per_second, double burst)
      : name_(std::move(name)), per_second_(per_second), burst_(burst), tokens_(burst) {}

  // Takes one token at `now_ms`, or returns the milliseconds until one is there.
  std::int64_t take(std::int64_t now_ms) {
    std::lock_guard lock(mutex_);
    refill(now_ms);
    if (tokens_ >= 1.0) {
      tokens_ -= 1.0;
      return 0;
    }
    return static_cast<std::int64_t>((1.0 - tokens_) * 1000.0 / per_second_) + 1;
  }

  // Takes one token or throws Error(OA_ERR_RATE_LIMITED) naming the limit.
  void take_or_throw(std::int64_t now_ms) {
    auto wait_ms = take(now_ms);
    if (wait_ms == 0) return;
    throw Error(OA_ERR_RATE_LIMITED, "the broker allows " + describe() + " for " + name_ + "; retry in " +
                                         std::to_string(wait_ms) + " ms");
  }

  // The most requests it lets through at once.
  double burst() const { return burst_; }

  std::string describe() const {
    auto whole = static_cast<long long>(per_second_);
    return (static_cast<double>(whole) == per_second_ ? std::to_string(whole) : std::to_string(per_second_)) +
           " request(s) per second";
  }

 private:
  void refill(std::int64_t now_ms) {
    if (last_ms_ != 0 && now_ms > last_ms_) tokens_ = std::min(burst_, tokens_ + (now_ms - last_ms_) * per_second_ / 1000.0);
    if (now_ms > last_ms_) last_ms_ = now_ms;
  }

  std::string name_;
  double per_second_;
  double burst_;
  std::mutex mutex_;
  double tokens_;
  std::int64_t last_ms_ = 0;
};

}  // namespace oa::sdk
