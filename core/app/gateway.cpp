#include "app/gateway.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>

#include <fmt/chrono.h>
#include <spdlog/spdlog.h>

#include "app/sandbox_settings.hpp"
#include "log/thread_name.hpp"
#include "plugins/scheduler.hpp"
#include "sandbox/ist_time.hpp"
#include "store/instruments.hpp"
#include "store/settings.hpp"
#include "traffic/move_logs.hpp"

namespace oa::app {
namespace {

constexpr std::string_view kOfflineBroker = "simulator";

// The request log's writer and its start-up count and purge: one connection
// at a time, a second so that neither waits.
constexpr std::size_t kLogsPoolSize = 2;

// Today's date in IST (UTC+5:30, no daylight saving), e.g. "2026-11-25".
std::string ist_date_today() {
  auto ist = std::chrono::system_clock::now() + std::chrono::minutes(330);
  return fmt::format("{:%Y-%m-%d}", std::chrono::floor<std::chrono::seconds>(ist));
}

std::vector<std::filesystem::path> plugin_dirs(const config::Config& config) {
  std::vector<std::filesystem::path> dirs;
  for (const auto& dir : config.get_list("PLUGIN_DIRS", ':')) dirs.emplace_back(dir);
  return dirs;
}

plugins::HostOptions host_options(const config::Config& config) {
  plugins::HostOptions options;
  options.plugin_dirs = plugin_dirs(config);
  options.copy_dir = config.data_dir() / "plugins-loaded";
  options.default_deadline = std::chrono::milliseconds(config.get_int("PLUGIN_CALL_TIMEOUT_MS"));
  options.setting = [&config](const std::string& key) { return plugin_visible_setting(config, key); };
  return options;
}

// OpenAlgo spaces the orders of one split 1/N s apart, N the count of
// ORDER_RATE_LIMIT's first part (10 per second: 100 ms).
std::chrono::milliseconds order_spacing(const config::Config& config) {
  auto limits = config.get_rate("ORDER_RATE_LIMIT");
  if (limits.empty() || limits.front().count <= 0) return std::chrono::milliseconds(100);
  return std::chrono::milliseconds(1000 / limits.front().count);
}

}  // namespace

std::optional<std::string> plugin_visible_setting(const config::Config& config, const std::string& key) {
  if (auto value = config.plugin_setting(key)) return value;
  for (const char* broker_key : {"BROKER_API_KEY", "BROKER_API_SECRET", "BROKER_API_KEY_MARKET",
                                 "BROKER_API_SECRET_MARKET", "REDIRECT_URL"})
    if (key == broker_key) return config.get(key);
  return std::nullopt;
}

Gateway::Gateway(Runtime& runtime)
    : runtime_(runtime),
      http_(std::make_unique<net::HttpClient>(net::HttpClient::Options{})),
      ws_(std::make_unique<net::WsClient>()),
      control_(std::make_unique<plugins::WorkerPool>(1, 16)) {
  plugins::HostServices services;
  services.http = http_.get();
  services.ws = ws_.get();
  services.instruments = &instruments_;
  // Plugins emit only after start(), when the stream exists.
  services.on_tick = [this](const std::string& broker, const oa_tick& tick) { stream_->on_tick(broker, tick); };
  services.on_order_update = [this](const std::string& broker, std::string_view json) {
    stream_->on_order_update(broker, json);
  };
  services.on_stream_status = [this](const std::string& broker, bool connected, std::string_view reason) {
    stream_->on_stream_status(broker, connected, reason);
  };
  auto options = host_options(runtime_.config);
  options.orders_blocked = [this] { return analyze_mode(); };
  plugins_ = std::make_unique<plugins::PluginHost>(std::move(options), std::move(services));
  stream_ = std::make_unique<MarketStream>(runtime_.config, *plugins_, instruments_, *runtime_.accounts, calendar_,
                                           [this](std::int64_t user_id) { return route_for(user_id); });
  journal_ = std::make_unique<orders::OrderJournal>(*runtime_.store);
  orders_ = std::make_unique<orders::OrderService>(*journal_, *plugins_);
  api_context_ = std::make_unique<api::ApiContext>(api::ApiContext{
      *runtime_.accounts, *plugins_, instruments_, [this](std::int64_t user_id) { return route_for(user_id); },
      [this](std::function<void()> task) { return control_->submit(std::move(task)); }, orders_.get(),
      nullptr, [this] { return analyze_mode(); }, [this](bool on) { return set_analyze_mode(on); }, &calendar_,
      [this](std::int64_t user_id, const std::string& broker, std::string fields,
             std::function<void(api::LoginReply)> done) {
        broker_login(user_id, broker, std::move(fields), std::move(done));
      }});
  api_context_->feed_status = [this] { return stream_->status(); };
  login_states_ = std::make_unique<security::LoginStates>(
      std::chrono::seconds(std::stoll(runtime_.config.get("BROKER_LOGIN_STATE_SECONDS"))));
  api_context_->login_states = login_states_.get();
  action_center_ = std::make_unique<api::ActionCenter>(*runtime_.store);
  api_context_->action_center = action_center_.get();
  sessions_ = std::make_unique<BrokerSessions>(runtime_, *plugins_,
                                               [this](const std::string& broker) { return allowed(broker); });
  const auto& configured = runtime_.config.get("ACTIVE_BROKER");
  active_broker_ = configured.empty() ? std::string(kOfflineBroker) : configured;
  timers_ = std::make_unique<plugins::Scheduler>();
  api_context_->run_after = [timers = timers_.get()](std::chrono::milliseconds delay, std::function<void()> task) {
    timers->at(plugins::Scheduler::Clock::now() + delay, std::move(task));
  };
  traffic::RequestLog::Options log_options;
  log_options.traffic_retention_days = static_cast<int>(runtime_.config.get_int("TRAFFIC_LOG_RETENTION_DAYS"));
  log_options.analyzer_retention_days = static_cast<int>(runtime_.config.get_int("ANALYZER_LOG_RETENTION_DAYS"));
  if (auto logs_url = logs_database_url(runtime_.config)) {
    logs_store_ = store::Store::open(*logs_url, kLogsPoolSize, store::logs_schema());
    traffic::check_log_tables(*logs_store_, logs_url->display);
    spdlog::info("traffic: request logs in {}", logs_url->display);
    traffic::move_request_logs(*runtime_.store, *logs_store_);
  }
  auto owner = [this](std::string_view api_key) { return runtime_.accounts->user_for_api_key(api_key); };
  request_log_ = std::make_unique<traffic::RequestLog>(logs_store_ ? *logs_store_ : *runtime_.store,
                                                       std::move(owner), std::move(log_options));
  api_context_->request_log = request_log_.get();
  api_context_->order_spacing = order_spacing(runtime_.config);
  api_context_->smart_order_delay = std::chrono::milliseconds(
      static_cast<std::int64_t>(std::strtod(runtime_.config.get("SMART_ORDER_DELAY").c_str(), nullptr) * 1000));
}

Gateway::~Gateway() {
  if (session_watch_.joinable()) {
    session_watch_.request_stop();
    session_watch_.join();
  }
  watch_.reset();
  timers_.reset();  // no paced order fires into a stopping daemon
  control_.reset();  // finish a reload in progress before the plugins go
  if (sandbox_market_) sandbox_market_->set_tick_sink({});
  sandbox_.reset();  // no more ticks or quotes asked for
  sandbox_market_.reset();
  stream_->feed().shut_down();  // no subscription call left in flight, no reconnect to come
  plugins_.reset();
  stream_.reset();  // after the plugins: they emit into it until they are gone
}

// rest_api.md A.10: the analyzer flag is persisted; a broker that takes no
// real orders (the simulator) keeps the daemon in analyzer mode whatever it says.
bool Gateway::analyze_mode() const {
  if (analyze_forced_) return true;
  return analyze_flag_.load();
}

bool Gateway::set_analyze_mode(bool on) {
  store::Settings(*runtime_.store).set("analyze_mode", on ? "true" : "false");
  analyze_flag_ = on;
  return analyze_mode();
}

void Gateway::start_sandbox() {
  SandboxMarket::PriceSource source{
      [this] { return default_broker(); },
      [this](const std::string& broker) { return sessions_->session_with(broker).value_or(plugins::Session{}); }};
  sandbox_market_ = std::make_unique<SandboxMarket>(*plugins_, instruments_, stream_->feed(), std::move(source));
  auto options = sandbox_options(runtime_.config);
  options.on_order_event = [this](const sandbox::Order& order) { stream_->on_sandbox_order(order, default_broker()); };
  sandbox_ = std::make_unique<sandbox::Engine>(*runtime_.store, *sandbox_market_, std::move(options), [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  });
  sandbox_market_->set_tick_sink([engine = sandbox_.get()](const std::string& symbol, const std::string& exchange,
                                                           const sandbox::Quote& quote) {
    engine->on_tick(symbol, exchange, quote);
  });
  sandbox_->start();
  api_context_->sandbox = sandbox_.get();
}

// VALID_BROKERS limits which plugins may serve users. The simulator is always
// allowed: it places no real orders, and an OpenAlgo .env's list never names it.
bool Gateway::allowed(const std::string& broker) const {
  if (broker == kOfflineBroker) return true;
  auto valid = runtime_.config.get_list("VALID_BROKERS");
  return std::find(valid.begin(), valid.end(), broker) != valid.end();
}

std::string Gateway::default_broker() const {
  std::lock_guard lock(active_mutex_);
  return active_broker_;
}

std::string Gateway::choose_active_broker() const {
  const auto& configured = runtime_.config.get("ACTIVE_BROKER");
  if (!configured.empty()) return configured;
  return sessions_->latest_broker().value_or(std::string(kOfflineBroker));
}

void Gateway::refresh_active_broker() {
  auto chosen = choose_active_broker();
  {
    std::lock_guard lock(active_mutex_);
    if (chosen == active_broker_) return;
    active_broker_ = chosen;
  }
  auto manifest = plugins_->manifest(chosen);
  analyze_forced_ = !manifest || !(manifest->capabilities & OA_CAP_ORDERS);
  spdlog::info("broker: {} is now the active broker", chosen);
  control_->submit([this, chosen] {
    auto report = load_master_contract(chosen);
    if (report.ok) spdlog::info("instruments: {}: {}", chosen, report.message);
    else spdlog::error("instruments: {}: {}", chosen, report.message);
  });
}

void Gateway::broker_login(std::int64_t user_id, const std::string& broker, std::string fields,
                           std::function<void(api::LoginReply)> done) {
  sessions_->login(user_id, broker, std::move(fields), [this, broker, done = std::move(done)](LoginOutcome outcome) {
    if (outcome.ok()) {
      // A broker whose table is not loaded cannot resolve a symbol: load it now,
      // as OpenAlgo starts its master-contract download on login.
      if (!instruments_.current(broker))
        control_->submit([this, broker] { spdlog::info("instruments: {}: {}", broker, load_master_contract(broker).message); });
      refresh_active_broker();
    }
    done({outcome.status, outcome.message});
  });
}

void Gateway::watch_sessions(std::stop_token stop) {
  constexpr auto kPeriod = std::chrono::seconds(2);
  std::unique_lock lock(watch_mutex_);
  while (!stop.stop_requested()) {
    lock.unlock();
    try {
      auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::system_clock::now().time_since_epoch()).count();
      sessions_->expire(now);
      refresh_active_broker();
    } catch (const std::exception& error) {
      spdlog::error("broker login: session check failed: {}", error.what());
    }
    lock.lock();
    watch_wakeup_.wait_for(lock, stop, kPeriod, [] { return false; });
  }
}

void Gateway::start() {
  reload_market_calendar();
  for (const auto& problem : plugins_->discover()) spdlog::warn("plugins: skipped: {}", problem);
  sessions_->expire(std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::system_clock::now().time_since_epoch()).count());
  {
    std::lock_guard lock(active_mutex_);
    active_broker_ = choose_active_broker();
  }
  session_watch_ = std::jthread([this](std::stop_token stop) {
    log::name_this_thread("oa-sessions");
    watch_sessions(stop);
  });
  auto stored_mode = store::Settings(*runtime_.store).get("analyze_mode");
  analyze_flag_ = stored_mode && *stored_mode == "true";
  auto manifest = plugins_->manifest(default_broker());
  analyze_forced_ = !manifest || !(manifest->capabilities & OA_CAP_ORDERS);
  // Orders a previous run sent without hearing back: settled before serving.
  orders_->reconcile_unfinished([this](std::int64_t user_id) { return route_for(user_id).session; });
  if (runtime_.config.get_bool("PLUGIN_WATCH"))
    watch_ = std::make_unique<plugins::PluginWatch>(
        plugin_dirs(runtime_.config), [this](const std::filesystem::path& file) { on_plugin_file_changed(file); });
  if (!allowed(default_broker())) {
    spdlog::error("plugins: ACTIVE_BROKER '{}' is not in VALID_BROKERS; requests will be refused", default_broker());
    return;
  }
  if (!plugins_->manifest(default_broker())) {
    spdlog::error("plugins: the default broker '{}' is not loaded (plugin directories: {})", default_broker(),
                  runtime_.config.get("PLUGIN_DIRS"));
    return;
  }
  auto report = load_master_contract(default_broker());
  if (report.ok) spdlog::info("instruments: {}: {}", default_broker(), report.message);
  else spdlog::error("instruments: {}: {}", default_broker(), report.message);
  start_sandbox();
  spdlog::info("orders: {} mode{}", analyze_mode() ? "analyzer (sandbox)" : "live",
               analyze_forced_ ? " (the broker takes no real orders)" : "");
}

bool Gateway::reload_market_calendar() {
  const auto& file = runtime_.config.get("MARKET_CALENDAR_FILE");
  try {
    calendar_.load(file);
    spdlog::info("calendar: loaded {}", file);
    return true;
  } catch (const calendar::CalendarError& error) {
    spdlog::error("calendar: {}; /api/v1/market/* answer 500 until it loads", error.what());
    return false;
  }
}

// A replaced file reloads its plugin; a new one is loaded. On the control
// thread, like every reload.
void Gateway::on_plugin_file_changed(const std::filesystem::path& file) {
  control_->submit([this, file] {
    if (auto id = plugins_->id_for_file(file)) {
      auto report = plugins_->reload(*id);
      spdlog::info("plugins: {} changed on disk: {}", file.string(), report.message);
      return;
    }
    try {
      plugins_->load(file);
    } catch (const plugins::LoadError& error) {
      spdlog::error("plugins: {}", error.what());
    }
  });
}

api::BrokerRoute Gateway::route_for(std::int64_t user_id) {
  if (auto login = runtime_.accounts->broker_login(user_id);
      login && allowed(login->broker) && plugins_->manifest(login->broker))
    return {login->broker, {login->auth_token, login->feed_token, login->broker_user_id}};
  if (!allowed(default_broker())) return {"", {}};  // calls then fail as "no such broker plugin"
  return {default_broker(), {}};
}

bool Gateway::load_stored_instruments(const std::string& broker) {
  std::vector<instruments::Instrument> rows;
  store::Instruments(*runtime_.store).for_each(broker, [&rows](const store::Instrument& row) { rows.push_back(row); });
  if (rows.empty()) return false;
  instruments_.replace(broker, std::make_shared<instruments::InstrumentIndex>(std::move(rows)));
  return true;
}

MasterContractReport Gateway::load_master_contract(const std::string& broker) {
  store::Settings settings(*runtime_.store);
  auto date_key = "master_contract." + broker + ".date";
  auto today = ist_date_today();
  if (settings.get(date_key) == today && load_stored_instruments(broker)) {
    auto size = instruments_.current(broker)->size();
    plugins_->master_contract_finished(broker, true, size, "store");
    return {true, size, "today's master contract loaded from the store"};
  }
  std::vector<instruments::Instrument> rows;
  auto started = std::chrono::steady_clock::now();
  auto outcome = plugins_->master_contract(broker, rows);
  if (!outcome.ok() || rows.empty()) {
    std::string why = outcome.ok() ? "the download was empty" : outcome.message;
    bool kept = instruments_.current(broker) || load_stored_instruments(broker);
    return {false, kept ? instruments_.current(broker)->size() : 0,
            "master contract download failed (" + why + "); " + (kept ? "keeping the previous table" : "no table")};
  }
  store::Instruments(*runtime_.store).replace_for_broker(broker, rows);
  settings.set(date_key, today);
  auto count = rows.size();
  instruments_.replace(broker, std::make_shared<instruments::InstrumentIndex>(std::move(rows)));
  plugins_->master_contract_finished(broker, true, count, "download");
  auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  return {true, count, fmt::format("downloaded {} instruments in {} ms", count, took.count())};
}

}  // namespace oa::app
