// The simulator as the host discovers it: manifest, table, request handling.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "simulator_fixture.hpp"

using namespace oa::test;

TEST_CASE("the manifest names the simulator, needs no login and lists every OpenAlgo interval") {
  const oa_manifest& manifest = *loaded_plugin().manifest;
  CHECK(std::string(manifest.id) == "simulator");
  CHECK(std::string(manifest.display_name) == "Simulator");
  CHECK(manifest.auth_style == OA_AUTH_NONE);
  CHECK(manifest.capabilities == (OA_CAP_QUOTES | OA_CAP_MULTIQUOTES | OA_CAP_DEPTH | OA_CAP_HISTORY |
                                  OA_CAP_MASTER_CONTRACT | OA_CAP_MARKET_STREAM | OA_CAP_MARGIN));
  std::vector<std::string> intervals;
  for (auto name = manifest.intervals; *name; ++name) intervals.emplace_back(*name);
  CHECK(intervals == std::vector<std::string>{"1s",  "5s",  "10s", "15s", "30s", "45s", "1m", "2m", "3m", "5m", "10m",
                                              "15m", "20m", "30m", "1h",  "2h",  "3h",  "4h", "D",  "W",  "M"});
  std::vector<std::string> keys;
  for (auto key = manifest.config_keys; *key; ++key) keys.emplace_back(*key);
  CHECK(keys == std::vector<std::string>{"SIMULATOR_SEED", "SIMULATOR_TICK_MS"});
}

TEST_CASE("the plugin table offers exactly the declared capabilities") {
  const oa_plugin_api& api = loaded_plugin();
  CHECK(api.abi_major == OA_PLUGIN_ABI_MAJOR);
  CHECK(std::string(api.build_fingerprint) == OA_PLUGIN_BUILD_FINGERPRINT);
  CHECK((api.create != nullptr));
  CHECK((api.destroy != nullptr));
  CHECK((api.quotes != nullptr));
  CHECK((api.multiquotes != nullptr));
  CHECK((api.depth != nullptr));
  CHECK((api.history != nullptr));
  CHECK((api.master_contract != nullptr));
  CHECK((api.subscribe != nullptr));
  CHECK((api.unsubscribe != nullptr));
  CHECK((api.margin != nullptr));
  for (auto operation :
       {api.authenticate, api.place_order, api.modify_order, api.cancel_order, api.place_smart_order,
        api.cancel_all_orders, api.close_all_positions, api.order_book, api.trade_book, api.positions, api.holdings,
        api.funds, api.gtt_place, api.gtt_modify, api.gtt_cancel, api.gtt_book})
    CHECK((operation == nullptr));
}

TEST_CASE("a request that is not a JSON object is refused as an invalid argument") {
  FakeHost host(kSessionOpen);
  PluginInstance simulator(host);
  auto outcome = simulator.call(loaded_plugin().quotes, "{not json");
  CHECK(outcome.status == OA_ERR_INVALID_ARGUMENT);
  CHECK_FALSE(outcome.error.empty());
}

TEST_CASE("a malformed SIMULATOR_SEED makes create fail with a message naming the setting") {
  FakeHost host(kSessionOpen, {{"SIMULATOR_SEED", "forty-two"}});
  Outcome error;
  CHECK(PluginInstance::create(host, error) == nullptr);
  CHECK(error.status == OA_ERR_INVALID_ARGUMENT);
  CHECK(error.error.find("SIMULATOR_SEED") != std::string::npos);
}
