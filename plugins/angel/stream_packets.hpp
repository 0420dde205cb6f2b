// stream_packets.hpp — SmartStream v2's binary packets (websocket.md §6.2):
// little-endian, one packet per frame, 51 bytes in LTP mode, 123 in Quote,
// 379 in SnapQuote (5-level book, open interest, circuits). Prices stay in
// the feed's integer units here; streaming.cpp divides them per segment.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace oa::angel {

inline constexpr std::size_t kLtpPacketSize = 51;
inline constexpr std::size_t kQuotePacketSize = 123;
inline constexpr std::size_t kSnapQuotePacketSize = 379;

struct BookEntry {
  std::int64_t quantity = 0;
  std::int64_t price = 0;  // feed units
  std::int64_t orders = 0;
};

struct StreamPacket {
  int mode = 0;           // 1 LTP, 2 Quote, 3 SnapQuote
  int exchange_type = 0;  // 1 nse_cm, 2 nse_fo, 3 bse_cm, 4 bse_fo, 5 mcx_fo, 7 ncx_fo, 13 cde_fo
  std::string token;
  std::int64_t sequence = 0;
  std::int64_t exchange_time_ms = 0;
  std::int64_t ltp = 0;
  // Quote and SnapQuote
  std::int64_t last_quantity = 0, average_price = 0, volume = 0;
  double total_buy_quantity = 0, total_sell_quantity = 0;
  std::int64_t open = 0, high = 0, low = 0, close = 0;
  // SnapQuote
  std::int64_t last_trade_time = 0, open_interest = 0;
  std::array<BookEntry, 5> bids{}, asks{};
  std::int64_t upper_circuit = 0, lower_circuit = 0;
};

// The packet in one binary frame, or nullopt when the frame is not one
// (unknown mode, wrong size for its mode, e.g. Depth-20 which is not used).
std::optional<StreamPacket> parse_packet(std::string_view frame);

}  // namespace oa::angel
