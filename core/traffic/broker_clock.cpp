#include "traffic/broker_clock.hpp"

namespace oa::traffic {
namespace {

thread_local std::shared_ptr<BrokerClock> current;

}  // namespace

void BrokerClock::call_started() {
  std::lock_guard lock(mutex_);
  if (running_++ == 0) since_ = Clock::now();
}

void BrokerClock::call_finished() {
  std::lock_guard lock(mutex_);
  if (running_ == 0) return;
  if (--running_ == 0) total_ += Clock::now() - since_;
}

std::chrono::microseconds BrokerClock::elapsed() const {
  std::lock_guard lock(mutex_);
  auto total = total_;
  if (running_ > 0) total += Clock::now() - since_;
  return std::chrono::duration_cast<std::chrono::microseconds>(total);
}

const std::shared_ptr<BrokerClock>& current_broker_clock() { return current; }

BrokerClockScope::BrokerClockScope(std::shared_ptr<BrokerClock> clock) : previous_(std::move(current)) {
  current = std::move(clock);
}

BrokerClockScope::~BrokerClockScope() { current = std::move(previous_); }

}  // namespace oa::traffic
