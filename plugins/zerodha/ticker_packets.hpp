// ticker_packets.hpp — Kite's binary ticker frames (websocket.md §6.1): a
// 1-byte heartbeat, or big-endian uint16 packet count, then per packet a
// uint16 length and that many bytes. Packet length says what it carries:
// 8 LTP, 28 index quote, 32 index full, 44 quote, 184 full (5-level depth).
//
// Done right where OpenAlgo is not: prices are divided by the segment's own
// divisor (CDS 10^7, BCD 10^4, else 100; OpenAlgo always uses 100), OI comes
// from bytes 48-52 (not 180-184), index packets keep their OHLC, and the
// exchange timestamp is the packet's own.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "openalgo_plugin.h"

namespace oa::zerodha {

struct TickerPacket {
  std::uint32_t token = 0;
  oa_stream_mode mode = OA_MODE_LTP;  // what the packet carries
  oa_tick tick{};                     // every field but symbol/exchange/token
};

// Kite's price divisor for an instrument token (segment = token & 0xFF).
double price_divisor(std::uint32_t token);

// The packets of one binary frame. An empty list for a heartbeat. nullopt
// when the frame is malformed (lengths running past its end).
std::optional<std::vector<TickerPacket>> parse_ticker_frame(std::string_view frame);

}  // namespace oa::zerodha
