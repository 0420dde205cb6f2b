// streaming.hpp — the simulator's market stream: the set of subscribed
// (listing, mode) and one host timer that emits a tick for each of them every
// period, built from the same snapshot as quotes and depth.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "instrument_master.hpp"
#include "openalgo_plugin.hpp"
#include "price_model.hpp"

namespace oa::simulator {

// A subscription resolved against the master. It keeps its master alive, so
// it keeps ticking across a master refresh.
struct StreamItem {
  std::shared_ptr<const InstrumentMaster> master;
  const Listing* listing = nullptr;
  oa_stream_mode mode = OA_MODE_LTP;
};

class Streaming {
 public:
  Streaming(oa::sdk::Host& host, const PriceModel& model, std::uint32_t period_ms);
  ~Streaming();
  Streaming(const Streaming&) = delete;
  Streaming& operator=(const Streaming&) = delete;

  // Both thread-safe. The timer runs while anything is subscribed.
  void subscribe(const std::vector<StreamItem>& items);
  // Matches by exchange, mode and symbol (or token when the symbol is empty)
  // among what is subscribed, so a contract gone from a refreshed master can
  // still be unsubscribed.
  void unsubscribe(const std::vector<oa::sdk::Subscription>& items);

 private:
  using Items = std::map<std::string, StreamItem>;  // by "exchange:token:mode"
  void emit_ticks() const;

  oa::sdk::Host& host_;
  const PriceModel& model_;
  const std::uint32_t period_ms_;

  // Held across a whole subscribe/unsubscribe, timer start/stop included;
  // never taken by the timer, so stopping the timer cannot deadlock with it.
  std::mutex changes_mutex_;
  std::uint64_t timer_id_ = 0;

  // The timer reads a snapshot of the items; changes replace it.
  mutable std::mutex items_mutex_;
  std::shared_ptr<const Items> items_ = std::make_shared<Items>();
};

}  // namespace oa::simulator
