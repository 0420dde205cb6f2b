// The simulator's margin calculator: the sandbox's leverage over a basket.
#include <doctest/doctest.h>

#include <string>

#include "simulator_fixture.hpp"

using namespace oa::test;

namespace {

Outcome margin(PluginInstance& simulator, const std::string& positions) {
  return simulator.call(loaded_plugin().margin, R"({"positions":)" + positions + "}");
}

}  // namespace

TEST_CASE("a CNC limit buy blocks its full value, an MIS one a fifth of it") {
  FakeHost host(kSessionOpen);
  PluginInstance simulator(host);
  auto cnc = margin(simulator, R"([{"symbol":"SBIN","exchange":"NSE","action":"BUY","quantity":10,
    "product":"CNC","pricetype":"LIMIT","price":100.0,"trigger_price":0.0}])");
  REQUIRE(cnc.status == OA_OK);
  CHECK(number(cnc.document(), "total_margin_required") == 1000.0);
  CHECK(number(cnc.document(), "exposure_margin") == 1000.0);
  CHECK(number(cnc.document(), "span_margin") == 0.0);
  auto mis = margin(simulator, R"([{"symbol":"SBIN","exchange":"NSE","action":"BUY","quantity":10,
    "product":"MIS","pricetype":"LIMIT","price":100.0,"trigger_price":0.0}])");
  CHECK(number(mis.document(), "total_margin_required") == 200.0);
}

TEST_CASE("a market position is priced at the current LTP, and positions add up") {
  FakeHost host(kSessionOpen);
  PluginInstance simulator(host);
  double ltp = number(simulator.quotes("SBIN", "NSE").document(), "ltp");
  auto basket = margin(simulator, R"([{"symbol":"SBIN","exchange":"NSE","action":"BUY","quantity":2,
    "product":"CNC","pricetype":"MARKET","price":0.0,"trigger_price":0.0},
    {"symbol":"SBIN","exchange":"NSE","action":"SELL","quantity":1,"product":"CNC","pricetype":"SL-M",
    "price":0.0,"trigger_price":50.0}])");
  REQUIRE(basket.status == OA_OK);
  CHECK(number(basket.document(), "total_margin_required") == doctest::Approx(2 * ltp + 50).epsilon(1e-9));
}

TEST_CASE("a future blocks a tenth of its value, as span margin") {
  FakeHost host(kSessionOpen);
  PluginInstance simulator(host);
  auto future = margin(simulator, R"([{"symbol":"NIFTY25NOV25FUT","exchange":"NFO","action":"SELL","quantity":75,
    "product":"NRML","pricetype":"LIMIT","price":26000.0,"trigger_price":0.0}])");
  REQUIRE_MESSAGE(future.status == OA_OK, future.error);
  CHECK(number(future.document(), "span_margin") == 195000.0);
  CHECK(number(future.document(), "exposure_margin") == 0.0);
}

TEST_CASE("an unknown symbol is refused by name") {
  FakeHost host(kSessionOpen);
  PluginInstance simulator(host);
  auto unknown = margin(simulator, R"([{"symbol":"NOPE","exchange":"NSE","action":"BUY","quantity":1,
    "product":"CNC","pricetype":"MARKET"}])");
  CHECK(unknown.status == OA_ERR_NOT_FOUND);
  CHECK(unknown.error == "Symbol NOPE not found on NSE");
}
