#pragma once
// The vocabulary of the market-data feed: what a subscriber asks for, what it
// is told back, and how a tick reaches it.
#include <compare>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace oa::feed {

// OpenAlgo's stream modes; a higher mode carries everything a lower one does.
constexpr int kModeLtp = 1;
constexpr int kModeQuote = 2;
constexpr int kModeDepth = 3;
constexpr std::uint8_t mode_bit(int mode) { return static_cast<std::uint8_t>(1u << mode); }

using SubscriberId = std::uint64_t;

// One instrument at one broker: the unit the plugin streams.
struct LineKey {
  std::string broker, exchange, symbol;
  auto operator<=>(const LineKey&) const = default;
};

struct SymbolRequest {
  std::string exchange, symbol;
  int mode = kModeQuote;
};

struct SymbolResult {
  SymbolRequest request;
  bool ok = false;
  std::string message;  // why it failed; empty on success
};

// One broker's feed, for `openalgod feed status` and the admin endpoint.
struct BrokerFeedStatus {
  std::string broker;
  std::string state;              // "idle" (nothing subscribed), "streaming" or "reconnecting"
  std::string last_error;         // why the feed was last lost
  std::uint64_t reconnects = 0;   // successful re-subscriptions after a loss
  std::int64_t next_attempt_ms = 0;  // while reconnecting: when the next attempt runs
  std::size_t lines = 0;          // instruments subscribed upstream
  std::size_t subscriptions = 0;  // (subscriber, line, mode) held
  std::size_t subscribers = 0;
  std::int64_t last_tick_ms = 0;  // 0 = none yet
  std::uint64_t ticks = 0;
};

class TickEvent;

// Whoever receives ticks: a WebSocket client, the sandbox engine. Called on
// the thread the plugin emitted the tick on; must return without blocking.
class Subscriber {
 public:
  virtual ~Subscriber() = default;
  // `modes`: bits (mode_bit) of the modes this subscriber holds on the tick's
  // line that the tick covers; one message per bit.
  virtual void on_tick(const TickEvent& event, std::uint8_t modes) = 0;
};

}  // namespace oa::feed
