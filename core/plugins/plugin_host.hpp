#pragma once
// The plugin host: finds broker plugins, loads them, routes operation calls to
// them on a bounded worker pool with a deadline per call, and reloads them on
// demand without failing a request.
//
// Reload: load and create the new copy first (if that fails the old instance
// keeps serving), re-establish its market-data subscriptions, switch routing
// atomically, let the old instance's in-flight calls drain, destroy it, unload
// it, and check that its library really left memory.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "openalgo_plugin.h"
#include "plugins/host_services.hpp"
#include "plugins/plugin_library.hpp"

namespace oa::plugins {

class WorkerPool;
class Scheduler;

enum class Operation {
  Authenticate, PlaceOrder, ModifyOrder, CancelOrder, PlaceSmartOrder, CancelAllOrders, CloseAllPositions,
  OrderBook, TradeBook, Positions, Holdings, Funds, Margin, Quotes, Multiquotes, Depth, History,
  GttPlace, GttModify, GttCancel, GttBook, OrderStreamOpen, OrderStreamClose
};
std::string_view operation_name(Operation operation);
// Operations that change orders at a broker (blocked in analyzer mode).
bool is_order_operation(Operation operation);

struct Session {
  std::string auth_token, feed_token, broker_user_id;
};

struct Outcome {
  oa_status status = OA_OK;
  std::string json;     // the plugin's document when status is OA_OK
  std::string message;  // what went wrong otherwise
  bool ok() const { return status == OA_OK; }
};

struct StreamKey {
  std::string symbol, exchange, token;
  oa_stream_mode mode = OA_MODE_LTP;
  auto operator<=>(const StreamKey&) const = default;
};

// Where the broker's instrument table stands: the admin endpoint and
// `openalgod plugins info` show it while a download of 100k+ rows runs.
struct MasterContractStatus {
  std::string phase = "never";  // never, downloading, storing, loaded, failed
  std::string source;           // "download", or "store" (today's table from an earlier download)
  std::size_t rows = 0;         // parsed so far while downloading; then the table's rows
  std::int64_t started_ms = 0, finished_ms = 0;  // Unix epoch ms of the latest attempt
  std::int64_t last_success_ms = 0;
  std::string last_error;       // of the latest failed attempt
};

struct PluginInfo {
  Manifest manifest;
  std::string file;
  std::string state;  // "loaded"
  std::uint64_t calls = 0;
  std::uint64_t reloads = 0;
  std::string last_reload_error;
  std::size_t subscriptions = 0;
  StreamState stream;  // what the current instance last said about its feed (ABI 1.1)
  MasterContractStatus master_contract;
};

struct ReloadReport {
  std::string id;
  bool ok = false;
  std::string message;    // what happened, for logs, the CLI and the admin endpoint
  std::string old_version, new_version;
  bool old_unloaded = false;
};

struct HostOptions {
  std::vector<std::filesystem::path> plugin_dirs;
  std::filesystem::path copy_dir;  // private copies of loaded libraries
  std::size_t workers = 8;
  std::size_t max_queued = 1024;
  std::chrono::milliseconds default_deadline{10000};
  std::chrono::milliseconds drain_timeout{30000};
  // Settings a plugin may read: its own config keys and the broker settings.
  std::function<std::optional<std::string>(const std::string& key)> setting;
  // True while analyzer mode is on. The one place that keeps every order
  // operation away from every broker plugin in that mode.
  std::function<bool()> orders_blocked;
};

struct HostServices {
  net::HttpClient* http = nullptr;
  net::WsClient* ws = nullptr;
  instruments::InstrumentTable* instruments = nullptr;
  std::function<void(const std::string& broker, const oa_tick&)> on_tick;
  std::function<void(const std::string& broker, std::string_view json)> on_order_update;
  std::function<void(const std::string& broker, bool connected, std::string_view reason)> on_stream_status;
  std::function<std::int64_t()> now_ms;
};

class PluginHost {
 public:
  PluginHost(HostOptions options, HostServices services);
  ~PluginHost();
  PluginHost(const PluginHost&) = delete;
  PluginHost& operator=(const PluginHost&) = delete;

  // Loads every *.so in the plugin directories. Bad ones are logged and
  // skipped; returns one line per problem.
  std::vector<std::string> discover();
  // Loads one file; throws LoadError. A second plugin with a known id is refused.
  std::string load(const std::filesystem::path& file);

  std::vector<PluginInfo> list() const;
  std::optional<Manifest> manifest(const std::string& id) const;

  // Runs the operation on a worker; `done` is called exactly once, with the
  // plugin's outcome or, at the deadline, with a timeout. Never blocks.
  void call(const std::string& id, Operation operation, std::string request, Session session,
            std::function<void(Outcome)> done, std::optional<std::chrono::milliseconds> timeout = std::nullopt);
  Outcome call_and_wait(const std::string& id, Operation operation, std::string request, Session session = {},
                        std::optional<std::chrono::milliseconds> timeout = std::nullopt);

  // Downloads the master contract into `rows` (appended), counting them in
  // the plugin's MasterContractStatus as they arrive ("downloading", then
  // "storing" on success or "failed").
  Outcome master_contract(const std::string& id, std::vector<instruments::Instrument>& rows);
  // The caller's verdict after storing and indexing: loaded (from `source`,
  // with `rows`) or failed with `error`.
  void master_contract_finished(const std::string& id, bool loaded, std::size_t rows, const std::string& source,
                                const std::string& error = {});

  // Market data: asks the plugin and remembers the keys, so a reload re-subscribes them.
  Outcome subscribe(const std::string& id, const std::vector<StreamKey>& keys, Session session = {});
  Outcome unsubscribe(const std::string& id, const std::vector<StreamKey>& keys, Session session = {});

  ReloadReport reload(const std::string& id);
  std::vector<ReloadReport> reload_all();
  // The id of the plugin loaded from `file`, if any (for the directory watch).
  std::optional<std::string> id_for_file(const std::filesystem::path& file) const;

 private:
  // Calls under way on one instance; reload waits for it to reach zero.
  struct InFlight {
    std::mutex mutex;
    std::condition_variable drained;
    int count = 0;
    void enter();
    void leave();
    bool wait_zero(std::chrono::milliseconds timeout);
  };
  // A created plugin instance. Its destructor tears it down in ABI order:
  // quiesce the host handle (timers, sockets), destroy, unload.
  struct Instance {
    std::unique_ptr<PluginLibrary> library;
    std::unique_ptr<oa_host> host;
    oa_plugin* self = nullptr;
    std::shared_ptr<InFlight> in_flight = std::make_shared<InFlight>();
    ~Instance();
  };
  struct Slot {
    std::shared_ptr<Instance> current;
    std::uint64_t calls = 0;
    std::uint64_t reloads = 0;
    std::string last_reload_error;
    std::map<StreamKey, int> subscriptions;  // key -> subscribe count
    MasterContractStatus contract;
    // The session whose order updates are open (ABI 1.2), opened again on a reload.
    std::optional<Session> order_stream;
    std::shared_ptr<std::atomic<std::size_t>> contract_rows = std::make_shared<std::atomic<std::size_t>>(0);
  };

  std::shared_ptr<Instance> create_instance(std::unique_ptr<PluginLibrary> library);
  std::shared_ptr<Instance> acquire(const std::string& id);
  Outcome run_stream(const std::shared_ptr<Instance>& instance, bool subscribe, const std::vector<StreamKey>& keys,
                     const Session& session);
  Outcome open_order_stream(const std::shared_ptr<Instance>& instance, const Session& session);
  void retire(std::shared_ptr<Instance> old_instance, ReloadReport& report);

  HostOptions options_;
  HostContext context_;
  std::unique_ptr<Scheduler> scheduler_;
  std::unique_ptr<WorkerPool> pool_;
  mutable std::mutex mutex_;
  std::mutex reload_mutex_;  // one reload at a time
  std::map<std::string, Slot> slots_;
  std::vector<std::shared_ptr<Instance>> stuck_;  // old instances whose calls never drained
};

}  // namespace oa::plugins
