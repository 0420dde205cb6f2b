// SmartStream v2 through the plugin: the connection's headers, subscribe
// messages, every mode's packets turned into ticks, and a dropped feed.
#include <doctest/doctest.h>

#include "angel_host.hpp"

using namespace oa::test;

namespace {

// The fake's n-th text frame (from 0) as JSON, waiting for it with a deadline.
boost::json::object stream_message(const SmartApiFake& fake, std::size_t index) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (fake.stream_messages().size() <= index && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  auto messages = fake.stream_messages();
  REQUIRE(messages.size() > index);
  return boost::json::parse(messages[index]).as_object();
}

struct Streaming {
  AngelHost angel;
  Streaming() {
    angel.login();
    angel.load_instruments();
  }
};

}  // namespace

TEST_SUITE("angel streaming") {
  TEST_CASE("subscribing opens one SmartStream connection and sends Angel's subscribe message") {
    Streaming s;
    REQUIRE(s.angel.subscribe("SBIN", "NSE", "3045", OA_MODE_LTP).ok());
    CHECK(s.angel.wait_connections(1));
    auto message = stream_message(s.angel.fake, 0);
    CHECK(message.at("action") == 1);
    CHECK(message.at("correlationID").as_string().size() == 10);
    CHECK(boost::json::serialize(message.at("params")) ==
          R"({"mode":1,"tokenList":[{"exchangeType":1,"tokens":["3045"]}]})");
  }

  TEST_CASE("an LTP packet becomes an LTP tick in rupees named by OpenAlgo's symbol") {
    Streaming s;
    REQUIRE(s.angel.subscribe("SBIN", "NSE", "3045", OA_MODE_LTP).ok());
    auto ticks = s.angel.ticks_after_feeding(1);
    REQUIRE(!ticks.empty());
    CHECK(ticks[0].symbol == "SBIN");
    CHECK(ticks[0].exchange == "NSE");
    CHECK(ticks[0].tick.mode == OA_MODE_LTP);
    CHECK(ticks[0].tick.ltp == doctest::Approx(800.05));
    CHECK(ticks[0].tick.exchange_time_ms == 1732512901000);
  }

  TEST_CASE("a Quote packet carries OHLC, volume, average price and the day's buy and sell totals") {
    Streaming s;
    REQUIRE(s.angel.subscribe("SBIN", "NSE", "3045", OA_MODE_QUOTE).ok());
    auto ticks = s.angel.ticks_after_feeding(1);
    REQUIRE(!ticks.empty());
    const auto& tick = ticks[0].tick;
    CHECK(tick.mode == OA_MODE_QUOTE);
    CHECK(tick.open == doctest::Approx(799.05));
    CHECK(tick.high == doctest::Approx(802.05));
    CHECK(tick.low == doctest::Approx(797.05));
    CHECK(tick.close == doctest::Approx(799.55));
    CHECK(tick.average_price == doctest::Approx(799.85));
    CHECK(tick.volume == 123457);
    CHECK(tick.ltq == 7);
    CHECK(tick.total_buy_quantity == 5000);
    CHECK(tick.total_sell_quantity == 4200);
  }

  TEST_CASE("a Depth subscription is SnapQuote: five levels a side, open interest and circuits") {
    Streaming s;
    REQUIRE(s.angel.subscribe("NIFTY28NOV2424000CE", "NFO", "43950", OA_MODE_DEPTH).ok());
    CHECK(stream_message(s.angel.fake, 0).at("params").at("mode") == 3);
    auto ticks = s.angel.ticks_after_feeding(1);
    REQUIRE(!ticks.empty());
    const auto& tick = ticks[0].tick;
    CHECK(tick.mode == OA_MODE_DEPTH);
    CHECK(tick.oi == 987651);  // bytes 131..138; 139 holds the OI change as a double
    CHECK(tick.bids[0].price == doctest::Approx(tick.ltp - 0.05));
    CHECK(tick.bids[0].quantity == 100);
    CHECK(tick.bids[0].orders == 1);
    CHECK(tick.bids[4].quantity == 500);
    CHECK(tick.asks[0].price == doctest::Approx(tick.ltp + 0.05));
    CHECK(tick.asks[0].orders == 2);
    CHECK(tick.upper_circuit == doctest::Approx(tick.ltp * 1.1).epsilon(0.001));
    CHECK(tick.lower_circuit == doctest::Approx(tick.ltp * 0.9).epsilon(0.001));
  }

  TEST_CASE("currency prices are divided by 10^7, not by 100") {
    Streaming s;
    REQUIRE(s.angel.subscribe("USDINR27NOV24FUT", "CDS", "1161", OA_MODE_LTP).ok());
    CHECK(boost::json::serialize(stream_message(s.angel.fake, 0).at("params").at("tokenList")) ==
          R"([{"exchangeType":13,"tokens":["1161"]}])");
    auto ticks = s.angel.ticks_after_feeding(1);
    REQUIRE(!ticks.empty());
    CHECK(ticks[0].tick.ltp == doctest::Approx(84.125));
  }

  TEST_CASE("an index streams on its cash segment under its index exchange") {
    Streaming s;
    REQUIRE(s.angel.subscribe("NIFTY", "NSE_INDEX", "99926000", OA_MODE_LTP).ok());
    auto ticks = s.angel.ticks_after_feeding(1);
    REQUIRE(!ticks.empty());
    CHECK(ticks[0].exchange == "NSE_INDEX");
    CHECK(ticks[0].tick.ltp == doctest::Approx(24000.05));
  }

  TEST_CASE("a token subscribed in two modes gets both streams") {
    Streaming s;
    REQUIRE(s.angel.subscribe("SBIN", "NSE", "3045", OA_MODE_LTP).ok());
    REQUIRE(s.angel.subscribe("SBIN", "NSE", "3045", OA_MODE_DEPTH).ok());
    auto ticks = s.angel.ticks_after_feeding(2);
    REQUIRE(ticks.size() >= 2);
    CHECK(ticks[0].tick.mode != ticks[1].tick.mode);
  }

  TEST_CASE("unsubscribing the last key sends Angel's unsubscribe and closes the connection, which is no loss") {
    Streaming s;
    REQUIRE(s.angel.subscribe("SBIN", "NSE", "3045", OA_MODE_LTP).ok());
    REQUIRE(s.angel.unsubscribe("SBIN", "NSE", "3045", OA_MODE_LTP).ok());
    CHECK(stream_message(s.angel.fake, 1).at("action") == 0);
    CHECK(s.angel.wait_connections(0));
    CHECK(s.angel.stream_statuses() == std::vector<bool>{true});
  }

  TEST_CASE("a feed dropped mid-stream is reported to the host as lost") {
    Streaming s;
    REQUIRE(s.angel.subscribe("SBIN", "NSE", "3045", OA_MODE_LTP).ok());
    REQUIRE(s.angel.wait_statuses(1));
    REQUIRE(s.angel.wait_connections(1));  // the fake drops only connections it has registered
    s.angel.fake.drop_feed();
    REQUIRE(s.angel.wait_statuses(2));
    CHECK(s.angel.stream_statuses() == std::vector<bool>{true, false});
  }

  TEST_CASE("after the feed drops and is reported lost, the host's new subscribe opens a connection and ticks resume") {
    Streaming s;
    REQUIRE(s.angel.subscribe("SBIN", "NSE", "3045", OA_MODE_LTP).ok());
    REQUIRE(s.angel.wait_statuses(1));
    REQUIRE(s.angel.wait_connections(1));  // the fake drops only connections it has registered
    s.angel.fake.drop_feed();
    REQUIRE(s.angel.wait_statuses(2));  // the plugin has seen the loss: the host subscribes again
    s.angel.clear_ticks();
    REQUIRE(s.angel.subscribe("SBIN", "NSE", "3045", OA_MODE_LTP).ok());
    CHECK(s.angel.wait_connections(1));
    CHECK_FALSE(s.angel.ticks_after_feeding(1).empty());
  }

  TEST_CASE("the feed refuses to start without a session") {
    AngelHost angel;
    angel.load_instruments();
    auto outcome = angel.subscribe("SBIN", "NSE", "3045", OA_MODE_LTP);
    CHECK(outcome.status == OA_ERR_AUTH);
    CHECK(angel.fake.stream_connections() == 0);
  }

  TEST_CASE("an exchange SmartStream does not carry is refused by name") {
    Streaming s;
    auto outcome = s.angel.subscribe("GUARSEED10DEC2024", "NCDEX", "GUARSEED10DEC2024", OA_MODE_LTP);
    CHECK(outcome.status == OA_ERR_INVALID_ARGUMENT);
    CHECK(outcome.message.find("NCDEX") != std::string::npos);
  }
}
