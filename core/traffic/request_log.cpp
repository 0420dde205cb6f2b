#include "traffic/request_log.hpp"

#include <algorithm>

#include <boost/json.hpp>
#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include "log/thread_name.hpp"
#include "store/statement_cache.hpp"
#include "store/transaction.hpp"
#include "store/utc_text.hpp"

namespace oa::traffic {
namespace {

// The request as the analyzer log keeps it: JSON without its "apikey". A body
// that is not a JSON object is not kept, as it might hold the key in a form
// this cannot find.
std::string without_api_key(const std::string& body) {
  // The document lives in one buffer, released at once: no allocation a value.
  unsigned char buffer[4096];
  boost::json::monotonic_resource memory(buffer, sizeof buffer);
  boost::system::error_code ec;
  auto parsed = boost::json::parse(body, ec, &memory);
  if (ec || !parsed.is_object()) return R"({"_note":"the request body was not a JSON object"})";
  parsed.as_object().erase("apikey");
  return boost::json::serialize(parsed);
}

std::int64_t percentile(std::vector<std::int64_t> values, double fraction) {
  if (values.empty()) return 0;
  auto at = static_cast<std::size_t>(fraction * static_cast<double>(values.size() - 1) + 0.5);
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(at), values.end());
  return values[at];
}

std::int64_t count_analyzer_rows(store::Store& store) {
  auto lease = store.lease();
  long long rows = 0;
  *lease << "SELECT COUNT(*) FROM analyzer_logs", soci::into(rows);
  return rows;
}

std::int64_t system_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

constexpr std::int64_t kDayMs = 24LL * 60 * 60 * 1000;

// Deletes the rows of `table` created more than `days` ago; returns how many.
long long delete_older_than(soci::session& sql, const char* table, int days, std::int64_t now_ms) {
  // The stored form sorts as text in time order, so the cut-off compares as text.
  const std::string cutoff = store::format_utc_iso(now_ms - days * kDayMs);
  soci::statement statement = (sql.prepare << "DELETE FROM " << table << " WHERE created_at < :cutoff",
                               soci::use(cutoff));
  statement.execute(true);
  return statement.get_affected_rows();
}

}  // namespace

RequestLog::RequestLog(store::Store& store, KeyOwner owner, Options options)
    : store_(store), owner_(std::move(owner)), options_(std::move(options)),
      analyzer_total_(count_analyzer_rows(store)) {
  if (!options_.now_ms) options_.now_ms = system_now_ms;
  writer_ = std::jthread([this](std::stop_token stop) {
    log::name_this_thread("oa-request-log");
    run(stop);
  });
}

RequestLog::~RequestLog() {
  {
    std::lock_guard lock(queue_mutex_);
    stopping_ = true;
  }
  writer_.request_stop();
  queue_ready_.notify_all();
  writer_ = std::jthread();
}

bool RequestLog::record(TrafficEntry entry) { return enqueue(std::move(entry)); }

bool RequestLog::record(AnalyzerEntry entry) { return enqueue(std::move(entry)); }

bool RequestLog::enqueue(Entry entry) {
  std::unique_lock lock(queue_mutex_);
  if (queue_.size() >= options_.capacity || stopping_) {
    ++dropped_;
    return false;
  }
  if (std::holds_alternative<AnalyzerEntry>(entry)) ++analyzer_total_;
  queue_.push_back(std::move(entry));
  ++accepted_;
  // A partial batch waits for the linger timer: no wake-up per request.
  bool wake = queue_.size() >= options_.batch;
  lock.unlock();
  if (wake) queue_ready_.notify_one();
  return true;
}

bool RequestLog::queue_empty() const {
  std::lock_guard lock(queue_mutex_);
  return queue_.empty();
}

std::int64_t RequestLog::analyzer_total() const {
  std::lock_guard lock(queue_mutex_);
  return analyzer_total_;
}

void RequestLog::flush() {
  std::unique_lock lock(queue_mutex_);
  auto target = accepted_;
  flush_wanted_ = true;
  queue_ready_.notify_one();
  written_.wait(lock, [&] { return done_ >= target; });
}

void RequestLog::purge_expired() {
  const std::int64_t now = options_.now_ms();
  try {
    auto lease = store_.lease();
    long long traffic = 0, analyzer = 0;
    if (options_.traffic_retention_days > 0) {
      traffic = delete_older_than(*lease, "traffic_logs", options_.traffic_retention_days, now);
    }
    if (options_.analyzer_retention_days > 0) {
      analyzer = delete_older_than(*lease, "analyzer_logs", options_.analyzer_retention_days, now);
      std::lock_guard lock(queue_mutex_);
      analyzer_total_ -= analyzer;
    }
    if (traffic + analyzer > 0) {
      spdlog::info("traffic: purged {} traffic log and {} analyzer log rows past their retention", traffic,
                   analyzer);
    }
  } catch (const std::exception& error) {
    spdlog::error("traffic: purging old log rows failed: {}", error.what());
  }
}

void RequestLog::run(std::stop_token stop) {
  std::vector<Entry> batch;
  // Off the request path: at start (before the first batch), then daily.
  purge_expired();
  auto next_purge = std::chrono::steady_clock::now() + options_.purge_interval;
  for (;;) {
    {
      std::unique_lock lock(queue_mutex_);
      queue_ready_.wait_for(lock, stop, options_.linger,
                            [this] { return queue_.size() >= options_.batch || flush_wanted_; });
      flush_wanted_ = false;
      if (queue_.empty() && stop.stop_requested()) return;
      auto take = std::min(queue_.size(), options_.batch);
      batch.assign(std::make_move_iterator(queue_.begin()),
                   std::make_move_iterator(queue_.begin() + static_cast<std::ptrdiff_t>(take)));
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(take));
      if (!queue_.empty()) flush_wanted_ = true;  // more to write: no lingering
    }
    if (std::chrono::steady_clock::now() >= next_purge) {
      purge_expired();
      next_purge = std::chrono::steady_clock::now() + options_.purge_interval;
    }
    if (!batch.empty()) write(batch);
    if (queue_empty()) connection_.reset();  // before flush() returns: the connection is back
    std::lock_guard lock(queue_mutex_);
    done_ += batch.size();
    batch.clear();
    written_.notify_all();
  }
}

namespace {

// The two INSERTs, prepared once on the writer's kept connection and run per
// row: parsing the SQL for every row was most of the writer's time.
constexpr const char* kInsertTraffic =
    "INSERT INTO traffic_logs (created_at, method, path, route, status, client_ip, user_id, total_us, broker_us) "
    "VALUES (:at, :method, :path, :route, :status, :ip, NULLIF(:user, 0), :total, :broker)";
constexpr const char* kInsertAnalyzer =
    "INSERT INTO analyzer_logs (api_type, request_data, response_data, created_at) "
    "VALUES (:api_type, :request, :response, :at)";

// User ids start at 1: 0 stands for a request without a known owner.
void insert(store::StatementCache& statements, const TrafficEntry& request, std::optional<std::int64_t> user_id) {
  statements.run(kInsertTraffic, store::format_utc_iso(request.at_ms), request.method, request.path, request.route,
                 request.status, request.client_ip, user_id.value_or(0), request.total_us, request.broker_us);
}

void insert(store::StatementCache& statements, const AnalyzerEntry& analyzed) {
  statements.run(kInsertAnalyzer, analyzed.api_type, without_api_key(analyzed.request), analyzed.response,
                 store::format_utc_iso(analyzed.at_ms));
}

}  // namespace

void RequestLog::write(std::vector<Entry>& batch) {
  std::vector<LoggedRequest> logged;
  try {
    if (!connection_) connection_.emplace(store_.lease());
    store::Transaction transaction(connection_->lease);
    store::StatementCache& statements = connection_->statements;
    // A batch is mostly one client's requests: its key is looked up once.
    std::string last_key;
    std::optional<std::int64_t> last_owner;
    for (auto& entry : batch) {
      if (auto* request = std::get_if<TrafficEntry>(&entry)) {
        std::optional<std::int64_t> user_id;
        if (!request->api_key.empty()) {
          if (request->api_key != last_key) {
            last_owner = owner_(request->api_key);
            last_key = request->api_key;
          }
          user_id = last_owner;
        }
        request->api_key.clear();
        insert(statements, *request, user_id);
        logged.push_back({request->at_ms, std::move(request->method), std::move(request->path),
                          std::move(request->route), request->status, std::move(request->client_ip), user_id,
                          request->total_us, request->broker_us});
        continue;
      }
      insert(statements, std::get<AnalyzerEntry>(entry));
    }
    transaction.commit();
  } catch (const std::exception& error) {
    connection_.reset();
    spdlog::error("traffic: {} log entries not written: {}", batch.size(), error.what());
    auto analyzer_entries = std::count_if(batch.begin(), batch.end(), [](const Entry& entry) {
      return std::holds_alternative<AnalyzerEntry>(entry);
    });
    std::lock_guard lock(queue_mutex_);
    failed_ += batch.size();
    analyzer_total_ -= analyzer_entries;
    return;
  }
  {
    std::lock_guard lock(queue_mutex_);
    written_count_ += batch.size();
  }
  remember(logged);
}

void RequestLog::remember(const std::vector<LoggedRequest>& written) {
  std::lock_guard lock(view_mutex_);
  for (const auto& request : written) {
    recent_.push_front(request);
    if (recent_.size() > options_.recent) recent_.pop_back();
    if (request.route.empty()) continue;
    auto& latencies = latencies_[request.route];
    auto slot = latencies.count++ % kLatencyWindow;
    if (latencies.total.size() < kLatencyWindow) {
      latencies.total.push_back(request.total_us);
      latencies.broker.push_back(request.broker_us);
    } else {
      latencies.total[slot] = request.total_us;
      latencies.broker[slot] = request.broker_us;
    }
  }
}

TrafficSnapshot RequestLog::snapshot() const {
  TrafficSnapshot snapshot;
  {
    std::lock_guard lock(queue_mutex_);
    snapshot.written = written_count_;
    snapshot.dropped = dropped_;
    snapshot.failed = failed_;
  }
  std::lock_guard lock(view_mutex_);
  snapshot.recent.assign(recent_.begin(), recent_.end());
  for (const auto& [route, latencies] : latencies_) {
    std::vector<std::int64_t> daemon(latencies.total.size());
    for (std::size_t i = 0; i < daemon.size(); ++i)
      daemon[i] = std::max<std::int64_t>(0, latencies.total[i] - latencies.broker[i]);
    snapshot.routes.push_back({route, latencies.count, percentile(latencies.total, 0.5),
                               percentile(latencies.total, 0.99), percentile(daemon, 0.5), percentile(daemon, 0.99),
                               percentile(latencies.broker, 0.5), percentile(latencies.broker, 0.99)});
  }
  return snapshot;
}

}  // namespace oa::traffic
