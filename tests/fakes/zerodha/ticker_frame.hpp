#pragma once
// Building Kite ticker frames (websocket.md §6.1), for the fake's feed and the
// packet parser's tests: big-endian words, packets with their lengths.
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace oa::test {

inline void put32(std::string& out, std::uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((value >> shift) & 0xFF);
}

inline void put16(std::string& out, std::uint16_t value) {
  out += static_cast<char>(value >> 8);
  out += static_cast<char>(value & 0xFF);
}

inline std::string words(std::initializer_list<std::uint32_t> values) {
  std::string out;
  for (auto value : values) put32(out, value);
  return out;
}

// uint16 count, then per packet a uint16 length and the packet.
inline std::string ticker_frame(const std::vector<std::string>& packets) {
  std::string frame;
  put16(frame, static_cast<std::uint16_t>(packets.size()));
  for (const auto& packet : packets) {
    put16(frame, static_cast<std::uint16_t>(packet.size()));
    frame += packet;
  }
  return frame;
}

}  // namespace oa::test
