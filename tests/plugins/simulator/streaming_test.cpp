// The market stream: subscriptions, the timer and the ticks.
#include <doctest/doctest.h>

#include <string>

#include "simulator_fixture.hpp"

using namespace oa::test;

namespace {

const CapturedTick* tick_for(const std::vector<CapturedTick>& ticks, std::string_view symbol) {
  for (const auto& tick : ticks)
    if (tick.symbol == symbol) return &tick;
  return nullptr;
}

}  // namespace

TEST_CASE("subscribed symbols tick once per timer period with the fields of their mode") {
  FakeHost host(kSessionOpen);
  PluginInstance simulator(host);
  REQUIRE(simulator
              .subscribe({subscription("RELIANCE", "NSE", OA_MODE_LTP),
                          subscription("NIFTY25NOV25FUT", "NFO", OA_MODE_DEPTH),
                          subscription("SBIN", "NSE", OA_MODE_QUOTE)})
              .status == OA_OK);
  CHECK(host.live_timers() == 1);
  CHECK(host.last_timer_period() == 1000);
  host.fire_timers();
  auto ticks = host.ticks();
  REQUIRE(ticks.size() == 3);

  const auto* ltp = tick_for(ticks, "RELIANCE");
  REQUIRE(ltp);
  CHECK(ltp->tick.struct_size == sizeof(oa_tick));
  CHECK(ltp->tick.mode == OA_MODE_LTP);
  CHECK(ltp->exchange == "NSE");
  CHECK(ltp->token == "10038");
  CHECK(ltp->tick.ltp > 0);
  CHECK(ltp->tick.exchange_time_ms == ist_ms(2025, 11, 19, 11, 0, 30));
  CHECK(ltp->tick.volume == 0);
  CHECK(ltp->tick.open == 0);
  CHECK(ltp->tick.bids[0].price == 0);

  const auto* quote = tick_for(ticks, "SBIN");
  REQUIRE(quote);
  CHECK(quote->tick.mode == OA_MODE_QUOTE);
  CHECK(quote->tick.open > 0);
  CHECK(quote->tick.close > 0);
  CHECK(quote->tick.volume > 0);
  CHECK(quote->tick.average_price > 0);
  CHECK(quote->tick.total_buy_quantity > 0);
  CHECK(quote->tick.bids[0].price > 0);
  CHECK(quote->tick.asks[0].price > quote->tick.bids[0].price);
  CHECK(quote->tick.bids[1].price == 0);

  const auto* depth = tick_for(ticks, "NIFTY25NOV25FUT");
  REQUIRE(depth);
  CHECK(depth->tick.mode == OA_MODE_DEPTH);
  CHECK(depth->tick.oi > 0);
  for (int i = 0; i < OA_DEPTH_LEVELS; ++i) {
    CHECK(depth->tick.bids[i].price > 0);
    CHECK(depth->tick.bids[i].quantity > 0);
    CHECK(depth->tick.asks[i].quantity > 0);
  }
  CHECK(depth->tick.bids[4].price < depth->tick.bids[0].price);
  CHECK(depth->tick.asks[4].price > depth->tick.asks[0].price);

  host.fire_timers();
  CHECK(host.ticks().size() == 6);
}

TEST_CASE("a streamed tick agrees with the quote at the same instant") {
  FakeHost host(kSessionOpen);
  PluginInstance simulator(host);
  REQUIRE(simulator.subscribe({subscription("ICICIBANK", "NSE", OA_MODE_QUOTE)}).status == OA_OK);
  host.set_now(kSessionOpen + 5000);
  host.fire_timers();
  auto ticks = host.ticks();
  REQUIRE(ticks.size() == 1);
  auto quote = simulator.quotes("ICICIBANK", "NSE").document();
  const oa_tick& tick = ticks[0].tick;
  CHECK(tick.ltp == number(quote, "ltp"));
  CHECK(tick.open == number(quote, "open"));
  CHECK(tick.high == number(quote, "high"));
  CHECK(tick.low == number(quote, "low"));
  CHECK(tick.close == number(quote, "prev_close"));
  CHECK(tick.volume == quote.at("volume").as_int64());
  CHECK(tick.bids[0].price == number(quote, "bid"));
  CHECK(tick.asks[0].price == number(quote, "ask"));
}

TEST_CASE("unsubscribing stops that symbol's ticks, and the last one stops the timer") {
  FakeHost host(kSessionOpen);
  PluginInstance simulator(host);
  REQUIRE(simulator.subscribe({subscription("RELIANCE", "NSE", OA_MODE_LTP), subscription("TCS", "NSE", OA_MODE_QUOTE)})
              .status == OA_OK);
  REQUIRE(simulator.unsubscribe({subscription("RELIANCE", "NSE", OA_MODE_LTP)}).status == OA_OK);
  host.fire_timers();
  auto ticks = host.ticks();
  REQUIRE(ticks.size() == 1);
  CHECK(ticks[0].symbol == "TCS");
  REQUIRE(simulator.unsubscribe({subscription("TCS", "NSE", OA_MODE_QUOTE)}).status == OA_OK);
  CHECK(host.live_timers() == 0);
  host.clear_ticks();
  host.fire_timers();
  CHECK(host.ticks().empty());
}

TEST_CASE("a symbol subscribed in two modes ticks in both") {
  FakeHost host(kSessionOpen);
  PluginInstance simulator(host);
  REQUIRE(simulator.subscribe({subscription("SBIN", "NSE", OA_MODE_LTP), subscription("SBIN", "NSE", OA_MODE_DEPTH)})
              .status == OA_OK);
  host.fire_timers();
  CHECK(host.ticks().size() == 2);
  REQUIRE(simulator.unsubscribe({subscription("SBIN", "NSE", OA_MODE_LTP)}).status == OA_OK);
  host.clear_ticks();
  host.fire_timers();
  REQUIRE(host.ticks().size() == 1);
  CHECK(host.ticks()[0].tick.mode == OA_MODE_DEPTH);
}

TEST_CASE("subscribing to an unknown symbol fails and subscribes nothing") {
  FakeHost host(kSessionOpen);
  PluginInstance simulator(host);
  auto outcome =
      simulator.subscribe({subscription("SBIN", "NSE", OA_MODE_LTP), subscription("NOPE", "NSE", OA_MODE_LTP)});
  CHECK(outcome.status == OA_ERR_NOT_FOUND);
  CHECK(outcome.error == "Symbol NOPE not found on NSE");
  CHECK(host.live_timers() == 0);
}

TEST_CASE("a subscription by token alone is resolved through the master") {
  FakeHost host(kSessionOpen);
  PluginInstance simulator(host);
  oa_subscription by_token{{nullptr, 0}, oa::sdk::view("NSE"), oa::sdk::view("10038"), OA_MODE_LTP};
  REQUIRE(simulator.subscribe({by_token}).status == OA_OK);
  host.fire_timers();
  REQUIRE(host.ticks().size() == 1);
  CHECK(host.ticks()[0].symbol == "RELIANCE");
}

TEST_CASE("the tick period comes from SIMULATOR_TICK_MS, never below 50 ms") {
  FakeHost slow_host(kSessionOpen, {{"SIMULATOR_TICK_MS", "250"}}),
      fast_host(kSessionOpen, {{"SIMULATOR_TICK_MS", "5"}});
  PluginInstance slow(slow_host), fast(fast_host);
  REQUIRE(slow.subscribe({subscription("SBIN", "NSE", OA_MODE_LTP)}).status == OA_OK);
  REQUIRE(fast.subscribe({subscription("SBIN", "NSE", OA_MODE_LTP)}).status == OA_OK);
  CHECK(slow_host.last_timer_period() == 250);
  CHECK(fast_host.last_timer_period() == 50);
  bool warned = false;
  for (const auto& line : fast_host.logs()) warned |= line.find("SIMULATOR_TICK_MS") != std::string::npos;
  CHECK(warned);
}

TEST_CASE("destroying an instance with live subscriptions stops its timer") {
  FakeHost host(kSessionOpen);
  {
    Outcome error;
    oa_plugin* instance = PluginInstance::create(host, error);
    REQUIRE(instance);
    auto item = subscription("SBIN", "NSE", OA_MODE_LTP);
    oa_call call{sizeof(oa_call), 0, {}};
    Outcome outcome;
    oa_result result{&outcome};
    REQUIRE(loaded_plugin().subscribe(instance, &call, &item, 1, &result) == OA_OK);
    CHECK(host.live_timers() == 1);
    loaded_plugin().destroy(instance);  // without the host stopping the timer first
  }
  CHECK(host.live_timers() == 0);
}

TEST_CASE("a contract dropped by a master refresh keeps ticking until it is unsubscribed") {
  FakeHost host(kSessionOpen);
  PluginInstance simulator(host);
  REQUIRE(simulator.subscribe({subscription("NIFTY25NOV25FUT", "NFO", OA_MODE_LTP)}).status == OA_OK);
  host.set_now(ist_ms(2025, 11, 26, 10, 0));
  REQUIRE(simulator.master_contract().status == OA_OK);
  host.fire_timers();
  CHECK(host.ticks().size() == 1);
  REQUIRE(simulator.unsubscribe({subscription("NIFTY25NOV25FUT", "NFO", OA_MODE_LTP)}).status == OA_OK);
  CHECK(host.live_timers() == 0);
}
