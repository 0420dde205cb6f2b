// zerodha_fixture.hpp — the Zerodha plugin as the daemon runs it (the real
// plugin host, HTTP and WebSocket clients) against the loopback Kite fake,
// logged in, with the fake's instrument file loaded as the master contract.
#pragma once

#include <doctest/doctest.h>

#include <chrono>
#include <mutex>
#include <thread>

#include <boost/json.hpp>

#include "fakes/zerodha/kite_fake.hpp"
#include "instruments/instrument_index.hpp"
#include "net/http_client.hpp"
#include "net/ws_client.hpp"
#include "plugins/plugin_host.hpp"
#include "support/daemon_process.hpp"

namespace oa::test {

namespace json = boost::json;
using plugins::Operation;
using plugins::Outcome;

struct Tick {
  std::string symbol, exchange;
  oa_tick tick;
};

class ZerodhaPlugin {
  // Declared before `host`, so destroyed after it: the plugin's stream threads deliver ticks here until
  // the host has unloaded it (destroyed first, they locked a dead mutex: a crash or a hang).
  std::mutex ticks_mutex_;
  std::vector<Tick> ticks_;
  std::vector<bool> statuses_;

 public:
  KiteFake fake;
  TempDir dir;
  net::HttpClient http{net::HttpClient::Options{}};
  net::WsClient ws;
  instruments::InstrumentTable table;
  plugins::PluginHost host;
  plugins::Session session;

  explicit ZerodhaPlugin(bool log_in = true) : host(options(), services()) {
    host.load(ZERODHA_PLUGIN_PATH);
    if (!log_in) return;
    auto login = host.call_and_wait("zerodha", Operation::Authenticate, R"({"request_token":"req-token-1"})");
    REQUIRE_MESSAGE(login.ok(), login.message);
    auto answer = json::parse(login.json).as_object();
    session = {std::string(answer.at("auth_token").as_string()), "", std::string(answer.at("broker_user_id").as_string())};
    std::vector<instruments::Instrument> rows;
    auto master = host.master_contract("zerodha", rows);
    REQUIRE_MESSAGE(master.ok(), master.message);
    table.replace("zerodha", std::make_shared<instruments::InstrumentIndex>(std::move(rows)));
  }

  Outcome call(Operation operation, const json::object& request,
               std::optional<std::chrono::milliseconds> timeout = std::nullopt) {
    return host.call_and_wait("zerodha", operation, json::serialize(request), session, timeout);
  }
  json::object answer(Operation operation, const json::object& request) {
    auto outcome = call(operation, request);
    REQUIRE_MESSAGE(outcome.ok(), outcome.message);
    return json::parse(outcome.json).as_object();
  }
  json::value answer_value(Operation operation, const json::object& request) {
    auto outcome = call(operation, request);
    REQUIRE_MESSAGE(outcome.ok(), outcome.message);
    return json::parse(outcome.json);
  }

  std::vector<Tick> ticks() {
    std::lock_guard lock(ticks_mutex_);
    return ticks_;
  }
  // Polls (never sleeps for a fixed time) until `count` ticks arrived or 10 s passed.
  bool wait_for_ticks(std::size_t count) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (ticks().size() < count && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return ticks().size() >= count;
  }
  // What the plugin reported of its feed (ABI 1.1 stream_status), in order.
  std::vector<bool> stream_statuses() {
    std::lock_guard lock(ticks_mutex_);
    return statuses_;
  }
  void clear_ticks() {
    std::lock_guard lock(ticks_mutex_);
    ticks_.clear();
  }

 private:
  plugins::HostOptions options() {
    plugins::HostOptions options;
    options.copy_dir = dir.path() / "loaded";
    options.workers = 4;
    options.default_deadline = std::chrono::seconds(5);
    auto settings = fake.settings();
    std::map<std::string, std::string> values;
    for (std::size_t i = 1; i < settings.size(); i += 2) {
      auto eq = settings[i].find('=');
      values[settings[i].substr(0, eq)] = settings[i].substr(eq + 1);
    }
    options.setting = [values](const std::string& key) -> std::optional<std::string> {
      auto found = values.find(key);
      if (found == values.end()) return std::nullopt;
      return found->second;
    };
    return options;
  }
  plugins::HostServices services() {
    plugins::HostServices services;
    services.http = &http;
    services.ws = &ws;
    services.instruments = &table;
    // The plugin's clock stands still, so Kite's request limits refill only
    // when a test says: a limit test cannot pass or fail by the machine's speed.
    services.now_ms = [] { return std::int64_t{1'732'500'000'000}; };
    services.on_tick = [this](const std::string&, const oa_tick& tick) {
      std::lock_guard lock(ticks_mutex_);
      ticks_.push_back({std::string(tick.symbol.ptr, tick.symbol.len), std::string(tick.exchange.ptr, tick.exchange.len), tick});
    };
    services.on_stream_status = [this](const std::string&, bool connected, std::string_view) {
      std::lock_guard lock(ticks_mutex_);
      statuses_.push_back(connected);
    };
    return services;
  }
};

inline std::string field(const KiteRequest& request, const std::string& name) {
  auto found = request.fields.find(name);
  return found == request.fields.end() ? std::string("<absent>") : found->second;
}

}  // namespace oa::test
