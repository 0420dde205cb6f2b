// The binary ticker through the host: subscribe, ticks in the mode asked for,
// closing the feed with the last key, limits.
#include "zerodha_fixture.hpp"

using namespace oa::test;

namespace {

oa::plugins::StreamKey key(const std::string& symbol, const std::string& exchange, const std::string& token,
                       oa_stream_mode mode) {
  return {symbol, exchange, token, mode};
}

bool poll(const std::function<bool()>& done) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!done() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return done();
}

}  // namespace

TEST_SUITE("zerodha streaming") {
  TEST_CASE("subscribe connects with the session in the query, asks Kite for the mode and ticks arrive") {
    ZerodhaPlugin zerodha;
    auto outcome = zerodha.host.subscribe("zerodha", {key("INFY", "NSE", "408065::::1594", OA_MODE_QUOTE)}, zerodha.session);
    REQUIRE_MESSAGE(outcome.ok(), outcome.message);
    REQUIRE(zerodha.wait_for_ticks(1));
    auto tick = zerodha.ticks().at(0);
    CHECK(tick.symbol == "INFY");
    CHECK(tick.exchange == "NSE");
    CHECK(tick.tick.mode == OA_MODE_QUOTE);
    CHECK(tick.tick.ltp > 1890);
    CHECK(tick.tick.volume >= 100000);
    auto messages = zerodha.fake.ticker_messages();
    REQUIRE(messages.size() >= 2);
    CHECK(messages[0] == R"({"a":"subscribe","v":[408065]})");
    CHECK(messages[1] == R"({"a":"mode","v":["quote",[408065]]})");
  }

  TEST_CASE("a currency future ticks at its rupee price, an index with its OHLC") {
    ZerodhaPlugin zerodha;
    auto outcome = zerodha.host.subscribe("zerodha",
                                          {key("USDINR27DEC24FUT", "CDS", "1049859::::4101", OA_MODE_LTP),
                                           key("NIFTY", "NSE_INDEX", "256265::::1001", OA_MODE_QUOTE)},
                                          zerodha.session);
    REQUIRE_MESSAGE(outcome.ok(), outcome.message);
    REQUIRE(poll([&] {
      bool currency = false, index = false;
      for (const auto& tick : zerodha.ticks()) {
        currency |= tick.symbol == "USDINR27DEC24FUT";
        index |= tick.symbol == "NIFTY";
      }
      return currency && index;
    }));
    for (const auto& tick : zerodha.ticks()) {
      if (tick.symbol == "USDINR27DEC24FUT") CHECK(tick.tick.ltp == doctest::Approx(84.1275).epsilon(0.01));
      if (tick.symbol == "NIFTY") CHECK(tick.tick.high > tick.tick.low);
    }
  }

  TEST_CASE("a higher mode on a streaming token asks Kite for it - the last unsubscribe closes the connection") {
    ZerodhaPlugin zerodha;
    REQUIRE(zerodha.host.subscribe("zerodha", {key("SBIN", "NSE", "779521::::3045", OA_MODE_LTP)}, zerodha.session).ok());
    REQUIRE(zerodha.host.subscribe("zerodha", {key("SBIN", "NSE", "779521::::3045", OA_MODE_DEPTH)}, zerodha.session).ok());
    REQUIRE(poll([&] { return zerodha.fake.ticker_messages().size() >= 3; }));
    CHECK(zerodha.fake.ticker_messages().at(2) == R"({"a":"mode","v":["full",[779521]]})");
    REQUIRE(zerodha.wait_for_ticks(1));
    REQUIRE(poll([&] {
      for (const auto& tick : zerodha.ticks())
        if (tick.tick.mode == OA_MODE_DEPTH && tick.tick.bids[4].quantity == 500) return true;
      return false;
    }));
    CHECK(zerodha.host.unsubscribe("zerodha", {key("SBIN", "NSE", "779521::::3045", OA_MODE_LTP)}, zerodha.session).ok());
    CHECK(zerodha.fake.ticker_connections() == 1);
    CHECK(zerodha.host.unsubscribe("zerodha", {key("SBIN", "NSE", "779521::::3045", OA_MODE_DEPTH)}, zerodha.session).ok());
    CHECK(poll([&] { return zerodha.fake.ticker_connections() == 0; }));
    CHECK(zerodha.stream_statuses() == std::vector<bool>{true});  // closing on purpose is no loss
  }

  TEST_CASE("a subscribe right after the last unsubscribe opens a new connection, not the closing one") {
    ZerodhaPlugin zerodha;
    auto sbin = key("SBIN", "NSE", "779521::::3045", OA_MODE_LTP);
    REQUIRE(zerodha.host.subscribe("zerodha", {sbin}, zerodha.session).ok());
    REQUIRE(zerodha.host.unsubscribe("zerodha", {sbin}, zerodha.session).ok());
    auto again = zerodha.host.subscribe("zerodha", {key("INFY", "NSE", "408065::::1594", OA_MODE_QUOTE)}, zerodha.session);
    REQUIRE_MESSAGE(again.ok(), again.message);
    zerodha.clear_ticks();
    CHECK(poll([&] {
      for (const auto& tick : zerodha.ticks())
        if (tick.symbol == "INFY") return true;
      return false;
    }));
  }

  TEST_CASE("one subscribe carrying a token in two modes asks Kite once, in the higher mode") {
    ZerodhaPlugin zerodha;
    REQUIRE(zerodha.host.subscribe("zerodha",
                                   {key("SBIN", "NSE", "779521::::3045", OA_MODE_LTP),
                                    key("SBIN", "NSE", "779521::::3045", OA_MODE_QUOTE)},
                                   zerodha.session).ok());
    REQUIRE(poll([&] { return zerodha.fake.ticker_messages().size() >= 2; }));
    CHECK(zerodha.fake.ticker_messages().at(0) == R"({"a":"subscribe","v":[779521]})");
    CHECK(zerodha.fake.ticker_messages().at(1) == R"({"a":"mode","v":["quote",[779521]]})");
    CHECK(zerodha.host.unsubscribe("zerodha", {key("SBIN", "NSE", "779521::::3045", OA_MODE_QUOTE)}, zerodha.session).ok());
    REQUIRE(poll([&] { return zerodha.fake.ticker_messages().size() >= 3; }));
    CHECK(zerodha.fake.ticker_messages().at(2) == R"({"a":"mode","v":["ltp",[779521]]})");
  }

  TEST_CASE("a dropped feed is reported lost - subscribing again opens a new connection and ticks resume") {
    ZerodhaPlugin zerodha;
    auto infy = key("INFY", "NSE", "408065::::1594", OA_MODE_LTP);
    REQUIRE(zerodha.host.subscribe("zerodha", {infy}, zerodha.session).ok());
    REQUIRE(zerodha.wait_for_ticks(1));
    CHECK(zerodha.stream_statuses() == std::vector<bool>{true});
    zerodha.fake.drop_feed();
    REQUIRE(poll([&] { return zerodha.stream_statuses().size() == 2; }));
    CHECK(zerodha.stream_statuses().back() == false);
    zerodha.host.unsubscribe("zerodha", {infy}, zerodha.session);
    zerodha.clear_ticks();
    REQUIRE(zerodha.host.subscribe("zerodha", {infy}, zerodha.session).ok());
    CHECK(zerodha.wait_for_ticks(1));
    CHECK(zerodha.fake.ticker_connections() == 1);
  }

  TEST_CASE("tokens spread over at most 3 connections of 3000, and the 9001st is refused as over Kite's limit") {
    ZerodhaPlugin zerodha;
    std::vector<oa::plugins::StreamKey> keys;
    for (std::uint32_t i = 1; i <= 9000; ++i)
      keys.push_back(key("S" + std::to_string(i), "NSE", std::to_string(i * 256 + 1) + "::::" + std::to_string(i), OA_MODE_LTP));
    auto outcome = zerodha.host.subscribe("zerodha", keys, zerodha.session);
    REQUIRE_MESSAGE(outcome.ok(), outcome.message);
    CHECK(poll([&] { return zerodha.fake.ticker_connections() == 3; }));
    auto refused = zerodha.host.subscribe("zerodha", {key("X", "NSE", "2560001::::10000", OA_MODE_LTP)}, zerodha.session);
    CHECK(refused.status == OA_ERR_RATE_LIMITED);
    CHECK(refused.message == "Kite allows 3 ticker connections of 3000 instruments each; unsubscribe something first");
  }

  TEST_CASE("a bad session fails subscribe with the ticker's refusal") {
    ZerodhaPlugin zerodha;
    zerodha.session.auth_token = "kite-key-1:wrong";
    auto outcome = zerodha.host.subscribe("zerodha", {key("INFY", "NSE", "408065::::1594", OA_MODE_LTP)}, zerodha.session);
    CHECK(outcome.status == OA_ERR_UPSTREAM);
    CHECK(outcome.message.starts_with("the Kite ticker refused the connection"));
  }
}
