#include "feed/market_feed.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "log/thread_name.hpp"

namespace oa::feed {
namespace {

std::string_view text(oa_str value) { return value.ptr ? std::string_view(value.ptr, value.len) : std::string_view(); }

// The bits of every mode a tick of `mode` can serve: itself and the lower ones.
std::uint8_t modes_up_to(int mode) { return static_cast<std::uint8_t>((1u << (mode + 1)) - 2u); }

bool valid_mode(int mode) { return mode >= kModeLtp && mode <= kModeDepth; }

}  // namespace

struct MarketFeed::Pending {
  std::vector<SymbolResult> results;
  std::size_t remaining = 0;
  SubscribeDone done;

  // Records one symbol's answer; the request completes with its last one.
  void settle(std::size_t index, bool ok, std::string message, Completions& completions) {
    results[index].ok = ok;
    results[index].message = std::move(message);
    if (--remaining > 0) return;
    completions.push_back([done = std::move(done), results = std::move(results)]() mutable { done(std::move(results)); });
  }
};

MarketFeed::MarketFeed(StreamUpstream& upstream, FeedOptions options)
    : upstream_(upstream), options_(std::move(options)) {
  if (options_.backoff.empty()) options_.backoff.push_back(std::chrono::seconds(1));
  if (options_.watch_period.count() > 0) {
    watcher_ = std::jthread([this](std::stop_token stop) {
      log::name_this_thread("oa-feed-watch");
      watch(stop);
    });
  }
}

MarketFeed::~MarketFeed() {
  shut_down();
  std::vector<std::unique_ptr<plugins::WorkerPool>> workers;
  {
    std::lock_guard lock(mutex_);
    for (auto& [broker, state] : brokers_) workers.push_back(std::move(state.worker));
  }
  workers.clear();  // joins: nothing is queued any more
}

void MarketFeed::run(Completions& done) {
  for (auto& completion : done) completion();
  done.clear();
}

// ---- subscribers ----------------------------------------------------------------

SubscriberId MarketFeed::attach(std::shared_ptr<Subscriber> subscriber) {
  std::lock_guard lock(mutex_);
  SubscriberId id = next_subscriber_++;
  holders_[id].subscriber = std::move(subscriber);
  return id;
}

void MarketFeed::detach(SubscriberId id) {
  unsubscribe_all(id);
  std::lock_guard lock(mutex_);
  holders_.erase(id);
}

// ---- lines ------------------------------------------------------------------------

MarketFeed::Line* MarketFeed::find_line(const LineKey& key) {
  auto found = line_ids_.find(key);
  return found == line_ids_.end() ? nullptr : &lines_.at(found->second);
}

MarketFeed::Line& MarketFeed::line_for(const LineKey& key, const std::string& token) {
  if (Line* line = find_line(key)) return *line;
  std::uint64_t id = next_line_++;
  Line& line = lines_[id];
  line.id = id;
  line.key = key;
  line.token = token;
  line_ids_[key] = id;
  by_token_[{key.broker, key.exchange, token}] = id;
  return line;
}

// On the next tick of the line: thousands of clients subscribing or leaving
// one by one then cost one rebuild, not one each (which was quadratic).
void MarketFeed::rebuild_targets(Line& line) {
  line.targets_stale = false;
  auto targets = std::make_shared<std::vector<Target>>();
  targets->reserve(line.held.size());
  for (const auto& [who, modes] : line.held) {
    auto holder = holders_.find(who);
    if (holder != holders_.end() && modes != 0) targets->push_back({holder->second.subscriber, modes});
  }
  line.targets = std::move(targets);
}

void MarketFeed::add_waiter(Line& line, Waiter waiter, Completions& done) {
  auto held = line.held.find(waiter.who);
  if (held != line.held.end() && (held->second & mode_bit(waiter.mode)))
    return waiter.pending->settle(waiter.index, true, {}, done);
  if (line.upstream >= waiter.mode) {
    line.held[waiter.who] |= mode_bit(waiter.mode);
    line.targets_stale = true;
    return waiter.pending->settle(waiter.index, true, {}, done);
  }
  line.waiting.push_back(std::move(waiter));
}

bool MarketFeed::drop_held(Line& line, SubscriberId who, int mode) {
  auto held = line.held.find(who);
  if (held == line.held.end() || !(held->second & mode_bit(mode))) return false;
  held->second &= static_cast<std::uint8_t>(~mode_bit(mode));
  if (held->second == 0) line.held.erase(held);
  line.targets_stale = true;
  return true;
}

// mode 0: every mode.
void MarketFeed::drop_waiters(Line& line, SubscriberId who, int mode, Completions& done) {
  std::erase_if(line.waiting, [&](Waiter& waiter) {
    if (waiter.who != who || (mode != 0 && waiter.mode != mode)) return false;
    waiter.pending->settle(waiter.index, false, "unsubscribed before the broker answered", done);
    return true;
  });
}

void MarketFeed::forget_if_idle(Line& line) {
  if (!line.held.empty() || !line.waiting.empty() || line.upstream != 0 || line.in_flight != 0) return;
  line_ids_.erase(line.key);
  by_token_.erase({line.key.broker, line.key.exchange, line.token});
  lines_.erase(line.id);
}

// Plans the upstream call that makes the line's upstream mode what its
// holders and waiters need. May forget the line: callers must not use it after.
void MarketFeed::reconcile(Line& line, std::map<std::string, std::vector<Change>>& plan) {
  if (line.in_flight != 0) return;  // its completion reconciles again
  // Held modes never exceed the upstream one (a mode is held only once the
  // upstream covers it), so only waiters can want more; not walking `held`
  // keeps a subscribe O(log n) on a line thousands of clients hold.
  int desired = line.held.empty() ? 0 : line.upstream;
  for (const auto& waiter : line.waiting) desired = std::max(desired, waiter.mode);
  plugins::StreamKey key{line.key.symbol, line.key.exchange, line.token, OA_MODE_LTP};
  if (desired == 0) {
    if (line.upstream != 0) {
      key.mode = static_cast<oa_stream_mode>(line.upstream);
      plan[line.key.broker].push_back({line.id, key, false, 0});
      line.upstream = 0;
    }
    return forget_if_idle(line);
  }
  if (desired <= line.upstream) return;
  key.mode = static_cast<oa_stream_mode>(desired);
  plan[line.key.broker].push_back({line.id, key, true, line.upstream});
  line.in_flight = desired;
}

// ---- subscribe and unsubscribe ------------------------------------------------------

void MarketFeed::subscribe(SubscriberId id, const std::string& broker, const plugins::Session& session,
                           std::vector<SymbolRequest> requests, SubscribeDone done) {
  if (requests.empty()) return done({});
  auto pending = std::make_shared<Pending>();
  pending->remaining = requests.size();
  pending->done = std::move(done);
  for (auto& request : requests) pending->results.push_back({std::move(request), false, {}});
  Completions completions;
  std::map<std::string, std::vector<Change>> plan;
  std::set<std::uint64_t> touched;
  {
    std::lock_guard lock(mutex_);
    auto& state = brokers_[broker];
    if (!session.auth_token.empty() || state.session.auth_token.empty()) state.session = session;
    auto holder = holders_.find(id);
    for (std::size_t i = 0; i < pending->results.size(); ++i) {
      const auto& request = pending->results[i].request;
      if (holder == holders_.end()) {
        pending->settle(i, false, "not attached to the feed", completions);
        continue;
      }
      if (!valid_mode(request.mode)) {
        pending->settle(i, false, "Invalid mode " + std::to_string(request.mode), completions);
        continue;
      }
      LineKey key{broker, request.exchange, request.symbol};
      Line* line = find_line(key);
      if (!line) {
        auto token = upstream_.token_of(broker, request.symbol, request.exchange);
        if (!token) {
          pending->settle(i, false, "Token not found for " + request.symbol + " on " + request.exchange, completions);
          continue;
        }
        line = &line_for(key, *token);
      }
      holder->second.lines.insert(line->id);
      add_waiter(*line, {id, request.mode, pending, i}, completions);
      touched.insert(line->id);
    }
    // After every symbol is in: one upstream call per line at the highest mode asked for.
    for (std::uint64_t line_id : touched) reconcile(lines_.at(line_id), plan);
  }
  run(completions);
  submit(std::move(plan));
}

std::vector<SymbolResult> MarketFeed::unsubscribe(SubscriberId id, const std::string& broker,
                                                  const std::vector<SymbolRequest>& requests) {
  std::vector<SymbolResult> results;
  Completions completions;
  std::map<std::string, std::vector<Change>> plan;
  {
    std::lock_guard lock(mutex_);
    for (const auto& request : requests) {
      results.push_back({request, true, {}});
      Line* line = find_line({broker, request.exchange, request.symbol});
      if (!line) continue;
      drop_held(*line, id, request.mode);
      drop_waiters(*line, id, request.mode, completions);
      bool still_there = line->held.count(id) > 0 ||
                         std::any_of(line->waiting.begin(), line->waiting.end(),
                                     [id](const Waiter& waiter) { return waiter.who == id; });
      if (!still_there)
        if (auto holder = holders_.find(id); holder != holders_.end()) holder->second.lines.erase(line->id);
      reconcile(*line, plan);
    }
  }
  run(completions);
  submit(std::move(plan));
  return results;
}

std::vector<SymbolResult> MarketFeed::unsubscribe_all(SubscriberId id) {
  std::vector<SymbolResult> results;
  Completions completions;
  std::map<std::string, std::vector<Change>> plan;
  {
    std::lock_guard lock(mutex_);
    auto holder = holders_.find(id);
    if (holder == holders_.end()) return results;
    auto lines = std::exchange(holder->second.lines, {});
    for (std::uint64_t line_id : lines) {
      auto found = lines_.find(line_id);
      if (found == lines_.end()) continue;
      Line& line = found->second;
      if (auto held = line.held.find(id); held != line.held.end()) {
        for (int mode = kModeLtp; mode <= kModeDepth; ++mode)
          if (held->second & mode_bit(mode)) results.push_back({{line.key.exchange, line.key.symbol, mode}, true, {}});
        line.held.erase(held);
        line.targets_stale = true;
      }
      drop_waiters(line, id, 0, completions);
      reconcile(line, plan);
    }
  }
  run(completions);
  submit(std::move(plan));
  return results;
}

// ---- upstream calls -------------------------------------------------------------------

// Runs `job` on the broker's worker, counted for settle(); false when its queue is full.
bool MarketFeed::queue_job(const std::string& broker, std::function<void()> job) {
  plugins::WorkerPool* worker = nullptr;
  {
    std::lock_guard lock(mutex_);
    auto& state = brokers_[broker];
    if (!state.worker) state.worker = std::make_unique<plugins::WorkerPool>(1, options_.max_queued_calls);
    worker = state.worker.get();
  }
  {
    std::lock_guard lock(calls_mutex_);
    ++calls_;
  }
  auto counted = [this, job = std::move(job)] {
    job();
    std::lock_guard lock(calls_mutex_);
    if (--calls_ == 0) calls_idle_.notify_all();
  };
  if (worker->submit(std::move(counted))) return true;
  std::lock_guard lock(calls_mutex_);
  if (--calls_ == 0) calls_idle_.notify_all();
  return false;
}

void MarketFeed::submit(std::map<std::string, std::vector<Change>> plan) {
  for (auto& [broker, changes] : plan) {
    if (changes.empty()) continue;
    if (queue_job(broker, [this, broker, changes] { run_changes(broker, changes); })) continue;
    spdlog::error("feed: {}: too many subscription changes queued; refusing these", broker);
    // Refused work still has to settle its waiters: it is applied as refused by the broker.
    Completions completions;
    std::map<std::string, std::vector<Change>> next;
    {
      std::lock_guard lock(mutex_);
      for (const auto& change : changes)
        if (change.subscribe)
          apply_subscribed(change, {OA_ERR_RATE_LIMITED, {}, "the feed is busy; try again"}, next, completions);
    }
    run(completions);
  }
}

// One call for the whole batch; if the broker refuses it, each key alone, so
// that one bad symbol does not fail the others.
std::vector<plugins::Outcome> MarketFeed::call_subscribe(const std::string& broker, const std::vector<Change>& changes,
                                                         const plugins::Session& session) {
  std::vector<plugins::StreamKey> keys;
  for (const auto& change : changes) keys.push_back(change.key);
  auto together = upstream_.subscribe(broker, keys, session);
  if (together.ok() || keys.size() == 1) return std::vector<plugins::Outcome>(keys.size(), together);
  std::vector<plugins::Outcome> outcomes;
  for (const auto& key : keys) outcomes.push_back(upstream_.subscribe(broker, {key}, session));
  return outcomes;
}

void MarketFeed::run_changes(const std::string& broker, std::vector<Change> changes) {
  plugins::Session session;
  {
    std::lock_guard lock(mutex_);
    session = brokers_[broker].session;
  }
  std::vector<plugins::StreamKey> dropped, retired;
  std::vector<Change> subscribes;
  for (auto& change : changes) {
    if (change.subscribe) subscribes.push_back(change);
    else dropped.push_back(change.key);
  }
  if (!dropped.empty())
    if (auto outcome = upstream_.unsubscribe(broker, dropped, session); !outcome.ok())
      spdlog::warn("feed: {}: unsubscribing {} key(s) failed: {}", broker, dropped.size(), outcome.message);
  auto outcomes = subscribes.empty() ? std::vector<plugins::Outcome>{} : call_subscribe(broker, subscribes, session);
  for (std::size_t i = 0; i < subscribes.size(); ++i) {
    if (!outcomes[i].ok() || subscribes[i].retire == 0) continue;
    auto old = subscribes[i].key;
    old.mode = static_cast<oa_stream_mode>(subscribes[i].retire);
    retired.push_back(old);
  }
  if (!retired.empty())
    if (auto outcome = upstream_.unsubscribe(broker, retired, session); !outcome.ok())
      spdlog::warn("feed: {}: retiring {} lower-mode key(s) failed: {}", broker, retired.size(), outcome.message);
  Completions completions;
  std::map<std::string, std::vector<Change>> plan;
  {
    std::lock_guard lock(mutex_);
    for (std::size_t i = 0; i < subscribes.size(); ++i) apply_subscribed(subscribes[i], outcomes[i], plan, completions);
  }
  run(completions);
  submit(std::move(plan));
}

void MarketFeed::apply_subscribed(const Change& change, const plugins::Outcome& outcome,
                                  std::map<std::string, std::vector<Change>>& plan, Completions& done) {
  auto found = lines_.find(change.line);
  if (found == lines_.end()) return;
  Line& line = found->second;
  line.in_flight = 0;
  const int mode = change.key.mode;
  if (outcome.ok()) {
    line.upstream = std::max(line.upstream, mode);
    brokers_[line.key.broker].quiet_since_ms = options_.now_ms();  // silence counts from here
  }
  std::string refusal = outcome.message.empty() ? "the broker refused the subscription" : outcome.message;
  std::erase_if(line.waiting, [&](Waiter& waiter) {
    if (waiter.mode > mode) return false;  // wants more than this call asked for: the next one
    if (outcome.ok()) line.held[waiter.who] |= mode_bit(waiter.mode);
    waiter.pending->settle(waiter.index, outcome.ok(), outcome.ok() ? std::string() : refusal, done);
    if (!outcome.ok() && !line.held.count(waiter.who))
      if (auto holder = holders_.find(waiter.who); holder != holders_.end()) holder->second.lines.erase(line.id);
    return true;
  });
  line.targets_stale = true;
  reconcile(line, plan);
}

void MarketFeed::shut_down() {
  if (watcher_.joinable()) {
    watcher_.request_stop();
    watch_wakeup_.notify_all();
    watcher_.join();
  }
  settle();
}

void MarketFeed::settle() {
  std::unique_lock lock(calls_mutex_);
  calls_idle_.wait(lock, [this] { return calls_ == 0; });
}

// ---- ticks --------------------------------------------------------------------------------

void MarketFeed::on_tick(const std::string& broker, const oa_tick& tick) {
  const int mode = tick.mode;
  if (!valid_mode(mode)) return;
  const std::int64_t now = options_.now_ms();
  std::shared_ptr<const std::vector<Target>> targets;
  LineKey key;
  std::uint64_t line_id = 0;
  {
    std::lock_guard lock(mutex_);
    auto& state = brokers_[broker];
    state.last_tick_ms = now;
    state.quiet_since_ms = now;
    ++state.ticks;
    Line* line = nullptr;
    if (auto symbol = text(tick.symbol); !symbol.empty()) {
      line = find_line({broker, std::string(text(tick.exchange)), std::string(symbol)});
    } else if (auto found = by_token_.find({broker, std::string(text(tick.exchange)), std::string(text(tick.token))});
               found != by_token_.end()) {
      line = &lines_.at(found->second);
    }
    // A tick below the line's mode comes from a lower subscription being retired: its holders get the higher one.
    if (!line || mode < line->upstream) return;
    if (line->targets_stale) rebuild_targets(*line);
    targets = line->targets;
    key = line->key;
    line_id = line->id;
  }
  TickEvent event(key, line_id, tick, now, options_.format);
  const std::uint8_t covered = modes_up_to(mode);
  for (const auto& target : *targets)
    if (std::uint8_t modes = target.modes & covered)
      if (auto subscriber = target.subscriber.lock()) subscriber->on_tick(event, modes);
}

// ---- liveness ---------------------------------------------------------------------------------

std::int64_t MarketFeed::backoff_ms(std::size_t attempt) {
  const auto& steps = options_.backoff;
  double base = static_cast<double>(steps[std::min(attempt, steps.size() - 1)].count());
  std::uniform_real_distribution<double> spread(1.0 - options_.jitter, 1.0 + options_.jitter);
  return static_cast<std::int64_t>(base * spread(random_));
}

// mutex_ held. After a silence the first attempt runs at once: the feed has
// been dead for `silence` already.
void MarketFeed::mark_lost(BrokerState& state, std::string reason, bool after_silence, std::int64_t now) {
  if (!state.lost) {
    state.attempt = 0;
    state.next_attempt_ms = after_silence ? now : now + backoff_ms(0);
  }
  state.lost = true;
  state.after_silence = state.after_silence || after_silence;
  ++state.losses;
  state.last_error = std::move(reason);
}

void MarketFeed::on_stream_status(const std::string& broker, bool connected, std::string_view reason) {
  if (connected) return;
  std::lock_guard lock(mutex_);
  mark_lost(brokers_[broker], reason.empty() ? "the plugin reported its feed lost" : std::string(reason), false,
            options_.now_ms());
}

void MarketFeed::check_liveness() {
  std::vector<std::string> due;
  {
    std::lock_guard lock(mutex_);
    const std::int64_t now = options_.now_ms();
    std::map<std::string, std::set<std::string>> held;  // broker -> exchanges of its subscribed lines
    for (const auto& [id, line] : lines_)
      if (line.upstream != 0) held[line.key.broker].insert(line.key.exchange);
    for (auto& [broker, state] : brokers_) {
      auto exchanges = held.find(broker);
      if (exchanges == held.end()) {
        state.lost = state.after_silence = false;  // nothing to keep alive
        continue;
      }
      bool silent = now - state.quiet_since_ms > options_.silence.count();
      bool trading = !options_.market_open ||
                     std::any_of(exchanges->second.begin(), exchanges->second.end(),
                                 [&](const std::string& exchange) { return options_.market_open(exchange, now); });
      if (!state.lost && silent && trading) {
        auto why = fmt::format("no tick for {:.1f} s during market hours", (now - state.quiet_since_ms) / 1000.0);
        spdlog::warn("feed: {}: {}; reconnecting", broker, why);
        mark_lost(state, why, true, now);
      }
      if (!state.lost || state.resubscribing || now < state.next_attempt_ms) continue;
      state.resubscribing = true;
      due.push_back(broker);
    }
  }
  for (const auto& broker : due) {
    if (queue_job(broker, [this, broker] { resubscribe(broker); })) continue;
    std::lock_guard lock(mutex_);
    brokers_[broker].resubscribing = false;
  }
}

// On the broker's worker: asks the plugin again for every line it serves, at
// the mode held (after a silence, dropping them first so it starts afresh).
void MarketFeed::resubscribe(const std::string& broker) {
  std::vector<plugins::StreamKey> keys;
  bool after_silence = false;
  std::uint64_t losses = 0;
  plugins::Session session;
  {
    std::lock_guard lock(mutex_);
    auto& state = brokers_[broker];
    for (const auto& [id, line] : lines_)
      if (line.key.broker == broker && line.upstream != 0)
        keys.push_back({line.key.symbol, line.key.exchange, line.token, static_cast<oa_stream_mode>(line.upstream)});
    after_silence = state.after_silence;
    losses = state.losses;
    session = state.session;
  }
  if (after_silence && !keys.empty())
    if (auto dropped = upstream_.unsubscribe(broker, keys, session); !dropped.ok())
      spdlog::warn("feed: {}: dropping {} key(s) before reconnecting failed: {}", broker, keys.size(), dropped.message);
  auto outcome = keys.empty() ? plugins::Outcome{} : upstream_.subscribe(broker, keys, session);
  std::lock_guard lock(mutex_);
  auto& state = brokers_[broker];
  const std::int64_t now = options_.now_ms();
  state.resubscribing = false;
  if (!outcome.ok()) {
    ++state.attempt;
    state.next_attempt_ms = now + backoff_ms(state.attempt);
    state.last_error = outcome.message;
    spdlog::warn("feed: {}: re-subscribing {} key(s) failed (attempt {}): {}; next in {} ms", broker, keys.size(),
                 state.attempt, outcome.message, state.next_attempt_ms - now);
    return;
  }
  ++state.reconnects;
  state.attempt = 0;
  state.quiet_since_ms = now;
  if (state.losses == losses) state.lost = state.after_silence = false;  // else a newer loss needs another round
  spdlog::info("feed: {}: re-subscribed {} key(s) after: {}", broker, keys.size(), state.last_error);
}

void MarketFeed::watch(std::stop_token stop) {
  while (!stop.stop_requested()) {
    {
      std::unique_lock lock(watch_mutex_);
      watch_wakeup_.wait_for(lock, stop, options_.watch_period, [] { return false; });
    }
    if (stop.stop_requested()) return;
    check_liveness();
  }
}

// ---- diagnostics ----------------------------------------------------------------------------

std::vector<BrokerFeedStatus> MarketFeed::status() const {
  std::lock_guard lock(mutex_);
  std::map<std::string, BrokerFeedStatus> out;
  std::map<std::string, std::set<SubscriberId>> subscribers;
  for (const auto& [broker, state] : brokers_) {
    auto& status = out[broker];
    status.broker = broker;
    status.last_tick_ms = state.last_tick_ms;
    status.ticks = state.ticks;
    status.state = state.lost ? "reconnecting" : "streaming";
    status.last_error = state.last_error;
    status.reconnects = state.reconnects;
    if (state.lost) status.next_attempt_ms = state.next_attempt_ms;
  }
  for (const auto& [id, line] : lines_) {
    auto& status = out[line.key.broker];
    status.broker = line.key.broker;
    if (line.upstream != 0) ++status.lines;
    for (const auto& [who, modes] : line.held) {
      status.subscriptions += static_cast<std::size_t>(__builtin_popcount(modes));
      subscribers[line.key.broker].insert(who);
    }
  }
  std::vector<BrokerFeedStatus> list;
  for (auto& [broker, status] : out) {
    status.subscribers = subscribers[broker].size();
    if (status.lines == 0) status.state = "idle";
    list.push_back(std::move(status));
  }
  return list;
}

}  // namespace oa::feed
