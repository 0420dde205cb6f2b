#include "plugins/plugin_host.hpp"

#include "traffic/broker_clock.hpp"

#include <algorithm>
#include <future>

#include <spdlog/spdlog.h>

#include "plugins/scheduler.hpp"
#include "plugins/worker_pool.hpp"

namespace oa::plugins {
namespace {

struct OperationEntry {
  std::string_view name;
  oa_operation oa_plugin_api::*field;
  std::uint64_t capability;  // 0 = no capability bit (authenticate)
};

const OperationEntry& entry(Operation operation) {
  static const OperationEntry table[] = {
      {"authenticate", &oa_plugin_api::authenticate, 0},
      {"orders", &oa_plugin_api::place_order, OA_CAP_ORDERS},
      {"orders", &oa_plugin_api::modify_order, OA_CAP_ORDERS},
      {"orders", &oa_plugin_api::cancel_order, OA_CAP_ORDERS},
      {"smart orders", &oa_plugin_api::place_smart_order, OA_CAP_SMART_ORDER},
      {"cancel all orders", &oa_plugin_api::cancel_all_orders, OA_CAP_CANCEL_ALL},
      {"close all positions", &oa_plugin_api::close_all_positions, OA_CAP_CLOSE_ALL},
      {"order book", &oa_plugin_api::order_book, OA_CAP_BOOKS},
      {"trade book", &oa_plugin_api::trade_book, OA_CAP_BOOKS},
      {"positions", &oa_plugin_api::positions, OA_CAP_BOOKS},
      {"holdings", &oa_plugin_api::holdings, OA_CAP_BOOKS},
      {"funds", &oa_plugin_api::funds, OA_CAP_FUNDS},
      {"margin", &oa_plugin_api::margin, OA_CAP_MARGIN},
      {"quotes", &oa_plugin_api::quotes, OA_CAP_QUOTES},
      {"multiquotes", &oa_plugin_api::multiquotes, OA_CAP_MULTIQUOTES},
      {"depth", &oa_plugin_api::depth, OA_CAP_DEPTH},
      {"history", &oa_plugin_api::history, OA_CAP_HISTORY},
      {"GTT orders", &oa_plugin_api::gtt_place, OA_CAP_GTT},
      {"GTT orders", &oa_plugin_api::gtt_modify, OA_CAP_GTT},
      {"GTT orders", &oa_plugin_api::gtt_cancel, OA_CAP_GTT},
      {"GTT orders", &oa_plugin_api::gtt_book, OA_CAP_GTT},
      {"order updates", &oa_plugin_api::order_stream_open, OA_CAP_ORDER_STREAM},
      {"order updates", &oa_plugin_api::order_stream_close, OA_CAP_ORDER_STREAM},
  };
  return table[static_cast<int>(operation)];
}

std::int64_t epoch_ms(std::chrono::milliseconds from_now) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch() +
                                                               from_now)
      .count();
}

oa_str view(const std::string& text) { return {text.data(), text.size()}; }

std::int64_t wall_ms() { return epoch_ms(std::chrono::milliseconds(0)); }

oa_call make_call(const Session& session, std::chrono::milliseconds timeout) {
  return {sizeof(oa_call), epoch_ms(timeout), {view(session.auth_token), view(session.feed_token), view(session.broker_user_id)}};
}

Outcome outcome_of(oa_status status, oa_result& result) {
  if (status == OA_OK) return {OA_OK, result.json.value_or("{}"), {}};
  if (result.error_status != OA_OK) status = result.error_status;
  std::string message = result.error_message.empty() ? "the broker plugin failed without a message" : result.error_message;
  return {status, {}, std::move(message)};
}

Outcome failure(oa_status status, std::string message) { return {status, {}, std::move(message)}; }

// Calls `done` once, whichever of the plugin and the deadline comes first.
struct Completion {
  std::function<void(Outcome)> done;
  std::atomic<bool> finished{false};
  std::atomic<std::uint64_t> deadline_timer{0};
  bool finish(Outcome outcome) {
    if (finished.exchange(true)) return false;
    done(std::move(outcome));
    return true;
  }
};

}  // namespace

std::string_view operation_name(Operation operation) { return entry(operation).name; }

// ---- in-flight accounting ---------------------------------------------------

void PluginHost::InFlight::enter() {
  std::lock_guard lock(mutex);
  ++count;
}

void PluginHost::InFlight::leave() {
  std::lock_guard lock(mutex);
  if (--count == 0) drained.notify_all();
}

bool PluginHost::InFlight::wait_zero(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex);
  return drained.wait_for(lock, timeout, [this] { return count == 0; });
}

PluginHost::Instance::~Instance() {
  if (host) host->quiesce();
  if (self) library->api().destroy(self);
  library.reset();
}

// ---- loading ------------------------------------------------------------------

PluginHost::PluginHost(HostOptions options, HostServices services)
    : options_(std::move(options)),
      scheduler_(std::make_unique<Scheduler>()),
      pool_(std::make_unique<WorkerPool>(options_.workers, options_.max_queued)) {
  context_.pool = pool_.get();
  context_.scheduler = scheduler_.get();
  context_.http = services.http;
  context_.ws = services.ws;
  context_.instruments = services.instruments;
  context_.on_tick = std::move(services.on_tick);
  context_.on_order_update = std::move(services.on_order_update);
  context_.on_stream_status = std::move(services.on_stream_status);
  context_.now_ms = std::move(services.now_ms);
}

PluginHost::~PluginHost() {
  std::map<std::string, Slot> slots;
  {
    std::lock_guard lock(mutex_);
    slots.swap(slots_);
  }
  for (auto& [id, slot] : slots) {
    if (slot.current->in_flight->wait_zero(options_.drain_timeout)) slot.current.reset();
    else stuck_.push_back(std::move(slot.current));
  }
  std::erase_if(stuck_, [](const auto& instance) { return instance->in_flight->wait_zero(std::chrono::milliseconds(0)); });
  if (stuck_.empty()) return;
  // A plugin call that never returns: joining its worker would hang the
  // daemon's exit, so the instance, the pool and the scheduler are left to the
  // end of the process on purpose.
  spdlog::error("plugins: {} plugin instance(s) still inside a call at shutdown; left loaded", stuck_.size());
  for (auto& instance : stuck_) new std::shared_ptr<Instance>(std::move(instance));
  (void)pool_.release();
  (void)scheduler_.release();
}

std::shared_ptr<PluginHost::Instance> PluginHost::create_instance(std::unique_ptr<PluginLibrary> library) {
  auto instance = std::make_shared<Instance>();
  const Manifest& manifest = library->manifest();
  instance->host = std::make_unique<oa_host>();
  instance->host->context = &context_;
  instance->host->plugin_id = manifest.id;
  std::vector<std::string> keys = manifest.config_keys;
  for (const char* broker_key : {"BROKER_API_KEY", "BROKER_API_SECRET", "BROKER_API_KEY_MARKET",
                                 "BROKER_API_SECRET_MARKET", "REDIRECT_URL"})
    keys.emplace_back(broker_key);
  for (const auto& key : keys)
    if (auto value = options_.setting ? options_.setting(key) : std::nullopt) instance->host->config[key] = *value;
  instance->library = std::move(library);
  oa_result error;
  oa_plugin* self = nullptr;
  oa_status status = instance->library->api().create(instance->host.get(), &self, &error);
  if (status != OA_OK || !self)
    throw LoadError("plugin " + manifest.id + " " + manifest.version + " failed to start: " +
                    outcome_of(status == OA_OK ? OA_ERR_INTERNAL : status, error).message);
  instance->self = self;
  return instance;
}

std::string PluginHost::load(const std::filesystem::path& file) {
  auto instance = create_instance(PluginLibrary::load(file, options_.copy_dir, host_api_table()));
  const Manifest& manifest = instance->library->manifest();
  std::lock_guard lock(mutex_);
  auto& slot = slots_[manifest.id];
  if (slot.current) {
    throw LoadError("plugin " + manifest.id + " from " + file.string() + " ignored: already loaded from " +
                    slot.current->library->file().string());
  }
  slot.current = std::move(instance);
  spdlog::info("plugins: loaded {} {} (ABI {}.{}) from {}", manifest.id, manifest.version, manifest.abi_major,
               manifest.abi_minor, file.string());
  return manifest.id;
}

std::vector<std::string> PluginHost::discover() {
  std::vector<std::string> problems;
  for (const auto& dir : options_.plugin_dirs) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) continue;
    std::vector<std::filesystem::path> files;
    for (const auto& item : std::filesystem::directory_iterator(dir, ec))
      if (item.is_regular_file() && item.path().extension() == ".so") files.push_back(item.path());
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      try {
        load(file);
      } catch (const LoadError& error) {
        spdlog::error("plugins: {}", error.what());
        problems.emplace_back(error.what());
      }
    }
  }
  return problems;
}

std::vector<PluginInfo> PluginHost::list() const {
  std::lock_guard lock(mutex_);
  std::vector<PluginInfo> out;
  for (const auto& [id, slot] : slots_) {
    out.push_back({slot.current->library->manifest(), slot.current->library->file().string(), "loaded", slot.calls,
                   slot.reloads, slot.last_reload_error, slot.subscriptions.size(),
                   slot.current->host->stream_state(), slot.contract});
    if (slot.contract.phase == "downloading") out.back().master_contract.rows = slot.contract_rows->load();
  }
  return out;
}

std::optional<Manifest> PluginHost::manifest(const std::string& id) const {
  std::lock_guard lock(mutex_);
  auto found = slots_.find(id);
  if (found == slots_.end()) return std::nullopt;
  return found->second.current->library->manifest();
}

std::optional<std::string> PluginHost::id_for_file(const std::filesystem::path& file) const {
  std::lock_guard lock(mutex_);
  for (const auto& [id, slot] : slots_) {
    std::error_code ec;
    if (std::filesystem::equivalent(slot.current->library->file(), file, ec)) return id;
  }
  return std::nullopt;
}

// ---- calls ----------------------------------------------------------------------

// Takes the current instance and counts the call in under the same lock that
// reload switches under: after the switch no call starts on the old instance.
std::shared_ptr<PluginHost::Instance> PluginHost::acquire(const std::string& id) {
  std::lock_guard lock(mutex_);
  auto found = slots_.find(id);
  if (found == slots_.end()) return nullptr;
  ++found->second.calls;
  found->second.current->in_flight->enter();
  return found->second.current;
}

bool is_order_operation(Operation operation) {
  switch (operation) {
    case Operation::PlaceOrder: case Operation::ModifyOrder: case Operation::CancelOrder:
    case Operation::PlaceSmartOrder: case Operation::CancelAllOrders: case Operation::CloseAllPositions:
    case Operation::GttPlace: case Operation::GttModify: case Operation::GttCancel:
      return true;
    default:
      return false;
  }
}

void PluginHost::call(const std::string& id, Operation operation, std::string request, Session session,
                      std::function<void(Outcome)> done, std::optional<std::chrono::milliseconds> timeout) {
  if (is_order_operation(operation) && options_.orders_blocked && options_.orders_blocked())
    return done(failure(OA_ERR_INVALID_ARGUMENT, "analyzer mode is on: orders go to the sandbox and never reach broker '" + id + "'"));
  auto instance = acquire(id);
  if (!instance) return done(failure(OA_ERR_NOT_FOUND, "broker plugin '" + id + "' is not loaded"));
  oa_operation function = instance->library->api().*(entry(operation).field);
  if (!function) {
    instance->in_flight->leave();
    return done(failure(OA_ERR_NOT_SUPPORTED, "broker '" + id + "' does not support " +
                                                  std::string(entry(operation).name)));
  }
  if (operation == Operation::OrderStreamOpen || operation == Operation::OrderStreamClose) {
    std::lock_guard lock(mutex_);
    auto& wanted = slots_[id].order_stream;
    if (operation == Operation::OrderStreamOpen) wanted = session;
    else wanted.reset();
  }
  auto limit = timeout.value_or(options_.default_deadline);
  auto completion = std::make_shared<Completion>();
  // The calling request's broker time covers the plugin's own run, not the
  // wait for a worker; its completion runs under the same request.
  auto broker_time = traffic::current_broker_clock();
  completion->done = [done = std::move(done), broker_time](Outcome outcome) {
    traffic::BrokerClockScope scope(broker_time);
    done(std::move(outcome));
  };
  auto in_flight = instance->in_flight;
  auto task = [this, instance = std::move(instance), function, request = std::move(request),
               session = std::move(session), limit, completion, broker_time]() mutable {
    oa_call call = make_call(session, limit);
    oa_result result;
    if (broker_time) broker_time->call_started();
    oa_status status = function(instance->self, &call, view(request), &result);
    if (broker_time) broker_time->call_finished();
    auto in_flight = instance->in_flight;
    instance.reset();  // the reload that waits on in_flight must hold the last reference
    in_flight->leave();
    if (auto timer = completion->deadline_timer.load()) scheduler_->cancel(timer);
    completion->finish(outcome_of(status, result));
  };
  completion->deadline_timer = scheduler_->at(std::chrono::steady_clock::now() + limit, [completion, id, limit] {
    completion->finish(failure(OA_ERR_UPSTREAM, "broker '" + id + "' did not answer within " +
                                                    std::to_string(limit.count()) + " ms"));
  });
  if (!pool_->submit(std::move(task))) {
    in_flight->leave();
    if (auto timer = completion->deadline_timer.load()) scheduler_->cancel(timer);
    completion->finish(failure(OA_ERR_RATE_LIMITED, "too many broker calls in progress; try again shortly"));
  }
}

Outcome PluginHost::call_and_wait(const std::string& id, Operation operation, std::string request, Session session,
                                  std::optional<std::chrono::milliseconds> timeout) {
  auto promise = std::make_shared<std::promise<Outcome>>();
  auto future = promise->get_future();
  call(id, operation, std::move(request), std::move(session),
       [promise](Outcome outcome) { promise->set_value(std::move(outcome)); }, timeout);
  return future.get();
}

Outcome PluginHost::master_contract(const std::string& id, std::vector<instruments::Instrument>& rows) {
  auto instance = acquire(id);
  if (!instance) return failure(OA_ERR_NOT_FOUND, "broker plugin '" + id + "' is not loaded");
  auto in_flight = instance->in_flight;
  oa_operation function = instance->library->api().master_contract;
  if (!function) {
    in_flight->leave();
    return failure(OA_ERR_NOT_SUPPORTED, "broker '" + id + "' has no master contract");
  }
  std::shared_ptr<std::atomic<std::size_t>> counted;
  {
    std::lock_guard lock(mutex_);
    auto& slot = slots_[id];
    slot.contract.phase = "downloading";
    slot.contract.source = "download";
    slot.contract.rows = 0;
    slot.contract.started_ms = wall_ms();
    slot.contract.finished_ms = 0;
    counted = slot.contract_rows;
    counted->store(0);
  }
  oa_result result;
  result.instrument_sink = [&rows, &counted](const oa_instrument& row) {
    auto text = [](oa_str value) { return value.ptr ? std::string(value.ptr, value.len) : std::string(); };
    rows.push_back({text(row.symbol), text(row.brsymbol), text(row.name), text(row.exchange), text(row.brexchange),
                    text(row.token), text(row.expiry), row.strike, static_cast<int>(row.lotsize),
                    text(row.instrumenttype), row.tick_size, row.contract_value});
    counted->fetch_add(1, std::memory_order_relaxed);
  };
  // Downloads are long (100k+ rows): they get their own generous deadline and run on the caller's thread.
  oa_call call = make_call({}, std::chrono::minutes(10));
  oa_status status = function(instance->self, &call, view(std::string("{}")), &result);
  instance.reset();
  in_flight->leave();
  auto outcome = outcome_of(status, result);
  bool usable = outcome.ok() && !rows.empty();
  if (usable) {
    std::lock_guard lock(mutex_);
    auto& contract = slots_[id].contract;
    contract.phase = "storing";
    contract.rows = rows.size();
  } else {
    master_contract_finished(id, false, rows.size(), "download", outcome.ok() ? "the download was empty" : outcome.message);
  }
  return outcome;
}

void PluginHost::master_contract_finished(const std::string& id, bool loaded, std::size_t rows, const std::string& source,
                                          const std::string& error) {
  std::lock_guard lock(mutex_);
  auto found = slots_.find(id);
  if (found == slots_.end()) return;
  auto& contract = found->second.contract;
  auto now = wall_ms();
  if (contract.phase != "downloading" && contract.phase != "storing") contract.started_ms = now;
  contract.phase = loaded ? "loaded" : "failed";
  contract.source = source;
  contract.rows = rows;
  contract.finished_ms = now;
  if (loaded) contract.last_success_ms = now;
  else contract.last_error = error;
}

// ---- streaming --------------------------------------------------------------------

Outcome PluginHost::run_stream(const std::shared_ptr<Instance>& instance, bool subscribe,
                               const std::vector<StreamKey>& keys, const Session& session) {
  const auto& api = instance->library->api();
  auto function = subscribe ? api.subscribe : api.unsubscribe;
  if (!function) return failure(OA_ERR_NOT_SUPPORTED, "broker '" + instance->host->plugin_id + "' does not stream market data");
  std::vector<oa_subscription> items;
  items.reserve(keys.size());
  for (const auto& key : keys) items.push_back({view(key.symbol), view(key.exchange), view(key.token), key.mode});
  oa_call call = make_call(session, options_.default_deadline);
  oa_result result;
  return outcome_of(function(instance->self, &call, items.data(), items.size(), &result), result);
}

// A reload's new instance takes over the order updates the old one streamed.
Outcome PluginHost::open_order_stream(const std::shared_ptr<Instance>& instance, const Session& session) {
  auto function = instance->library->api().order_stream_open;
  if (!function) return {};  // the new version streams no order updates
  oa_call call = make_call(session, options_.default_deadline);
  oa_result result;
  return outcome_of(function(instance->self, &call, view(std::string("{}")), &result), result);
}

Outcome PluginHost::subscribe(const std::string& id, const std::vector<StreamKey>& keys, Session session) {
  auto instance = acquire(id);
  if (!instance) return failure(OA_ERR_NOT_FOUND, "broker plugin '" + id + "' is not loaded");
  auto outcome = run_stream(instance, true, keys, session);
  if (outcome.ok()) {
    std::lock_guard lock(mutex_);
    for (const auto& key : keys) ++slots_[id].subscriptions[key];
  }
  auto in_flight = instance->in_flight;
  instance.reset();
  in_flight->leave();
  return outcome;
}

Outcome PluginHost::unsubscribe(const std::string& id, const std::vector<StreamKey>& keys, Session session) {
  auto instance = acquire(id);
  if (!instance) return failure(OA_ERR_NOT_FOUND, "broker plugin '" + id + "' is not loaded");
  auto outcome = run_stream(instance, false, keys, session);
  {
    std::lock_guard lock(mutex_);
    auto& subscriptions = slots_[id].subscriptions;
    for (const auto& key : keys) subscriptions.erase(key);
  }
  auto in_flight = instance->in_flight;
  instance.reset();
  in_flight->leave();
  return outcome;
}

// ---- reload ---------------------------------------------------------------------------

ReloadReport PluginHost::reload(const std::string& id) {
  std::lock_guard one_at_a_time(reload_mutex_);
  ReloadReport report{id, false, {}, {}, {}, false};
  std::filesystem::path file;
  std::vector<StreamKey> subscribed;
  std::optional<Session> order_stream;
  {
    std::lock_guard lock(mutex_);
    auto found = slots_.find(id);
    if (found == slots_.end()) {
      report.message = "no plugin '" + id + "' is loaded";
      return report;
    }
    file = found->second.current->library->file();
    report.old_version = found->second.current->library->manifest().version;
    for (const auto& [key, count] : found->second.subscriptions) subscribed.push_back(key);
    order_stream = found->second.order_stream;
  }
  std::shared_ptr<Instance> fresh;
  try {
    fresh = create_instance(PluginLibrary::load(file, options_.copy_dir, host_api_table()));
    if (fresh->library->manifest().id != id)
      throw LoadError("the file now holds plugin '" + fresh->library->manifest().id + "', not '" + id + "'");
    if (!subscribed.empty()) {
      auto resubscribed = run_stream(fresh, true, subscribed, {});
      if (!resubscribed.ok()) throw LoadError("the new instance refused the subscriptions: " + resubscribed.message);
    }
    if (order_stream) {
      auto reopened = open_order_stream(fresh, *order_stream);
      if (!reopened.ok()) throw LoadError("the new instance refused to open the order updates: " + reopened.message);
    }
  } catch (const LoadError& error) {
    report.message = std::string("reload failed, the old version keeps serving: ") + error.what();
    spdlog::error("plugins: {}: {}", id, report.message);
    std::lock_guard lock(mutex_);
    slots_[id].last_reload_error = report.message;
    return report;
  }
  report.new_version = fresh->library->manifest().version;
  std::shared_ptr<Instance> old;
  {
    std::lock_guard lock(mutex_);
    auto& slot = slots_[id];
    old = std::exchange(slot.current, std::move(fresh));
    ++slot.reloads;
    slot.last_reload_error.clear();
  }
  report.ok = true;
  retire(std::move(old), report);
  spdlog::info("plugins: {}: {}", id, report.message);
  return report;
}

// Waits for the old instance's calls, destroys and unloads it, and checks the
// library is really gone from memory (glibc keeps a library that has
// STB_GNU_UNIQUE symbols mapped: that is reported, not hidden).
void PluginHost::retire(std::shared_ptr<Instance> old_instance, ReloadReport& report) {
  auto in_flight = old_instance->in_flight;
  if (!in_flight->wait_zero(options_.drain_timeout)) {
    report.message = "reloaded " + report.old_version + " -> " + report.new_version +
                     "; the old instance still has calls in flight after " +
                     std::to_string(options_.drain_timeout.count()) + " ms and stays loaded";
    std::lock_guard lock(mutex_);
    stuck_.push_back(std::move(old_instance));
    return;
  }
  auto copy = old_instance->library->loaded_copy();
  old_instance.reset();
  report.old_unloaded = !is_mapped(copy);
  report.message = "reloaded " + report.old_version + " -> " + report.new_version +
                   (report.old_unloaded ? "; the old library left memory"
                                        : "; the old library is still mapped (it cannot be unloaded)");
}

std::vector<ReloadReport> PluginHost::reload_all() {
  std::vector<std::string> ids;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, slot] : slots_) ids.push_back(id);
  }
  std::vector<ReloadReport> reports;
  for (const auto& id : ids) reports.push_back(reload(id));
  return reports;
}

}  // namespace oa::plugins
