#pragma once
// The host side of the plugin ABI: the oa_host_api table and the two opaque
// types it hands to plugins, oa_host (one per plugin instance) and oa_result
// (one per operation call).
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "instruments/instrument_index.hpp"
#include "openalgo_plugin.h"

namespace oa::net {
class HttpClient;
class WsClient;
}  // namespace oa::net

namespace oa::plugins {

class WorkerPool;
class Scheduler;

// What every plugin instance shares; owned by the PluginHost, outlives all instances.
struct HostContext {
  WorkerPool* pool = nullptr;
  Scheduler* scheduler = nullptr;
  net::HttpClient* http = nullptr;
  net::WsClient* ws = nullptr;
  instruments::InstrumentTable* instruments = nullptr;
  std::function<void(const std::string& broker, const oa_tick&)> on_tick;
  std::function<void(const std::string& broker, std::string_view json)> on_order_update;
  // ABI 1.1 stream_status: the plugin's upstream feed went up or down.
  std::function<void(const std::string& broker, bool connected, std::string_view reason)> on_stream_status;
  std::function<std::int64_t()> now_ms;
};

// What a plugin last said about its upstream market-data feed (ABI 1.1).
struct StreamState {
  bool reported = false;  // false until the plugin calls stream_status (1.0 plugins never do)
  bool connected = false;
  std::string reason;
  std::int64_t changed_ms = 0;   // Unix epoch ms of the last report
  std::uint64_t disconnects = 0; // how many times it reported a loss
};

const oa_host_api& host_api_table();

}  // namespace oa::plugins

struct oa_timer_state;
struct oa_ws;

// One plugin instance's view of the host. Created before the plugin's create
// and torn down (timers stopped, sockets closed) before its destroy returns.
struct oa_host {
  oa::plugins::HostContext* context = nullptr;
  std::string plugin_id;
  std::map<std::string, std::string, std::less<>> config;  // snapshot taken at load

  std::mutex timers_mutex;
  std::map<std::uint64_t, std::shared_ptr<oa_timer_state>> timers;
  std::mutex sockets_mutex;
  std::vector<std::shared_ptr<oa_ws>> sockets;
  mutable std::mutex stream_mutex;
  oa::plugins::StreamState stream;

  oa::plugins::StreamState stream_state() const {
    std::lock_guard lock(stream_mutex);
    return stream;
  }

  // Stops every timer (waiting for running ones) and closes every socket.
  void quiesce();
};

// One operation's answer, filled by the plugin through the host table.
struct oa_result {
  std::optional<std::string> json;
  oa_status error_status = OA_OK;
  std::string error_message;
  // Set only during master_contract: receives each row.
  std::function<void(const oa_instrument&)> instrument_sink;
};
