#include "fake_host.hpp"

#include <dlfcn.h>

#include <chrono>
#include <cstdio>
#include <stdexcept>

namespace oa::test {
namespace {

using oa::sdk::view;

void host_log(oa_host* host, oa_log_level level, oa_str message) { host->fake->log(level, view(message)); }

oa_str host_config_get(oa_host* host, const char* key) { return host->fake->config_get(key); }

void host_result_json(oa_result* result, oa_str json) { result->outcome->json.assign(view(json)); }

void host_result_error(oa_result* result, oa_status status, oa_str message) {
  result->outcome->status = status;
  result->outcome->error.assign(view(message));
}

oa_status host_http_request(oa_host*, const oa_http_request*, oa_http_response_fn, void*, char* error,
                            size_t error_size) {
  if (error && error_size) std::snprintf(error, error_size, "the test host has no network");
  return OA_ERR_UPSTREAM;
}

oa_status host_instrument_lookup(oa_host*, int, oa_str, oa_str, oa_instrument_fn, void*) { return OA_ERR_NOT_FOUND; }

void host_instrument_add(oa_result* sink, const oa_instrument* row) {
  sink->outcome->rows.push_back(oa::sdk::detail::from_c(*row));
}

void host_emit_tick(oa_host* host, const oa_tick* tick) { host->fake->emit_tick(*tick); }

void host_emit_order_update(oa_host* host, oa_str json) {
  host->fake->log(OA_LOG_INFO, "order update " + std::string(view(json)));
}

int64_t host_now_ms(oa_host* host) { return host->fake->now(); }

uint64_t host_timer_start(oa_host* host, uint32_t period_ms, oa_timer_fn fn, void* user) {
  return host->fake->timer_start(period_ms, fn, user);
}

void host_timer_stop(oa_host* host, uint64_t id) { host->fake->timer_stop(id); }

oa_ws* host_ws_connect(oa_host*, oa_str, const oa_header*, size_t, const oa_ws_callbacks*) { return nullptr; }
oa_status host_ws_send(oa_ws*, int, oa_str) { return OA_ERR_UPSTREAM; }
void host_ws_close(oa_ws*) {}

void host_stream_status(oa_host* host, int connected, oa_str reason) {
  host->fake->log(OA_LOG_INFO, std::string(connected ? "stream up " : "stream down ") + std::string(view(reason)));
}

const oa_host_api kHostApi = {
    sizeof(oa_host_api),
    OA_PLUGIN_ABI_MAJOR,
    OA_PLUGIN_ABI_MINOR,
    OA_PLUGIN_BUILD_FINGERPRINT,
    host_log,
    host_config_get,
    host_result_json,
    host_result_error,
    host_http_request,
    host_instrument_lookup,
    host_instrument_add,
    host_emit_tick,
    host_emit_order_update,
    host_now_ms,
    host_timer_start,
    host_timer_stop,
    host_ws_connect,
    host_ws_send,
    host_ws_close,
    host_stream_status,
};

const oa_call kCall = {sizeof(oa_call), 0, {}};

std::string document(std::string_view symbol, std::string_view exchange) {
  return boost::json::serialize(boost::json::object{{"symbol", symbol}, {"exchange", exchange}});
}

}  // namespace

FakeHost::FakeHost(std::int64_t now_ms, std::map<std::string, std::string> config)
    : config_(std::move(config)), now_ms_(now_ms) {}

void FakeHost::set_now(std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  now_ms_ = now_ms;
}

std::int64_t FakeHost::now() const {
  std::lock_guard lock(mutex_);
  return now_ms_;
}

void FakeHost::fire_timers() {
  std::lock_guard firing(firing_mutex_);
  std::map<std::uint64_t, Timer> timers;
  {
    std::lock_guard lock(mutex_);
    timers = timers_;
  }
  for (const auto& [id, timer] : timers) timer.fn(timer.user);
}

std::size_t FakeHost::live_timers() const {
  std::lock_guard lock(mutex_);
  return timers_.size();
}

std::uint32_t FakeHost::last_timer_period() const {
  std::lock_guard lock(mutex_);
  return last_period_;
}

void FakeHost::stop_all_timers() {
  {
    std::lock_guard lock(mutex_);
    timers_.clear();
  }
  std::lock_guard firing(firing_mutex_);
}

std::vector<CapturedTick> FakeHost::ticks() const {
  std::lock_guard lock(mutex_);
  return ticks_;
}

void FakeHost::clear_ticks() {
  std::lock_guard lock(mutex_);
  ticks_.clear();
}

std::vector<std::string> FakeHost::logs() const {
  std::lock_guard lock(mutex_);
  return logs_;
}

oa_str FakeHost::config_get(const char* key) const {
  auto found = config_.find(key);
  if (found == config_.end()) return {nullptr, 0};
  return view(found->second);
}

void FakeHost::log(oa_log_level level, std::string_view message) {
  static const char* const kLevels[] = {"debug", "info", "warning", "error"};
  std::lock_guard lock(mutex_);
  logs_.push_back(std::string(kLevels[level]) + ": " + std::string(message));
}

void FakeHost::emit_tick(const oa_tick& tick) {
  CapturedTick captured{tick, std::string(view(tick.symbol)), std::string(view(tick.exchange)),
                        std::string(view(tick.token))};
  captured.tick.symbol = captured.tick.exchange = captured.tick.token = {nullptr, 0};
  std::lock_guard lock(mutex_);
  ticks_.push_back(std::move(captured));
}

std::uint64_t FakeHost::timer_start(std::uint32_t period_ms, oa_timer_fn fn, void* user) {
  std::lock_guard lock(mutex_);
  last_period_ = period_ms;
  timers_.emplace(next_timer_, Timer{period_ms, fn, user});
  return next_timer_++;
}

void FakeHost::timer_stop(std::uint64_t id) {
  {
    std::lock_guard lock(mutex_);
    timers_.erase(id);
  }
  // As the ABI promises: once stopped, the timer's function is not running.
  std::lock_guard firing(firing_mutex_);
}

const oa_plugin_api& loaded_plugin() {
  static const oa_plugin_api* api = [] {
    void* library = dlopen(SIMULATOR_PLUGIN_PATH, RTLD_NOW | RTLD_LOCAL);
    if (!library) throw std::runtime_error(std::string("dlopen: ") + dlerror());
    auto entry = reinterpret_cast<oa_plugin_entry_fn>(dlsym(library, OA_PLUGIN_ENTRY_SYMBOL));
    if (!entry) throw std::runtime_error("the plugin does not export " OA_PLUGIN_ENTRY_SYMBOL);
    const oa_plugin_api* table = entry(&kHostApi);
    if (!table) throw std::runtime_error("the plugin refused the test host");
    return table;
  }();
  return *api;
}

oa_plugin* PluginInstance::create(FakeHost& host, Outcome& error) {
  oa_result result{&error};
  oa_plugin* instance = nullptr;
  error.status = loaded_plugin().create(host.handle(), &instance, &result);
  return error.status == OA_OK ? instance : nullptr;
}

PluginInstance::PluginInstance(FakeHost& host) : host_(host) {
  Outcome error;
  instance_ = create(host, error);
  if (!instance_) throw std::runtime_error("create failed: " + error.error);
}

PluginInstance::~PluginInstance() {
  host_.stop_all_timers();
  loaded_plugin().destroy(instance_);
}

Outcome PluginInstance::call(oa_operation operation, std::string_view request) {
  Outcome outcome;
  oa_result result{&outcome};
  outcome.status = operation(instance_, &kCall, view(request), &result);
  return outcome;
}

Outcome PluginInstance::quotes(std::string_view symbol, std::string_view exchange) {
  return call(loaded_plugin().quotes, document(symbol, exchange));
}

Outcome PluginInstance::depth(std::string_view symbol, std::string_view exchange) {
  return call(loaded_plugin().depth, document(symbol, exchange));
}

Outcome PluginInstance::history(std::string_view symbol, std::string_view exchange, std::string_view interval,
                                std::string_view start_date, std::string_view end_date) {
  auto request = boost::json::object{{"symbol", symbol},
                                     {"exchange", exchange},
                                     {"interval", interval},
                                     {"start_date", start_date},
                                     {"end_date", end_date}};
  return call(loaded_plugin().history, boost::json::serialize(request));
}

Outcome PluginInstance::master_contract() { return call(loaded_plugin().master_contract, "{}"); }

Outcome PluginInstance::subscribe(const std::vector<oa_subscription>& items) {
  Outcome outcome;
  oa_result result{&outcome};
  outcome.status = loaded_plugin().subscribe(instance_, &kCall, items.data(), items.size(), &result);
  return outcome;
}

Outcome PluginInstance::unsubscribe(const std::vector<oa_subscription>& items) {
  Outcome outcome;
  oa_result result{&outcome};
  outcome.status = loaded_plugin().unsubscribe(instance_, &kCall, items.data(), items.size(), &result);
  return outcome;
}

std::int64_t ist_ms(int year, unsigned month, unsigned day, int hour, int minute, int second) {
  using namespace std::chrono;
  auto utc = sys_days{std::chrono::year{year} / std::chrono::month{month} / std::chrono::day{day}} + hours{hour} +
             minutes{minute} + seconds{second} - (hours{5} + minutes{30});
  return duration_cast<milliseconds>(utc.time_since_epoch()).count();
}

oa_subscription subscription(std::string_view symbol, std::string_view exchange, oa_stream_mode mode) {
  return {view(symbol), view(exchange), {nullptr, 0}, mode};
}

}  // namespace oa::test
