#pragma once
// The Angel plugin loaded by openalgod's own plugin host, with the real
// upstream HTTP and WebSocket clients, pointed at the SmartAPI fake: the
// plugin runs exactly as in the daemon, and a test sees its ticks, its
// instrument rows and everything the fake received.
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/json.hpp>
#include <doctest/doctest.h>

#include "instruments/instrument_index.hpp"
#include "net/http_client.hpp"
#include "net/ws_client.hpp"
#include "plugins/plugin_host.hpp"
#include "smartapi_fake.hpp"
#include "support/daemon_process.hpp"

namespace oa::test {

struct SeenTick {
  oa_tick tick{};
  std::string symbol, exchange, token;
};

class AngelHost {
 public:
  AngelHost() : http_(net::HttpClient::Options{}) {
    auto args = fake.settings();
    for (std::size_t i = 1; i < args.size(); i += 2) {
      auto equals = args[i].find('=');
      settings_[args[i].substr(0, equals)] = args[i].substr(equals + 1);
    }
    plugins::HostOptions options;
    options.copy_dir = scratch_.path();
    options.workers = 4;
    options.default_deadline = std::chrono::seconds(10);
    options.setting = [this](const std::string& key) -> std::optional<std::string> {
      auto found = settings_.find(key);
      if (found == settings_.end()) return std::nullopt;
      return found->second;
    };
    plugins::HostServices services;
    services.http = &http_;
    services.ws = &ws_;
    services.instruments = &table_;
    services.on_tick = [this](const std::string&, const oa_tick& tick) { record(tick); };
    services.on_stream_status = [this](const std::string&, bool connected, std::string_view) {
      std::lock_guard lock(mutex_);
      statuses_.push_back(connected);
    };
    host_ = std::make_unique<plugins::PluginHost>(std::move(options), std::move(services));
    host_->load(ANGEL_PLUGIN_PATH);
  }

  SmartApiFake fake;

  plugins::Outcome call(plugins::Operation operation, const boost::json::object& request) {
    return host_->call_and_wait("angel", operation, boost::json::serialize(request), session_);
  }

  // Logs in with the fake's credentials and keeps the session for later calls.
  void login() {
    auto outcome = host_->call_and_wait("angel", plugins::Operation::Authenticate,
                                        R"({"userid":"A123456","pin":"1234","totp":"123456"})");
    REQUIRE_MESSAGE(outcome.ok(), outcome.message);
    auto session = boost::json::parse(outcome.json).as_object();
    session_ = {std::string(session.at("auth_token").as_string()), std::string(session.at("feed_token").as_string()),
                std::string(session.at("broker_user_id").as_string())};
  }

  plugins::Outcome download(std::vector<instruments::Instrument>& rows) { return host_->master_contract("angel", rows); }

  // Downloads the instrument file into the host's table; returns the rows.
  std::vector<instruments::Instrument> load_instruments() {
    std::vector<instruments::Instrument> rows;
    auto outcome = host_->master_contract("angel", rows);
    REQUIRE_MESSAGE(outcome.ok(), outcome.message);
    table_.replace("angel", std::make_shared<instruments::InstrumentIndex>(rows));
    return rows;
  }

  plugins::Outcome subscribe(const std::string& symbol, const std::string& exchange, const std::string& token,
                             oa_stream_mode mode) {
    return host_->subscribe("angel", {{symbol, exchange, token, mode}}, session_);
  }
  plugins::Outcome unsubscribe(const std::string& symbol, const std::string& exchange, const std::string& token,
                               oa_stream_mode mode) {
    return host_->unsubscribe("angel", {{symbol, exchange, token, mode}}, session_);
  }

  // Ticks the fake until `count` ticks arrived (polled with a deadline, not timed).
  std::vector<SeenTick> ticks_after_feeding(std::size_t count) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    std::unique_lock lock(mutex_);
    while (ticks_.size() < count && std::chrono::steady_clock::now() < deadline) {
      lock.unlock();
      fake.tick();
      lock.lock();
      arrived_.wait_for(lock, std::chrono::milliseconds(50), [&] { return ticks_.size() >= count; });
    }
    return ticks_;
  }
  // What the plugin reported of its feed (ABI 1.1 stream_status), in order.
  std::vector<bool> stream_statuses() {
    std::lock_guard lock(mutex_);
    return statuses_;
  }
  // Polls until the plugin has reported `count` feed states.
  bool wait_statuses(std::size_t count) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (stream_statuses().size() < count && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return stream_statuses().size() >= count;
  }
  void clear_ticks() {
    std::lock_guard lock(mutex_);
    ticks_.clear();
  }

  // Waits (with a deadline) until the fake holds `count` stream connections.
  bool wait_connections(std::size_t count) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (fake.stream_connections() != count && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return fake.stream_connections() == count;
  }

 private:
  void record(const oa_tick& tick) {
    SeenTick seen{tick, std::string(tick.symbol.ptr, tick.symbol.len), std::string(tick.exchange.ptr, tick.exchange.len),
                  std::string(tick.token.ptr, tick.token.len)};
    seen.tick.symbol = seen.tick.exchange = seen.tick.token = {nullptr, 0};
    std::lock_guard lock(mutex_);
    ticks_.push_back(std::move(seen));
    arrived_.notify_all();
  }

  TempDir scratch_;
  std::map<std::string, std::string> settings_;
  net::HttpClient http_;
  net::WsClient ws_;
  instruments::InstrumentTable table_;
  // The tick sink's state is declared before `host_`, so destroyed after it: the plugin's stream threads
  // deliver ticks here until the host has unloaded it (destroyed first, they locked a dead mutex).
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::vector<SeenTick> ticks_;
  std::vector<bool> statuses_;
  std::unique_ptr<plugins::PluginHost> host_;
  plugins::Session session_;
};

}  // namespace oa::test
