#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "net/ws_frame.hpp"
#include "net/ws_handshake.hpp"

using namespace oa::net;
using ws::Opcode;

namespace {

// A frame as a client sends it: masked.
std::string client_frame(Opcode opcode, std::string_view payload, bool fin = true) {
  std::string frame;
  frame.push_back(static_cast<char>((fin ? 0x80 : 0) | static_cast<int>(opcode)));
  const unsigned char mask[4] = {0x37, 0xfa, 0x21, 0x3d};
  if (payload.size() < 126) {
    frame.push_back(static_cast<char>(0x80 | payload.size()));
  } else {
    frame.push_back(static_cast<char>(0x80 | 126));
    frame.push_back(static_cast<char>(payload.size() >> 8));
    frame.push_back(static_cast<char>(payload.size()));
  }
  frame.append(reinterpret_cast<const char*>(mask), 4);
  for (std::size_t i = 0; i < payload.size(); ++i) frame.push_back(static_cast<char>(payload[i] ^ mask[i % 4]));
  return frame;
}

struct Recorded : ws::FrameParser::Sink {
  std::vector<std::string> events;
  void on_message(std::string_view data, bool binary) override {
    events.push_back((binary ? "binary:" : "text:") + std::string(data));
  }
  void on_ping(std::string_view payload) override { events.push_back("ping:" + std::string(payload)); }
  void on_pong(std::string_view payload) override { events.push_back("pong:" + std::string(payload)); }
  void on_close(std::uint16_t code, std::string_view reason) override {
    events.push_back("close:" + std::to_string(code) + ":" + std::string(reason));
  }
};

std::uint16_t parse(const std::string& bytes, Recorded& sink, std::size_t max_message_bytes = 1024) {
  ws::FrameParser parser(max_message_bytes);
  return parser.feed(bytes, sink);
}

}  // namespace

TEST_SUITE("WebSocket frames") {
  TEST_CASE("a server frame's header grows with the payload: 1, 3 and 9 length bytes") {
    std::string small, medium, large;
    ws::append_frame_header(small, Opcode::Text, 125);
    ws::append_frame_header(medium, Opcode::Text, 126);
    ws::append_frame_header(large, Opcode::Text, 65536);
    CHECK(small == std::string("\x81\x7d", 2));
    CHECK(medium == std::string("\x81\x7e\x00\x7e", 4));
    CHECK(large == std::string("\x81\x7f\x00\x00\x00\x00\x00\x01\x00\x00", 10));
  }

  TEST_CASE("the accept key is RFC 6455's worked example") {
    CHECK(ws::accept_key("dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  }

  TEST_CASE("a masked text frame is unmasked and delivered whole") {
    Recorded sink;
    CHECK(parse(client_frame(Opcode::Text, R"({"action":"ping"})"), sink) == 0);
    CHECK(sink.events == std::vector<std::string>{R"(text:{"action":"ping"})"});
  }

  TEST_CASE("a fragmented message is reassembled, with a ping between its fragments delivered first") {
    Recorded sink;
    auto bytes = client_frame(Opcode::Text, "hel", false) + client_frame(Opcode::Ping, "p") +
                 client_frame(Opcode::Continuation, "lo", false) + client_frame(Opcode::Continuation, "!");
    CHECK(parse(bytes, sink) == 0);
    CHECK(sink.events == std::vector<std::string>{"ping:p", "text:hello!"});
  }

  TEST_CASE("bytes fed one at a time give the same messages as fed at once") {
    auto bytes = client_frame(Opcode::Text, std::string(300, 'x')) + client_frame(Opcode::Binary, "b") +
                 client_frame(Opcode::Close, std::string("\x03\xe8" "bye", 5));
    Recorded whole, trickled;
    CHECK(parse(bytes, whole) == 0);
    ws::FrameParser parser(1024);
    for (char byte : bytes) REQUIRE(parser.feed(std::string_view(&byte, 1), trickled) == 0);
    CHECK(trickled.events == whole.events);
    CHECK(whole.events.size() == 3);
    CHECK(whole.events[2] == "close:1000:bye");
  }

  TEST_CASE("an unmasked client frame is a protocol error") {
    Recorded sink;
    ws::FrameParser parser(1024);
    std::string frame;
    ws::append_frame(frame, Opcode::Text, "hi");
    CHECK(parser.feed(frame, sink) == ws::kCloseProtocolError);
    CHECK(parser.error() == "client frames must be masked");
    CHECK(sink.events.empty());
  }

  TEST_CASE("reserved bits, unknown opcodes and stray continuations are protocol errors") {
    Recorded sink;
    auto reserved = client_frame(Opcode::Text, "x");
    reserved[0] = static_cast<char>(reserved[0] | 0x40);
    CHECK(parse(reserved, sink) == ws::kCloseProtocolError);
    CHECK(parse(client_frame(static_cast<Opcode>(3), "x"), sink) == ws::kCloseProtocolError);
    CHECK(parse(client_frame(Opcode::Continuation, "x"), sink) == ws::kCloseProtocolError);
    CHECK(parse(client_frame(Opcode::Text, "a", false) + client_frame(Opcode::Text, "b"), sink) ==
          ws::kCloseProtocolError);
    CHECK(sink.events.empty());
  }

  TEST_CASE("control frames must be whole and at most 125 bytes") {
    Recorded sink;
    CHECK(parse(client_frame(Opcode::Ping, "p", false), sink) == ws::kCloseProtocolError);
    CHECK(parse(client_frame(Opcode::Ping, std::string(126, 'p')), sink) == ws::kCloseProtocolError);
    CHECK(parse(client_frame(Opcode::Ping, std::string(125, 'p')), sink) == 0);
  }

  TEST_CASE("a message over the limit is refused with 1009 from its header, before its payload arrives") {
    Recorded sink;
    auto frame = client_frame(Opcode::Text, std::string(200, 'x'));
    ws::FrameParser parser(100);
    CHECK(parser.feed(std::string_view(frame).substr(0, 8), sink) == ws::kCloseTooBig);
    CHECK(parser.error() == "message larger than 100 bytes");
    Recorded fragments;
    CHECK(parse(client_frame(Opcode::Text, std::string(60, 'x'), false) +
                    client_frame(Opcode::Continuation, std::string(60, 'x')),
                fragments, 100) == ws::kCloseTooBig);
    CHECK(fragments.events.empty());
  }

  TEST_CASE("a text message that is not UTF-8 is refused with 1007, a binary one is delivered") {
    Recorded sink;
    CHECK(parse(client_frame(Opcode::Text, "\xc3\x28"), sink) == ws::kCloseInvalidPayload);
    CHECK(parse(client_frame(Opcode::Binary, "\xc3\x28"), sink) == 0);
    CHECK(sink.events == std::vector<std::string>{"binary:\xc3\x28"});
  }

  TEST_CASE("a close frame's code must be one a peer may send, and a one-byte payload is malformed") {
    Recorded sink;
    CHECK(parse(client_frame(Opcode::Close, ""), sink) == 0);
    CHECK(sink.events == std::vector<std::string>{"close:1005:"});
    CHECK(parse(client_frame(Opcode::Close, "\x03"), sink) == ws::kCloseProtocolError);
    CHECK(parse(client_frame(Opcode::Close, std::string("\x03\xed", 2)), sink) == ws::kCloseProtocolError);  // 1005
    CHECK(parse(client_frame(Opcode::Close, std::string("\x0f\xa0", 2)), sink) == 0);                        // 4000
  }

  TEST_CASE("UTF-8 validation refuses overlong forms, surrogates and code points past U+10FFFF") {
    CHECK(ws::valid_utf8("plain ascii"));
    CHECK(ws::valid_utf8("\xe2\x82\xb9 \xf0\x9f\x93\x88"));  // ₹ and 📈
    CHECK_FALSE(ws::valid_utf8("\xc0\xaf"));               // overlong '/'
    CHECK_FALSE(ws::valid_utf8("\xe0\x80\xaf"));
    CHECK_FALSE(ws::valid_utf8("\xed\xa0\x80"));           // U+D800
    CHECK_FALSE(ws::valid_utf8("\xf4\x90\x80\x80"));       // U+110000
    CHECK_FALSE(ws::valid_utf8("\xe2\x82"));               // cut short
  }

  TEST_CASE("a close reason too long for a control frame is cut on a character boundary") {
    std::string reason(121, 'a');
    reason += "\xe2\x82\xb9";  // a three-byte character straddling the 123-byte limit
    auto payload = ws::close_payload(1008, reason);
    CHECK(payload.size() == 2 + 121);
    CHECK(ws::valid_utf8(payload.substr(2)));
    CHECK(payload.substr(0, 2) == std::string("\x03\xf0", 2));
  }
}
