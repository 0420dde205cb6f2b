// The market_data message per mode: the reference's keys, in order, in json.dumps' layout.
#include <doctest/doctest.h>

#include "ws/market_data_text.hpp"

using oa::feed::LineKey;
using oa::ws::market_data_text;

namespace {

oa_tick sample() {
  oa_tick tick{};
  tick.struct_size = sizeof tick;
  tick.mode = OA_MODE_DEPTH;
  tick.exchange_time_ms = 1755763200000;
  tick.ltp = 1424.0;
  tick.ltq = 10;
  tick.open = 1415.0, tick.high = 1432.5, tick.low = 1408.0, tick.close = 1418.0;
  tick.average_price = 1419.35;
  tick.volume = 4851234;
  tick.oi = 7;
  tick.total_buy_quantity = 512000, tick.total_sell_quantity = 600312;
  tick.upper_circuit = 1560.2, tick.lower_circuit = 1276.6;
  for (int i = 0; i < OA_DEPTH_LEVELS; ++i) {
    tick.bids[i] = {1423.9 - i * 0.1, 100 + i, 1 + i};
    tick.asks[i] = {1424.1 + i * 0.1, 200 + i, 2 + i};
  }
  return tick;
}

const LineKey kLine{"zerodha", "NSE", "RELIANCE"};

}  // namespace

TEST_SUITE("ws") {
  TEST_CASE("an LTP message carries ltp, ltt and timestamp") {
    CHECK(market_data_text(kLine, sample(), 1, 1755763200123) ==
          R"({"type": "market_data", "symbol": "RELIANCE", "exchange": "NSE", "mode": 1, "data": {"symbol": "RELIANCE", "exchange": "NSE", "mode": 1, "ltp": 1424.0, "ltt": 1755763200000, "timestamp": 1755763200123}, "broker": "zerodha"})");
  }

  TEST_CASE("a Quote message adds volume, quantities, average price and OHLC") {
    CHECK(market_data_text(kLine, sample(), 2, 1755763200123) ==
          R"({"type": "market_data", "symbol": "RELIANCE", "exchange": "NSE", "mode": 2, "data": {"symbol": "RELIANCE", "exchange": "NSE", "mode": 2, "ltp": 1424.0, "ltt": 1755763200000, "timestamp": 1755763200123, "volume": 4851234, "last_quantity": 10, "average_price": 1419.35, "total_buy_quantity": 512000, "total_sell_quantity": 600312, "open": 1415.0, "high": 1432.5, "low": 1408.0, "close": 1418.0}, "broker": "zerodha"})");
  }

  TEST_CASE("a Depth message adds oi, circuits and five levels a side") {
    auto text = market_data_text(kLine, sample(), 3, 1755763200123);
    CHECK(text.find(R"("close": 1418.0, "oi": 7, "upper_circuit": 1560.2, "lower_circuit": 1276.6, "depth": {"buy": [{"price": 1423.9, "quantity": 100, "orders": 1}, )") != std::string::npos);
    CHECK(text.find(R"("sell": [{"price": 1424.1, "quantity": 200, "orders": 2}, )") != std::string::npos);
    CHECK(text.find(R"({"price": 1424.5, "quantity": 204, "orders": 6}]}}, "broker": "zerodha"})") != std::string::npos);
  }
}
