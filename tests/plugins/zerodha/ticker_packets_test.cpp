// Kite's binary ticker frames parsed per websocket.md §6.1, done right where
// OpenAlgo is not (segment price divisors, OI bytes, index OHLC).
#include <doctest/doctest.h>

#include <string>

#include "fakes/zerodha/ticker_frame.hpp"
#include "ticker_packets.hpp"

using namespace oa::zerodha;

using oa::test::put16;
using oa::test::words;

namespace {
std::string frame(const std::vector<std::string>& packets) { return oa::test::ticker_frame(packets); }
}  // namespace

TEST_SUITE("zerodha ticker packets") {
  TEST_CASE("the reference's worked LTP frame reads token 408065 at 1424.00") {
    const std::string bytes("\x00\x01\x00\x08\x00\x06\x3A\x01\x00\x02\x2C\x40", 12);
    auto packets = parse_ticker_frame(bytes);
    REQUIRE(packets);
    REQUIRE(packets->size() == 1);
    CHECK((*packets)[0].token == 408065);
    CHECK((*packets)[0].mode == OA_MODE_LTP);
    CHECK((*packets)[0].tick.ltp == doctest::Approx(1424.0));
  }

  TEST_CASE("a one-byte frame is a heartbeat with no packets") {
    auto packets = parse_ticker_frame(std::string(1, '\0'));
    REQUIRE(packets);
    CHECK(packets->empty());
  }

  TEST_CASE("a quote packet fills the quote fields") {
    auto packets = parse_ticker_frame(frame({words({408065, 142400, 25, 142000, 9000, 500, 600, 141000, 143000, 140000, 141500})}));
    REQUIRE(packets);
    const auto& tick = (*packets)[0].tick;
    CHECK((*packets)[0].mode == OA_MODE_QUOTE);
    CHECK(tick.ltq == 25);
    CHECK(tick.average_price == doctest::Approx(1420.0));
    CHECK(tick.volume == 9000);
    CHECK(tick.open == doctest::Approx(1410.0));
    CHECK(tick.close == doctest::Approx(1415.0));
  }

  TEST_CASE("a full packet reads OI from bytes 48-52 and five levels a side") {
    std::string full = words({408065, 142400, 25, 142000, 9000, 500, 600, 141000, 143000, 140000, 141500,
                              1732500000, 777, 800, 700, 1732500005});
    for (int level = 0; level < 10; ++level) {
      full += words({static_cast<std::uint32_t>(10 * (level + 1)), static_cast<std::uint32_t>(142300 + level)});
      put16(full, static_cast<std::uint16_t>(level + 1));
      put16(full, 0);
    }
    auto packets = parse_ticker_frame(frame({full}));
    REQUIRE(packets);
    const auto& tick = (*packets)[0].tick;
    CHECK((*packets)[0].mode == OA_MODE_DEPTH);
    CHECK(tick.oi == 777);
    CHECK(tick.exchange_time_ms == 1732500005000);
    CHECK(tick.bids[0].quantity == 10);
    CHECK(tick.bids[0].price == doctest::Approx(1423.0));
    CHECK(tick.asks[4].orders == 10);
    CHECK(tick.asks[4].price == doctest::Approx(1423.09));
  }

  TEST_CASE("currency prices use their segment's divisor: CDS 10^7, BCD 10^4") {
    auto packets = parse_ticker_frame(frame({words({1049859, 841275000}), words({1305862, 895000})}));
    REQUIRE(packets);
    CHECK((*packets)[0].tick.ltp == doctest::Approx(84.1275));
    CHECK((*packets)[1].tick.ltp == doctest::Approx(89.5));
  }

  TEST_CASE("index packets keep their OHLC, in the index layout's order") {
    auto packets = parse_ticker_frame(frame({words({256265, 2435050, 2450000, 2420000, 2425000, 2430000, 5050, 1732500009})}));
    REQUIRE(packets);
    const auto& tick = (*packets)[0].tick;
    CHECK((*packets)[0].mode == OA_MODE_DEPTH);
    CHECK(tick.ltp == doctest::Approx(24350.5));
    CHECK(tick.high == doctest::Approx(24500.0));
    CHECK(tick.low == doctest::Approx(24200.0));
    CHECK(tick.open == doctest::Approx(24250.0));
    CHECK(tick.close == doctest::Approx(24300.0));
    CHECK(tick.exchange_time_ms == 1732500009000);
  }

  TEST_CASE("several packets in one frame are all read - a length past the end is malformed") {
    auto two = parse_ticker_frame(frame({words({408065, 100}), words({779521, 200})}));
    REQUIRE(two);
    CHECK(two->size() == 2);
    std::string truncated = frame({words({408065, 100})});
    truncated.pop_back();
    CHECK_FALSE(parse_ticker_frame(truncated));
  }
}
