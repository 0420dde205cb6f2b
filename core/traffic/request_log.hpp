#pragma once
// The traffic log and the analyzer log (rest_api.md A.9, sandbox.md 9.3),
// written off the request path: the router hands each entry to record(),
// which only appends to a bounded queue; a thread of its own writes the queue
// to the store in batches, one transaction each. When the queue is full an
// entry is dropped and counted, never waited for. The same thread purges rows
// older than their retention when it starts and once a day after.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <variant>
#include <vector>

#include "store/statement_cache.hpp"
#include "store/store.hpp"

namespace oa::traffic {

// One answered request. Never holds the API key itself: `api_key` is turned
// into its owner on the writer thread and then forgotten.
struct TrafficEntry {
  std::int64_t at_ms = 0;  // when it arrived, Unix milliseconds
  std::string method, path;
  std::string route;  // the route it matched ("/api/v1/ticker/<symbol>"), empty if none
  int status = 0;
  std::string client_ip;
  std::string api_key;
  std::int64_t total_us = 0;   // arrival to answer
  std::int64_t broker_us = 0;  // of which the broker plugins' calls ran
};

// One request served in analyzer mode.
struct AnalyzerEntry {
  std::int64_t at_ms = 0;
  std::string api_type;  // "placeorder", "analyzer/toggle", ...
  std::string request;   // the body as received; the writer removes "apikey"
  std::string response;  // the body answered
};

// What the admin endpoint shows.
struct LoggedRequest {
  std::int64_t at_ms = 0;
  std::string method, path, route;
  int status = 0;
  std::string client_ip;
  std::optional<std::int64_t> user_id;
  std::int64_t total_us = 0, broker_us = 0;
};

struct RouteLatency {
  std::string route;
  std::uint64_t count = 0;  // since start
  // Over the latest kLatencyWindow requests of the route, in microseconds.
  std::int64_t total_p50 = 0, total_p99 = 0;
  std::int64_t daemon_p50 = 0, daemon_p99 = 0;  // total minus broker
  std::int64_t broker_p50 = 0, broker_p99 = 0;
};

struct TrafficSnapshot {
  std::vector<LoggedRequest> recent;  // newest first
  std::vector<RouteLatency> routes;   // by route
  std::uint64_t written = 0, dropped = 0, failed = 0;
};

class RequestLog {
 public:
  struct Options {
    std::size_t capacity = 16384;  // queued entries before record() drops
    // Entries per transaction, at most. A transaction holds the store's
    // write lock and a core while it runs: 512 rows (~5 ms) put the p99 of
    // every endpoint over 1 ms at 5k req/s; 64 keep it under, and cost no
    // throughput measurably (docs/performance.md).
    std::size_t batch = 64;
    std::chrono::milliseconds linger{250};  // how long a partial batch may wait
    std::size_t recent = 100;      // entries the snapshot keeps
    int traffic_retention_days = 30;   // 0 keeps every traffic_logs row
    int analyzer_retention_days = 0;   // 0 keeps every analyzer_logs row
    std::chrono::milliseconds purge_interval{std::chrono::hours(24)};
    // The clock rows are aged by, Unix milliseconds (tests set it).
    std::function<std::int64_t()> now_ms;
  };
  // The owner of an API key, for the traffic log's user_id.
  using KeyOwner = std::function<std::optional<std::int64_t>(std::string_view api_key)>;

  static constexpr std::size_t kLatencyWindow = 1024;

  RequestLog(store::Store& store, KeyOwner owner, Options options);
  // Writes what is queued, then stops the writer.
  ~RequestLog();
  RequestLog(const RequestLog&) = delete;
  RequestLog& operator=(const RequestLog&) = delete;

  // Both return false when the entry was dropped (queue full or stopping).
  bool record(TrafficEntry entry);
  bool record(AnalyzerEntry entry);

  // Rows of analyzer_logs, counting the entries accepted and not yet written.
  std::int64_t analyzer_total() const;
  TrafficSnapshot snapshot() const;
  // Returns once every entry accepted before the call is written (or failed).
  void flush();

 private:
  using Entry = std::variant<TrafficEntry, AnalyzerEntry>;
  struct Latencies {
    std::uint64_t count = 0;
    std::vector<std::int64_t> total, broker;  // ring of kLatencyWindow
  };

  bool enqueue(Entry entry);
  bool queue_empty() const;
  void run(std::stop_token stop);
  void purge_expired();
  void write(std::vector<Entry>& batch);
  void remember(const std::vector<LoggedRequest>& written);

  store::Store& store_;
  KeyOwner owner_;
  Options options_;

  mutable std::mutex queue_mutex_;
  std::condition_variable_any queue_ready_;
  std::condition_variable written_;
  std::deque<Entry> queue_;
  std::uint64_t accepted_ = 0;  // sequence numbers, for flush()
  std::uint64_t done_ = 0;
  bool flush_wanted_ = false;
  bool stopping_ = false;
  std::uint64_t dropped_ = 0, failed_ = 0, written_count_ = 0;
  std::int64_t analyzer_total_ = 0;

  mutable std::mutex view_mutex_;
  std::deque<LoggedRequest> recent_;
  std::map<std::string, Latencies> latencies_;

  // The writer's connection and its prepared INSERTs, kept from one batch to
  // the next while entries keep coming: preparing them again for every batch
  // was a tenth of the writer's time under load. Given back when the queue
  // runs dry, so that a store shared with the rest of the daemon gets it
  // back, and after a failed batch, so that the next lease reconnects a lost
  // connection.
  std::optional<store::PreparedConnection> connection_;  // the writer thread's only

  std::jthread writer_;  // last: stops before the rest goes
};

}  // namespace oa::traffic
