// Quotes, multiquotes and depth.
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <string>

#include "simulator_fixture.hpp"

using namespace oa::test;

namespace {

bool on_tick(double price, double tick) {
  double ticks = price / tick;
  return std::abs(ticks - std::round(ticks)) < 1e-6;
}

}  // namespace

TEST_CASE("a quote has OpenAlgo's fields with bid below ltp below ask") {
  FakeHost host(kSessionOpen);
  PluginInstance simulator(host);
  auto outcome = simulator.quotes("RELIANCE", "NSE");
  REQUIRE(outcome.status == OA_OK);
  auto quote = outcome.document().as_object();
  for (auto key : {"ask", "bid", "high", "low", "ltp", "open", "prev_close", "volume", "oi"})
    CHECK_MESSAGE(quote.contains(key), key);
  CHECK(quote.size() == 9);
  CHECK(number(quote.at("bid")) < number(quote.at("ltp")));
  CHECK(number(quote.at("ltp")) < number(quote.at("ask")));
  CHECK(number(quote.at("ask")) - number(quote.at("bid")) <= 4 * 0.05 + 1e-9);
  CHECK(number(quote.at("low")) <= number(quote.at("ltp")));
  CHECK(number(quote.at("ltp")) <= number(quote.at("high")));
  CHECK(quote.at("volume").as_int64() > 0);
  CHECK(quote.at("oi").as_int64() == 0);
  // Near the bundled reference price (1510).
  CHECK(number(quote.at("ltp")) > 1000);
  CHECK(number(quote.at("ltp")) < 2300);
}

TEST_CASE("quoted prices are multiples of the tick size") {
  FakeHost host(kSessionOpen);
  PluginInstance simulator(host);
  struct Case {
    const char* symbol;
    const char* exchange;
    double tick;
  };
  for (auto [symbol, exchange, tick] :
       {Case{"SBIN", "NSE", 0.05}, Case{"IDEA", "NSE", 0.01}, Case{"NIFTY25NOV25FUT", "NFO", 0.05},
        Case{"NIFTY25NOV2526000CE", "NFO", 0.05}, Case{"USDINR26NOV25FUT", "CDS", 0.0025},
        Case{"CRUDEOIL19NOV25FUT", "MCX", 1}}) {
    auto quote = simulator.quotes(symbol, exchange).document();
    for (auto key : {"ltp", "open", "high", "low", "prev_close", "bid", "ask"})
      CHECK_MESSAGE(on_tick(number(quote, key), tick), symbol, " ", key, " = ", number(quote, key));
  }
}

TEST_CASE("the same seed gives the same quote in two instances, and another seed does not") {
  FakeHost first_host(kSessionOpen), second_host(kSessionOpen), other_host(kSessionOpen, {{"SIMULATOR_SEED", "7"}});
  PluginInstance first(first_host), second(second_host), other(other_host);
  auto quote = first.quotes("INFY", "NSE").json;
  CHECK(second.quotes("INFY", "NSE").json == quote);
  CHECK(other.quotes("INFY", "NSE").json != quote);
}

TEST_CASE("the price moves during the session") {
  FakeHost host(kSessionOpen);
  PluginInstance simulator(host);
  auto before = simulator.quotes("TCS", "NSE").document();
  host.set_now(kSessionOpen + 3'600'000);
  auto after = simulator.quotes("TCS", "NSE").document();
  CHECK(number(after, "ltp") != number(before, "ltp"));
  CHECK(number(after, "open") == number(before, "open"));
  CHECK(after.at("volume").as_int64() > before.at("volume").as_int64());
}

TEST_CASE("an unknown symbol is not found, and the message names it") {
  FakeHost host(kSessionOpen);
  PluginInstance simulator(host);
  auto outcome = simulator.quotes("XYZ", "NSE");
  CHECK(outcome.status == OA_ERR_NOT_FOUND);
  CHECK(outcome.error == "Symbol XYZ not found on NSE");
  CHECK(simulator.quotes("RELIANCE", "NFO").status == OA_ERR_NOT_FOUND);
  CHECK(simulator.depth("XYZ", "NSE").status == OA_ERR_NOT_FOUND);
}

TEST_CASE("multiquotes answers each symbol in order, with an error entry for an unknown one") {
  FakeHost host(kSessionOpen);
  PluginInstance simulator(host);
  auto request = R"({"symbols":[{"symbol":"SBIN","exchange":"NSE"},{"symbol":"NOPE","exchange":"NSE"},
                                {"symbol":"NIFTY","exchange":"NSE_INDEX"}]})";
  auto outcome = simulator.call(loaded_plugin().multiquotes, request);
  REQUIRE(outcome.status == OA_OK);
  auto results = outcome.document().at("results").as_array();
  REQUIRE(results.size() == 3);
  CHECK(results[0].at("symbol") == "SBIN");
  CHECK(results[0].at("exchange") == "NSE");
  CHECK(results[0].at("data") == simulator.quotes("SBIN", "NSE").document());
  CHECK(results[1].at("symbol") == "NOPE");
  CHECK(results[1].at("error") == "Symbol NOPE not found on NSE");
  CHECK_FALSE(results[1].as_object().contains("data"));
  CHECK(results[2].at("data").as_object().contains("ltp"));
}

TEST_CASE("depth has five bid levels descending and five ask levels ascending around the ltp") {
  FakeHost host(kSessionOpen);
  PluginInstance simulator(host);
  auto outcome = simulator.depth("HDFCBANK", "NSE");
  REQUIRE(outcome.status == OA_OK);
  auto depth = outcome.document();
  for (auto key : {"bids", "asks", "high", "low", "ltp", "ltq", "oi", "open", "prev_close", "totalbuyqty",
                   "totalsellqty", "volume"})
    CHECK_MESSAGE(depth.as_object().contains(key), key);
  auto bids = depth.at("bids").as_array(), asks = depth.at("asks").as_array();
  REQUIRE(bids.size() == 5);
  REQUIRE(asks.size() == 5);
  for (std::size_t i = 1; i < 5; ++i) {
    CHECK(number(bids[i], "price") < number(bids[i - 1], "price"));
    CHECK(number(asks[i], "price") > number(asks[i - 1], "price"));
  }
  CHECK(number(bids[0], "price") < number(depth, "ltp"));
  CHECK(number(asks[0], "price") > number(depth, "ltp"));
  std::int64_t shown = 0;
  for (const auto& level : bids) {
    CHECK(level.at("quantity").as_int64() > 0);
    shown += level.at("quantity").as_int64();
  }
  CHECK(depth.at("totalbuyqty").as_int64() >= shown);
  CHECK(depth.at("ltq").as_int64() > 0);
  auto quote = simulator.quotes("HDFCBANK", "NSE").document();
  CHECK(number(quote, "bid") == number(bids[0], "price"));
  CHECK(number(quote, "ask") == number(asks[0], "price"));
  CHECK(number(quote, "ltp") == number(depth, "ltp"));
}

TEST_CASE("after the close and over the weekend a quote shows the last session's close") {
  FakeHost host(ist_ms(2025, 11, 21, 15, 30));  // Friday, at the close
  PluginInstance simulator(host);
  auto at_close = simulator.quotes("ITC", "NSE").json;
  host.set_now(ist_ms(2025, 11, 21, 22, 0));
  CHECK(simulator.quotes("ITC", "NSE").json == at_close);
  host.set_now(ist_ms(2025, 11, 23, 12, 0));  // Sunday
  CHECK(simulator.quotes("ITC", "NSE").json == at_close);
  host.set_now(ist_ms(2025, 11, 24, 9, 0));  // Monday before the open
  CHECK(simulator.quotes("ITC", "NSE").json == at_close);
  host.set_now(ist_ms(2025, 11, 24, 9, 15));  // Monday's open: Friday's close is the previous close
  auto monday = simulator.quotes("ITC", "NSE").document();
  CHECK(number(monday, "prev_close") == number(json::parse(at_close), "ltp"));
}

TEST_CASE("derivatives follow the underlying: futures near spot, option prices ordered by strike") {
  FakeHost host(kSessionOpen);
  PluginInstance simulator(host);
  double spot = number(simulator.quotes("NIFTY", "NSE_INDEX").document(), "ltp");
  double future = number(simulator.quotes("NIFTY25NOV25FUT", "NFO").document(), "ltp");
  CHECK(future > spot);
  CHECK(future < spot * 1.01);
  double lower_call = number(simulator.quotes("NIFTY25NOV2525500CE", "NFO").document(), "ltp");
  double higher_call = number(simulator.quotes("NIFTY25NOV2526500CE", "NFO").document(), "ltp");
  double lower_put = number(simulator.quotes("NIFTY25NOV2525500PE", "NFO").document(), "ltp");
  double higher_put = number(simulator.quotes("NIFTY25NOV2526500PE", "NFO").document(), "ltp");
  CHECK(lower_call > higher_call);
  CHECK(lower_put < higher_put);
  // In the money, an option is worth about its intrinsic value at least (a
  // European put less the strike's discount to expiry: well under 0.5 %).
  if (spot > 25500) CHECK(lower_call >= spot - 25500 - 0.005 * 25500);
  if (spot < 26500) CHECK(higher_put >= 26500 - spot - 0.005 * 26500);
  auto option = simulator.quotes("NIFTY25NOV2526000CE", "NFO").document();
  CHECK(option.at("oi").as_int64() > 0);
  CHECK(option.at("oi").as_int64() % 75 == 0);
}

TEST_CASE("an index has a price but no order book") {
  FakeHost host(kSessionOpen);
  PluginInstance simulator(host);
  auto depth = simulator.depth("BANKNIFTY", "NSE_INDEX").document();
  CHECK(number(depth, "ltp") > 0);
  CHECK(depth.at("volume").as_int64() == 0);
  CHECK(depth.at("bids").as_array().size() == 5);
  CHECK(number(depth.at("bids").as_array()[0], "price") == 0);
}

TEST_CASE("a quote takes microseconds once its day is computed") {
  FakeHost host(kSessionOpen);
  PluginInstance simulator(host);
  REQUIRE(simulator.quotes("RELIANCE", "NSE").status == OA_OK);
  constexpr int kQuotes = 2000;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kQuotes; ++i) simulator.quotes("RELIANCE", "NSE");
  auto each = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start) / kQuotes;
  MESSAGE("one quote through the C table: ", each.count(), " us");
  CHECK(each.count() < 200);  // generous: Debug and sanitizer builds
}
