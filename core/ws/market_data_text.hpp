#pragma once
// The market_data message of OpenAlgo's feed protocol (websocket.md §2.3.5),
// written straight from a tick, in json.dumps' layout. The data payload
// follows the project-wide key set (§4.3, Zerodha's): a mode's payload holds
// only that mode's fields, so a Depth line serves an LTP subscriber an LTP
// message, not the full depth packet OpenAlgo forwards.
#include <cstdint>
#include <string>

#include "feed/feed_types.hpp"
#include "openalgo_plugin.h"

namespace oa::ws {

// `received_ms` is the host's receive time, sent as data.timestamp;
// data.ltt is the exchange's time of the tick.
std::string market_data_text(const feed::LineKey& line, const oa_tick& tick, int mode, std::int64_t received_ms);

}  // namespace oa::ws
