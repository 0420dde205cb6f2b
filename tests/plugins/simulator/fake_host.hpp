// fake_host.hpp — a host for plugin tests: its own oa_host_api table (logs,
// config from a map, a settable clock, timers fired by hand, captured ticks
// and instrument rows), and the plugin loaded as the real shared library
// through its exported entry symbol, exactly as openalgod loads it.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "openalgo_plugin.hpp"

namespace oa::test {

class FakeHost;

// A tick as emitted, with its strings copied out.
struct CapturedTick {
  oa_tick tick{};  // its oa_str members are cleared; use the strings below
  std::string symbol, exchange, token;
};

// What one operation answered.
struct Outcome {
  oa_status status = OA_OK;
  std::string json;
  std::string error;
  std::vector<oa::sdk::Instrument> rows;  // master_contract only
  boost::json::value document() const { return boost::json::parse(json); }
};

}  // namespace oa::test

// The opaque handles of the C ABI, as this host defines them.
struct oa_host {
  oa::test::FakeHost* fake;
};
struct oa_result {
  oa::test::Outcome* outcome;
};

namespace oa::test {

// The host side of one plugin instance.
class FakeHost {
 public:
  explicit FakeHost(std::int64_t now_ms, std::map<std::string, std::string> config = {});
  FakeHost(const FakeHost&) = delete;
  FakeHost& operator=(const FakeHost&) = delete;

  oa_host* handle() { return &handle_; }
  void set_now(std::int64_t now_ms);
  std::int64_t now() const;

  // Runs every live timer's function once, on the calling thread; stopping a
  // timer waits for a run in progress.
  void fire_timers();
  std::size_t live_timers() const;
  std::uint32_t last_timer_period() const;
  void stop_all_timers();

  std::vector<CapturedTick> ticks() const;
  void clear_ticks();
  std::vector<std::string> logs() const;

  // The host services, called through the oa_host_api table.
  oa_str config_get(const char* key) const;
  void log(oa_log_level level, std::string_view message);
  void emit_tick(const oa_tick& tick);
  std::uint64_t timer_start(std::uint32_t period_ms, oa_timer_fn fn, void* user);
  void timer_stop(std::uint64_t id);

 private:
  struct Timer {
    std::uint32_t period_ms;
    oa_timer_fn fn;
    void* user;
  };
  oa_host handle_{this};
  const std::map<std::string, std::string> config_;
  std::mutex firing_mutex_;  // held while timers run
  mutable std::mutex mutex_;
  std::int64_t now_ms_;
  std::map<std::uint64_t, Timer> timers_;
  std::uint64_t next_timer_ = 1;
  std::uint32_t last_period_ = 0;
  std::vector<CapturedTick> ticks_;
  std::vector<std::string> logs_;
};

// The plugin library, loaded once per test process with dlopen.
const oa_plugin_api& loaded_plugin();

// One plugin instance on a FakeHost. Destroying it stops the host's timers
// first, as openalgod does.
class PluginInstance {
 public:
  explicit PluginInstance(FakeHost& host);
  ~PluginInstance();
  PluginInstance(const PluginInstance&) = delete;
  PluginInstance& operator=(const PluginInstance&) = delete;

  // Creates an instance; on failure returns nullptr and fills `error`.
  static oa_plugin* create(FakeHost& host, Outcome& error);

  Outcome call(oa_operation operation, std::string_view request);
  Outcome quotes(std::string_view symbol, std::string_view exchange);
  Outcome depth(std::string_view symbol, std::string_view exchange);
  Outcome history(std::string_view symbol, std::string_view exchange, std::string_view interval,
                  std::string_view start_date, std::string_view end_date);
  Outcome master_contract();
  Outcome subscribe(const std::vector<oa_subscription>& items);
  Outcome unsubscribe(const std::vector<oa_subscription>& items);

 private:
  FakeHost& host_;
  oa_plugin* instance_ = nullptr;
};

// An IST wall-clock time as Unix epoch milliseconds.
std::int64_t ist_ms(int year, unsigned month, unsigned day, int hour, int minute, int second = 0);

oa_subscription subscription(std::string_view symbol, std::string_view exchange, oa_stream_mode mode);

}  // namespace oa::test
