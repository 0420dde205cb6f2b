#include "stream_packets.hpp"

#include <cstring>

namespace oa::angel {
namespace {

// Reads little-endian fields whatever the host's byte order.
template <class T>
T read_le(std::string_view frame, std::size_t offset) {
  unsigned char bytes[sizeof(T)];
  std::memcpy(bytes, frame.data() + offset, sizeof(T));
  std::uint64_t value = 0;
  for (std::size_t i = sizeof(T); i-- > 0;) value = (value << 8) | bytes[i];
  if constexpr (std::is_same_v<T, double>) {
    double out;
    std::memcpy(&out, &value, sizeof out);
    return out;
  } else {
    return static_cast<T>(value);
  }
}

std::int64_t i64(std::string_view frame, std::size_t offset) { return read_le<std::int64_t>(frame, offset); }

std::size_t size_of_mode(int mode) {
  if (mode == 1) return kLtpPacketSize;
  if (mode == 2) return kQuotePacketSize;
  if (mode == 3) return kSnapQuotePacketSize;
  return 0;
}

// The best-five block: ten 20-byte entries, each {flag u16, qty i64, price i64, orders u16};
// flag 1 is the buy side, 0 the sell side.
void read_book(std::string_view frame, StreamPacket& packet) {
  std::size_t bids = 0, asks = 0;
  for (std::size_t i = 0; i < 10; ++i) {
    std::size_t at = 147 + i * 20;
    BookEntry entry{i64(frame, at + 2), i64(frame, at + 10), read_le<std::uint16_t>(frame, at + 18)};
    bool buy = read_le<std::uint16_t>(frame, at) != 0;
    if (buy && bids < 5) packet.bids[bids++] = entry;
    if (!buy && asks < 5) packet.asks[asks++] = entry;
  }
}

}  // namespace

std::optional<StreamPacket> parse_packet(std::string_view frame) {
  if (frame.size() < kLtpPacketSize) return std::nullopt;
  StreamPacket packet;
  packet.mode = static_cast<unsigned char>(frame[0]);
  if (frame.size() != size_of_mode(packet.mode)) return std::nullopt;
  packet.exchange_type = static_cast<unsigned char>(frame[1]);
  auto token = frame.substr(2, 25);
  packet.token = std::string(token.substr(0, token.find('\0')));
  packet.sequence = i64(frame, 27);
  packet.exchange_time_ms = i64(frame, 35);
  packet.ltp = i64(frame, 43);
  if (packet.mode == 1) return packet;
  packet.last_quantity = i64(frame, 51);
  packet.average_price = i64(frame, 59);
  packet.volume = i64(frame, 67);
  packet.total_buy_quantity = read_le<double>(frame, 75);
  packet.total_sell_quantity = read_le<double>(frame, 83);
  packet.open = i64(frame, 91);
  packet.high = i64(frame, 99);
  packet.low = i64(frame, 107);
  packet.close = i64(frame, 115);
  if (packet.mode == 2) return packet;
  packet.last_trade_time = i64(frame, 123);
  packet.open_interest = i64(frame, 131);  // 139 is the OI change (a double), not the OI
  read_book(frame, packet);
  packet.upper_circuit = i64(frame, 347);
  packet.lower_circuit = i64(frame, 355);
  return packet;
}

}  // namespace oa::angel
