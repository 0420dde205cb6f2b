#include "net/ws_frame.hpp"

#include <cstring>

namespace oa::net::ws {

namespace {

constexpr std::uint8_t kFin = 0x80;
constexpr std::uint8_t kReservedBits = 0x70;
constexpr std::uint8_t kOpcodeBits = 0x0f;
constexpr std::uint8_t kMasked = 0x80;

bool is_control(Opcode opcode) { return static_cast<std::uint8_t>(opcode) >= 8; }

bool known_opcode(std::uint8_t opcode) { return opcode <= 2 || (opcode >= 8 && opcode <= 10); }

// RFC 6455 §7.4: the codes a peer may send in a close frame.
bool sendable_close_code(std::uint16_t code) {
  if (code >= 3000 && code <= 4999) return true;
  return code >= 1000 && code <= 1014 && code != 1004 && code != 1005 && code != 1006;
}

std::uint16_t read_u16(const char* bytes) {
  return static_cast<std::uint16_t>((static_cast<std::uint8_t>(bytes[0]) << 8) | static_cast<std::uint8_t>(bytes[1]));
}

// Length of the UTF-8 sequence a lead byte starts, 0 when it cannot start one.
std::size_t sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

}  // namespace

void append_frame_header(std::string& out, Opcode opcode, std::size_t payload_size) {
  char header[10];
  header[0] = static_cast<char>(kFin | static_cast<std::uint8_t>(opcode));
  std::size_t size = 2;
  if (payload_size < 126) {
    header[1] = static_cast<char>(payload_size);
  } else if (payload_size <= 0xffff) {
    header[1] = 126;
    header[2] = static_cast<char>(payload_size >> 8);
    header[3] = static_cast<char>(payload_size);
    size = 4;
  } else {
    header[1] = 127;
    for (int i = 0; i < 8; ++i) header[2 + i] = static_cast<char>(static_cast<std::uint64_t>(payload_size) >> (56 - 8 * i));
    size = 10;
  }
  out.append(header, size);
}

void append_frame(std::string& out, Opcode opcode, std::string_view payload) {
  append_frame_header(out, opcode, payload.size());
  out.append(payload);
}

std::string close_payload(std::uint16_t code, std::string_view reason) {
  std::size_t fits = std::min(reason.size(), kMaxControlPayload - 2);
  // Back up to the start of a UTF-8 sequence so the cut reason stays valid text.
  while (fits > 0 && fits < reason.size() && (static_cast<unsigned char>(reason[fits]) & 0xc0) == 0x80) --fits;
  std::string payload;
  payload.push_back(static_cast<char>(code >> 8));
  payload.push_back(static_cast<char>(code));
  payload.append(reason.substr(0, fits));
  return payload;
}

bool valid_utf8(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t size = text.size();
  for (std::size_t i = 0; i < size;) {
    if (bytes[i] < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = sequence_length(bytes[i]);
    if (length == 0 || i + length > size) return false;
    for (std::size_t k = 1; k < length; ++k)
      if ((bytes[i + k] & 0xc0) != 0x80) return false;
    // Overlong three- and four-byte forms, UTF-16 surrogates, and code points past U+10FFFF.
    if (bytes[i] == 0xe0 && bytes[i + 1] < 0xa0) return false;
    if (bytes[i] == 0xed && bytes[i + 1] >= 0xa0) return false;
    if (bytes[i] == 0xf0 && bytes[i + 1] < 0x90) return false;
    if (bytes[i] == 0xf4 && bytes[i + 1] >= 0x90) return false;
    i += length;
  }
  return true;
}

std::uint16_t FrameParser::feed(std::string_view bytes, Sink& sink) {
  if (failed_) return failed_;
  pending_.append(bytes);
  std::size_t consumed = 0;
  for (;;) {
    std::string_view rest(pending_.data() + consumed, pending_.size() - consumed);
    Header header;
    std::size_t header_size = parse_header(rest, header);
    if (header_size == 0) break;
    if (auto code = check(header)) return code;
    if (rest.size() - header_size < header.length) break;
    char* payload = pending_.data() + consumed + header_size;
    auto length = static_cast<std::size_t>(header.length);
    for (std::size_t i = 0; i < length; ++i) payload[i] = static_cast<char>(payload[i] ^ header.mask[i & 3]);
    consumed += header_size + length;
    if (auto code = deliver(header, std::string_view(payload, length), sink)) return code;
  }
  pending_.erase(0, consumed);
  return 0;
}

std::size_t FrameParser::parse_header(std::string_view bytes, Header& header) {
  if (bytes.size() < 2) return 0;
  auto first = static_cast<std::uint8_t>(bytes[0]);
  auto second = static_cast<std::uint8_t>(bytes[1]);
  std::size_t size = 2;
  std::uint64_t length = second & 0x7f;
  if (length == 126) size += 2;
  if (length == 127) size += 8;
  header.masked = (second & kMasked) != 0;
  if (header.masked) size += 4;
  if (bytes.size() < size) return 0;
  if (length == 126) length = read_u16(bytes.data() + 2);
  if (length == 127) {
    length = 0;
    for (int i = 0; i < 8; ++i) length = (length << 8) | static_cast<std::uint8_t>(bytes[2 + i]);
  }
  header.fin = (first & kFin) != 0;
  header.reserved = (first & kReservedBits) != 0;
  header.opcode = static_cast<Opcode>(first & kOpcodeBits);
  header.length = length;
  if (header.masked) std::memcpy(header.mask, bytes.data() + size - 4, 4);
  return size;
}

std::uint16_t FrameParser::check(const Header& header) {
  if (header.reserved) return fail(kCloseProtocolError, "reserved bits set without an extension");
  if (!header.masked) return fail(kCloseProtocolError, "client frames must be masked");
  auto opcode = static_cast<std::uint8_t>(header.opcode);
  if (!known_opcode(opcode)) return fail(kCloseProtocolError, "unknown opcode " + std::to_string(opcode));
  if (is_control(header.opcode)) {
    if (!header.fin) return fail(kCloseProtocolError, "fragmented control frame");
    if (header.length > kMaxControlPayload) return fail(kCloseProtocolError, "control frame payload over 125 bytes");
    return 0;
  }
  if (header.opcode == Opcode::Continuation && !in_message_)
    return fail(kCloseProtocolError, "continuation frame without a message to continue");
  if (header.opcode != Opcode::Continuation && in_message_)
    return fail(kCloseProtocolError, "new message before the previous one ended");
  if (header.length > max_message_bytes_ || message_.size() + header.length > max_message_bytes_)
    return fail(kCloseTooBig, "message larger than " + std::to_string(max_message_bytes_) + " bytes");
  return 0;
}

std::uint16_t FrameParser::deliver(const Header& header, std::string_view payload, Sink& sink) {
  switch (header.opcode) {
    case Opcode::Ping:
      sink.on_ping(payload);
      return 0;
    case Opcode::Pong:
      sink.on_pong(payload);
      return 0;
    case Opcode::Close: {
      if (payload.size() == 1) return fail(kCloseProtocolError, "close frame with a one-byte payload");
      if (payload.empty()) {
        sink.on_close(kCloseNoStatus, {});
        return 0;
      }
      auto code = read_u16(payload.data());
      auto reason = payload.substr(2);
      if (!sendable_close_code(code)) return fail(kCloseProtocolError, "invalid close code " + std::to_string(code));
      if (!valid_utf8(reason)) return fail(kCloseInvalidPayload, "close reason is not UTF-8");
      sink.on_close(code, reason);
      return 0;
    }
    default:
      break;
  }
  if (header.opcode != Opcode::Continuation) message_binary_ = header.opcode == Opcode::Binary;
  if (header.fin && !in_message_) return finish_message(payload, sink);
  in_message_ = true;
  message_.append(payload);
  if (!header.fin) return 0;
  in_message_ = false;
  std::string whole;
  whole.swap(message_);
  return finish_message(whole, sink);
}

std::uint16_t FrameParser::finish_message(std::string_view data, Sink& sink) {
  if (!message_binary_ && !valid_utf8(data)) return fail(kCloseInvalidPayload, "text message is not UTF-8");
  sink.on_message(data, message_binary_);
  return 0;
}

std::uint16_t FrameParser::fail(std::uint16_t code, std::string reason) {
  if (!failed_) {
    failed_ = code;
    error_ = std::move(reason);
  }
  return failed_;
}

}  // namespace oa::net::ws
