#pragma once
// The market-data feed between broker plugins and every subscriber (WebSocket
// clients, the sandbox engine). The one caller of PluginHost::subscribe.
//
// Reference counting: subscribers hold (line, mode) pairs; the plugin is
// asked for one upstream subscription per line, at the highest mode anyone
// holds or waits for, and told to unsubscribe when the last holder leaves. A
// higher mode serves lower-mode holders (a Depth tick is sent to an LTP holder
// as an LTP message), so a client gets one message per tick per mode it holds.
// A line upgrades when a higher mode is wanted and keeps its mode while anyone
// holds the line: a downgrade would be one more upstream call that can fail,
// for a little bandwidth.
//
// Acknowledgement: a subscribe completes per symbol only once the plugin
// accepted the line at a mode covering it, or refused it (with its message).
//
// Liveness: a broker's feed counts as lost when its plugin says so (ABI 1.1
// stream_status) or when it stays silent past `silence` while a market of
// its lines is open. A lost feed is re-subscribed, line by line at the mode
// held, after a backoff with jitter, until the plugin accepts; after a
// silence, every key is unsubscribed first, so the plugin opens a fresh
// connection.
//
// Threads: upstream calls block, so they run on one worker per broker, in
// order; everything else returns at once. on_tick runs on the plugin's thread
// and hands each subscriber a shared frame; subscribers must not block. A
// watch thread checks liveness every watch_period.
#include <chrono>
#include <condition_variable>
#include <random>
#include <string_view>
#include <thread>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "feed/feed_types.hpp"
#include "feed/stream_upstream.hpp"
#include "feed/tick_event.hpp"
#include "plugins/worker_pool.hpp"

namespace oa::feed {

struct FeedOptions {
  TickFormatter format;                   // the client text of a tick per mode
  std::function<std::int64_t()> now_ms;   // Unix epoch ms
  std::size_t max_queued_calls = 4096;    // per broker
  std::chrono::milliseconds silence{60000};
  // Whether `exchange` trades at `now_ms`; empty = always (silence counts at any hour).
  std::function<bool(const std::string& exchange, std::int64_t now_ms)> market_open;
  // Waits before each re-subscribe attempt; the last repeats. Each is varied by ±jitter.
  std::vector<std::chrono::milliseconds> backoff{std::chrono::seconds(1),  std::chrono::seconds(2),
                                                 std::chrono::seconds(5),  std::chrono::seconds(10),
                                                 std::chrono::seconds(30), std::chrono::seconds(60)};
  double jitter = 0.2;
  // 0 = no watch thread: the owner calls check_liveness() (tests).
  std::chrono::milliseconds watch_period{500};
};

class MarketFeed {
 public:
  using SubscribeDone = std::function<void(std::vector<SymbolResult>)>;

  MarketFeed(StreamUpstream& upstream, FeedOptions options);
  ~MarketFeed();  // finishes upstream calls under way
  MarketFeed(const MarketFeed&) = delete;
  MarketFeed& operator=(const MarketFeed&) = delete;

  SubscriberId attach(std::shared_ptr<Subscriber> subscriber);
  // Drops everything the subscriber holds or waits for.
  void detach(SubscriberId id);

  // `done` is called once, from any thread, with one result per request in
  // order, when the broker has answered for every symbol. `session` is the
  // broker login the plugin calls with.
  void subscribe(SubscriberId id, const std::string& broker, const plugins::Session& session,
                 std::vector<SymbolRequest> requests, SubscribeDone done);
  // Immediate: dropping something not held succeeds too.
  std::vector<SymbolResult> unsubscribe(SubscriberId id, const std::string& broker,
                                        const std::vector<SymbolRequest>& requests);
  // Every (symbol, mode) the subscriber held, now dropped.
  std::vector<SymbolResult> unsubscribe_all(SubscriberId id);

  // From the plugin host: fans the tick out.
  void on_tick(const std::string& broker, const oa_tick& tick);
  // From the plugin host (ABI 1.1): the broker's upstream feed went up or down.
  void on_stream_status(const std::string& broker, bool connected, std::string_view reason);
  // Finds silent feeds and starts due re-subscriptions; the watch thread calls it.
  void check_liveness();

  std::vector<BrokerFeedStatus> status() const;
  // Blocks until no upstream call is queued or running (for tests and shutdown).
  void settle();
  // Stops the liveness watch and waits for upstream calls: after it, the feed
  // calls the upstream only for subscription changes made later.
  void shut_down();

 private:
  struct Target {
    std::weak_ptr<Subscriber> subscriber;  // detach releases it at once, not at the line's next tick
    std::uint8_t modes = 0;
  };
  struct Pending;  // one subscribe request waiting for the broker
  struct Waiter {
    SubscriberId who = 0;
    int mode = 0;
    std::shared_ptr<Pending> pending;
    std::size_t index = 0;
  };
  struct Line {
    std::uint64_t id = 0;
    LineKey key;
    std::string token;
    std::map<SubscriberId, std::uint8_t> held;  // accepted modes, as bits
    std::vector<Waiter> waiting;
    int upstream = 0;   // the mode the plugin accepted; 0 = not subscribed
    int in_flight = 0;  // the mode of a subscribe call under way; 0 = none
    std::shared_ptr<const std::vector<Target>> targets = std::make_shared<std::vector<Target>>();
    bool targets_stale = false;  // `held` changed since `targets` was built
  };
  struct Holder {
    std::shared_ptr<Subscriber> subscriber;
    std::set<std::uint64_t> lines;
  };
  // One upstream call for a line, planned under the lock and run on the broker's worker.
  struct Change {
    std::uint64_t line = 0;
    plugins::StreamKey key;
    bool subscribe = true;
    int retire = 0;  // after a subscribe: the lower mode it replaces, unsubscribed once it is accepted
  };
  struct BrokerState {
    std::unique_ptr<plugins::WorkerPool> worker;
    plugins::Session session;
    std::int64_t last_tick_ms = 0;
    std::int64_t quiet_since_ms = 0;  // the later of the last tick and the last accepted subscribe
    std::uint64_t ticks = 0;
    bool lost = false;            // waiting to be re-subscribed
    bool after_silence = false;   // lost to silence: unsubscribe everything first
    bool resubscribing = false;   // an attempt is queued or running
    std::uint64_t losses = 0;     // counts losses, so an attempt knows if a newer one came
    std::size_t attempt = 0;
    std::int64_t next_attempt_ms = 0;
    std::uint64_t reconnects = 0;
    std::string last_error;
  };
  using Completions = std::vector<std::function<void()>>;

  Line* find_line(const LineKey& key);
  Line& line_for(const LineKey& key, const std::string& token);
  void add_waiter(Line& line, Waiter waiter, Completions& done);
  bool drop_held(Line& line, SubscriberId who, int mode);
  void drop_waiters(Line& line, SubscriberId who, int mode, Completions& done);
  void rebuild_targets(Line& line);
  void reconcile(Line& line, std::map<std::string, std::vector<Change>>& plan);
  void forget_if_idle(Line& line);
  void submit(std::map<std::string, std::vector<Change>> plan);
  void run_changes(const std::string& broker, std::vector<Change> changes);
  void apply_subscribed(const Change& change, const plugins::Outcome& outcome,
                        std::map<std::string, std::vector<Change>>& plan, Completions& done);
  std::vector<plugins::Outcome> call_subscribe(const std::string& broker, const std::vector<Change>& changes,
                                               const plugins::Session& session);
  static void run(Completions& done);
  void mark_lost(BrokerState& state, std::string reason, bool after_silence, std::int64_t now);
  std::int64_t backoff_ms(std::size_t attempt);
  void resubscribe(const std::string& broker);
  bool queue_job(const std::string& broker, std::function<void()> job);
  void watch(std::stop_token stop);

  StreamUpstream& upstream_;
  FeedOptions options_;
  mutable std::mutex mutex_;
  std::uint64_t next_line_ = 1;
  SubscriberId next_subscriber_ = 1;
  std::map<LineKey, std::uint64_t> line_ids_;
  std::map<std::uint64_t, Line> lines_;
  std::map<std::tuple<std::string, std::string, std::string>, std::uint64_t> by_token_;  // broker, exchange, token
  std::map<SubscriberId, Holder> holders_;
  std::map<std::string, BrokerState> brokers_;
  std::mutex calls_mutex_;
  std::condition_variable calls_idle_;
  std::size_t calls_ = 0;  // upstream jobs queued or running
  std::mt19937 random_{std::random_device{}()};  // jitter; under mutex_
  std::mutex watch_mutex_;
  std::condition_variable_any watch_wakeup_;
  std::jthread watcher_;  // last: stopped first
};

}  // namespace oa::feed
