#include "ticker_packets.hpp"

namespace oa::zerodha {
namespace {

std::uint32_t u32(const unsigned char* at) {
  return (std::uint32_t(at[0]) << 24) | (std::uint32_t(at[1]) << 16) | (std::uint32_t(at[2]) << 8) | at[3];
}
std::int32_t i32(const unsigned char* at) { return static_cast<std::int32_t>(u32(at)); }
std::uint16_t u16(const unsigned char* at) { return static_cast<std::uint16_t>((at[0] << 8) | at[1]); }

constexpr std::uint32_t kSegmentCds = 3;
constexpr std::uint32_t kSegmentBcd = 6;
constexpr std::uint32_t kSegmentIndices = 9;

void parse_index(const unsigned char* p, std::size_t length, TickerPacket& packet, double divisor) {
  auto& tick = packet.tick;
  tick.high = i32(p + 8) / divisor;
  tick.low = i32(p + 12) / divisor;
  tick.open = i32(p + 16) / divisor;
  tick.close = i32(p + 20) / divisor;
  packet.mode = OA_MODE_QUOTE;
  if (length >= 32) {
    tick.exchange_time_ms = std::int64_t(u32(p + 28)) * 1000;
    packet.mode = OA_MODE_DEPTH;
  }
}

void parse_quote(const unsigned char* p, TickerPacket& packet, double divisor) {
  auto& tick = packet.tick;
  tick.ltq = i32(p + 8);
  tick.average_price = i32(p + 12) / divisor;
  tick.volume = u32(p + 16);
  tick.total_buy_quantity = u32(p + 20);
  tick.total_sell_quantity = u32(p + 24);
  tick.open = i32(p + 28) / divisor;
  tick.high = i32(p + 32) / divisor;
  tick.low = i32(p + 36) / divisor;
  tick.close = i32(p + 40) / divisor;
  packet.mode = OA_MODE_QUOTE;
}

void parse_full(const unsigned char* p, TickerPacket& packet, double divisor) {
  auto& tick = packet.tick;
  tick.oi = u32(p + 48);
  tick.exchange_time_ms = std::int64_t(u32(p + 60)) * 1000;
  for (int level = 0; level < 10; ++level) {
    const unsigned char* entry = p + 64 + level * 12;
    oa_depth_level depth{i32(entry + 4) / divisor, i32(entry), u16(entry + 8)};
    if (level < 5) tick.bids[level] = depth;
    else tick.asks[level - 5] = depth;
  }
  packet.mode = OA_MODE_DEPTH;
}

}  // namespace

double price_divisor(std::uint32_t token) {
  auto segment = token & 0xFF;
  if (segment == kSegmentCds) return 10'000'000.0;
  if (segment == kSegmentBcd) return 10'000.0;
  return 100.0;
}

std::optional<std::vector<TickerPacket>> parse_ticker_frame(std::string_view frame) {
  std::vector<TickerPacket> packets;
  if (frame.size() < 2) return packets;  // heartbeat
  const auto* bytes = reinterpret_cast<const unsigned char*>(frame.data());
  std::size_t count = u16(bytes), offset = 2;
  for (std::size_t i = 0; i < count; ++i) {
    if (offset + 2 > frame.size()) return std::nullopt;
    std::size_t length = u16(bytes + offset);
    offset += 2;
    if (offset + length > frame.size()) return std::nullopt;
    const unsigned char* p = bytes + offset;
    offset += length;
    if (length < 8) continue;  // nothing Kite documents; skip rather than misread
    TickerPacket packet;
    packet.token = u32(p);
    double divisor = price_divisor(packet.token);
    packet.tick.struct_size = sizeof(oa_tick);
    packet.tick.ltp = i32(p + 4) / divisor;
    bool index = (packet.token & 0xFF) == kSegmentIndices;
    if (length < 28) packet.mode = OA_MODE_LTP;
    else if (index || length == 28 || length == 32) parse_index(p, length, packet, divisor);
    else if (length >= 184) { parse_quote(p, packet, divisor); parse_full(p, packet, divisor); }
    else if (length >= 44) parse_quote(p, packet, divisor);
    packet.tick.mode = packet.mode;
    packets.push_back(packet);
  }
  return packets;
}

}  // namespace oa::zerodha
