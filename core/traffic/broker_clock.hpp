#pragma once
// How long one request waited on brokers, measured where the plugin host calls
// the plugin, so the traffic log can tell the daemon's own time from the
// broker's round trip.
#include <chrono>
#include <memory>
#include <mutex>

namespace oa::traffic {

// Wall time during which at least one plugin call of one request was running.
// A request's calls may overlap (multiquotes asks several at once): counting
// their union keeps broker time within the request's total time.
class BrokerClock {
 public:
  using Clock = std::chrono::steady_clock;

  void call_started();
  void call_finished();
  // Up to now: a call still running counts until now.
  std::chrono::microseconds elapsed() const;

 private:
  mutable std::mutex mutex_;
  int running_ = 0;
  Clock::time_point since_;
  Clock::duration total_{0};
};

// The clock of the request whose code runs on this thread now (null outside a
// request). The router sets it around a handler; the plugin host captures it
// when a call starts and sets it again around the call's completion, so calls
// made from a completion are charged to the same request.
const std::shared_ptr<BrokerClock>& current_broker_clock();

class BrokerClockScope {
 public:
  explicit BrokerClockScope(std::shared_ptr<BrokerClock> clock);
  ~BrokerClockScope();
  BrokerClockScope(const BrokerClockScope&) = delete;
  BrokerClockScope& operator=(const BrokerClockScope&) = delete;

 private:
  std::shared_ptr<BrokerClock> previous_;
};

}  // namespace oa::traffic
