#pragma once
// The WebSocket wire format (RFC 6455 §5) as the server side speaks it: frame
// headers for what it sends, and a parser for what clients send. No I/O here.
//
// The feed server writes its own frames so that a client's whole queue goes out
// in one write: a server frame is a 2–10 byte header in front of a payload that
// every subscriber shares, where a general-purpose library writes (and
// syscalls) once per message.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace oa::net::ws {

enum class Opcode : std::uint8_t { Continuation = 0, Text = 1, Binary = 2, Close = 8, Ping = 9, Pong = 10 };

// Close codes of RFC 6455 §7.4.1 the protocol layer itself sends.
constexpr std::uint16_t kCloseNormal = 1000;
constexpr std::uint16_t kCloseProtocolError = 1002;
constexpr std::uint16_t kCloseInvalidPayload = 1007;  // text that is not UTF-8
constexpr std::uint16_t kCloseTooBig = 1009;
constexpr std::uint16_t kCloseNoStatus = 1005;        // never sent: a close frame without a code

constexpr std::size_t kMaxControlPayload = 125;

// Appends an unmasked frame (FIN set) carrying `payload` to `out`.
void append_frame(std::string& out, Opcode opcode, std::string_view payload);
// Appends only the header of such a frame; the caller appends the payload.
void append_frame_header(std::string& out, Opcode opcode, std::size_t payload_size);
// A close frame's payload: the code, then the reason cut to fit a control frame
// without splitting a UTF-8 sequence.
std::string close_payload(std::uint16_t code, std::string_view reason);

bool valid_utf8(std::string_view text);

// Incremental parser of client frames: masked (a client must mask), no
// extensions, fragmented messages reassembled, control frames between
// fragments. Feed it bytes as they arrive; it calls the sink for each complete
// message and control frame, and stops at the first protocol violation.
class FrameParser {
 public:
  struct Sink {
    virtual ~Sink() = default;
    virtual void on_message(std::string_view data, bool binary) = 0;
    virtual void on_ping(std::string_view payload) = 0;
    virtual void on_pong(std::string_view payload) = 0;
    // `code` is kCloseNoStatus when the frame carried none.
    virtual void on_close(std::uint16_t code, std::string_view reason) = 0;
  };

  explicit FrameParser(std::size_t max_message_bytes) : max_message_bytes_(max_message_bytes) {}

  // Consumes `bytes`. Returns 0 while the stream is well formed, otherwise the
  // close code to answer with (error() says why); the parser then takes nothing more.
  // A sink call may not feed the parser again.
  std::uint16_t feed(std::string_view bytes, Sink& sink);
  const std::string& error() const { return error_; }

 private:
  struct Header {
    bool fin = false;
    bool reserved = false;
    bool masked = false;
    Opcode opcode = Opcode::Continuation;
    std::uint64_t length = 0;
    std::uint8_t mask[4] = {};
  };
  // The header at the front of `bytes` and its size; 0 while it is incomplete.
  static std::size_t parse_header(std::string_view bytes, Header& header);
  std::uint16_t check(const Header& header);
  std::uint16_t deliver(const Header& header, std::string_view payload, Sink& sink);
  std::uint16_t finish_message(std::string_view data, Sink& sink);
  std::uint16_t fail(std::uint16_t code, std::string reason);

  std::size_t max_message_bytes_;
  std::string pending_;  // bytes not yet parsed (at most one frame's worth)
  std::string message_;  // fragments of the message in progress
  bool in_message_ = false;
  bool message_binary_ = false;
  std::uint16_t failed_ = 0;
  std::string error_;
};

}  // namespace oa::net::ws
