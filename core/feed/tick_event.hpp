#pragma once
// One tick on its way to subscribers. Its text for each mode is written at
// most once, by the first subscriber that needs it, and then shared by every
// other: fan-out copies a pointer, never the bytes.
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "feed/feed_types.hpp"
#include "openalgo_plugin.h"

namespace oa::feed {

using Frame = std::shared_ptr<const std::string>;
// Writes the client message for `tick` on `line` at `mode` (the WebSocket
// protocol's market_data); `received_ms` is when the host got the tick.
using TickFormatter = std::function<std::string(const LineKey& line, const oa_tick& tick, int mode,
                                                std::int64_t received_ms)>;

class TickEvent {
 public:
  TickEvent(const LineKey& line, std::uint64_t line_id, const oa_tick& tick, std::int64_t received_ms,
            const TickFormatter& format)
      : line_(line), line_id_(line_id), tick_(tick), received_ms_(received_ms), format_(format) {}
  TickEvent(const TickEvent&) = delete;
  TickEvent& operator=(const TickEvent&) = delete;

  const LineKey& line() const { return line_; }
  // Stable for the line's life: with the mode, a key for conflating updates.
  std::uint64_t line_id() const { return line_id_; }
  const oa_tick& tick() const { return tick_; }
  std::int64_t received_ms() const { return received_ms_; }
  // The shared text of this tick for subscribers at `mode` (1..3). Fan-out is
  // single-threaded per event, so the cache needs no lock.
  const Frame& frame(int mode) const;

 private:
  const LineKey& line_;
  std::uint64_t line_id_;
  const oa_tick& tick_;
  std::int64_t received_ms_;
  const TickFormatter& format_;
  mutable std::array<Frame, 4> frames_;
};

}  // namespace oa::feed
