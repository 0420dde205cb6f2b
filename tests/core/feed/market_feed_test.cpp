// The market feed's reference counting and acknowledgement rules, against a
// scripted upstream that records every call and can hold or refuse them.
#include <doctest/doctest.h>

#include <condition_variable>
#include <future>
#include <mutex>
#include <set>

#include "feed/market_feed.hpp"

using namespace oa::feed;
using oa::plugins::Outcome;
using oa::plugins::Session;
using oa::plugins::StreamKey;

namespace {

class ScriptedUpstream : public StreamUpstream {
 public:
  Outcome subscribe(const std::string&, const std::vector<StreamKey>& keys, const Session&) override {
    std::unique_lock lock(mutex_);
    released_.wait(lock, [this] { return !holding_; });
    for (const auto& key : keys)
      if (refused_.count(key.symbol)) return {OA_ERR_NOT_FOUND, {}, "refused " + key.symbol};
    for (const auto& key : keys) calls_.push_back("sub " + key.symbol + ":" + std::to_string(key.mode));
    return {};
  }
  Outcome unsubscribe(const std::string&, const std::vector<StreamKey>& keys, const Session&) override {
    std::lock_guard lock(mutex_);
    for (const auto& key : keys) calls_.push_back("unsub " + key.symbol + ":" + std::to_string(key.mode));
    return {};
  }
  std::optional<std::string> token_of(const std::string&, const std::string& symbol, const std::string&) override {
    if (symbol == "UNKNOWN") return std::nullopt;
    return "T" + symbol;
  }
  std::optional<std::string> symbol_of(const std::string&, const std::string& token, const std::string&) override {
    return token.substr(1);
  }

  std::vector<std::string> calls() {
    std::lock_guard lock(mutex_);
    return calls_;
  }
  void hold() {
    std::lock_guard lock(mutex_);
    holding_ = true;
  }
  void release() {
    std::lock_guard lock(mutex_);
    holding_ = false;
    released_.notify_all();
  }
  void refuse(const std::string& symbol) { refused_.insert(symbol); }

 private:
  std::mutex mutex_;
  std::condition_variable released_;
  bool holding_ = false;
  std::set<std::string> refused_;
  std::vector<std::string> calls_;
};

// Records what it is sent: "SYMBOL:mode" texts.
class Recorder : public Subscriber {
 public:
  void on_tick(const TickEvent& event, std::uint8_t modes) override {
    std::lock_guard lock(mutex_);
    for (int mode = kModeLtp; mode <= kModeDepth; ++mode)
      if (modes & mode_bit(mode)) got_.push_back(*event.frame(mode));
  }
  std::vector<std::string> got() {
    std::lock_guard lock(mutex_);
    return got_;
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> got_;
};

struct Fixture {
  ScriptedUpstream upstream;
  int formatted = 0;
  MarketFeed feed{upstream, options()};

  FeedOptions options() {
    FeedOptions out;
    out.format = [this](const LineKey& line, const oa_tick&, int mode, std::int64_t) {
      ++formatted;
      return line.symbol + ":" + std::to_string(mode);
    };
    out.now_ms = [] { return std::int64_t{1000}; };
    out.watch_period = std::chrono::milliseconds(0);
    return out;
  }

  std::vector<SymbolResult> subscribe(SubscriberId id, std::vector<SymbolRequest> requests) {
    std::promise<std::vector<SymbolResult>> answered;
    auto future = answered.get_future();
    feed.subscribe(id, "sim", {}, std::move(requests),
                   [&answered](std::vector<SymbolResult> results) { answered.set_value(std::move(results)); });
    return future.get();
  }
  void tick(const std::string& symbol, int mode) {
    oa_tick tick{};
    tick.struct_size = sizeof tick;
    tick.mode = static_cast<oa_stream_mode>(mode);
    tick.symbol = {symbol.data(), symbol.size()};
    tick.exchange = {"NSE", 3};
    feed.on_tick("sim", tick);
  }
};

}  // namespace

TEST_SUITE("feed") {
  TEST_CASE("many subscribers of one symbol cost one upstream subscribe, and the last to leave one unsubscribe") {
    Fixture f;
    std::vector<SubscriberId> ids;
    for (int i = 0; i < 50; ++i) {
      ids.push_back(f.feed.attach(std::make_shared<Recorder>()));
      CHECK(f.subscribe(ids.back(), {{"NSE", "SBIN", kModeQuote}})[0].ok);
    }
    for (std::size_t i = 0; i + 1 < ids.size(); ++i) f.feed.detach(ids[i]);
    f.feed.settle();
    CHECK(f.upstream.calls() == std::vector<std::string>{"sub SBIN:2"});
    f.feed.detach(ids.back());
    f.feed.settle();
    CHECK(f.upstream.calls() == std::vector<std::string>{"sub SBIN:2", "unsub SBIN:2"});
  }

  TEST_CASE("a tick is written once per mode however many subscribers share it") {
    Fixture f;
    std::vector<std::shared_ptr<Recorder>> recorders;
    for (int i = 0; i < 20; ++i) {
      recorders.push_back(std::make_shared<Recorder>());
      f.subscribe(f.feed.attach(recorders.back()), {{"NSE", "SBIN", i % 2 ? kModeLtp : kModeQuote}});
    }
    f.tick("SBIN", kModeQuote);
    CHECK(f.formatted == 2);
    CHECK(recorders[0]->got() == std::vector<std::string>{"SBIN:2"});
    CHECK(recorders[1]->got() == std::vector<std::string>{"SBIN:1"});
  }

  TEST_CASE("a higher mode upgrades the line once, and lower-mode holders get their own mode, never a duplicate") {
    Fixture f;
    auto ltp = std::make_shared<Recorder>();
    auto depth = std::make_shared<Recorder>();
    f.subscribe(f.feed.attach(ltp), {{"NSE", "SBIN", kModeLtp}});
    f.subscribe(f.feed.attach(depth), {{"NSE", "SBIN", kModeDepth}});
    f.feed.settle();
    CHECK(f.upstream.calls() == std::vector<std::string>{"sub SBIN:1", "sub SBIN:3", "unsub SBIN:1"});
    f.tick("SBIN", kModeDepth);
    f.tick("SBIN", kModeLtp);  // from the retired LTP subscription: dropped
    CHECK(ltp->got() == std::vector<std::string>{"SBIN:1"});
    CHECK(depth->got() == std::vector<std::string>{"SBIN:3"});
  }

  TEST_CASE("a subscriber holding two modes of a symbol gets one message per mode it holds") {
    Fixture f;
    auto both = std::make_shared<Recorder>();
    auto id = f.feed.attach(both);
    f.subscribe(id, {{"NSE", "SBIN", kModeLtp}, {"NSE", "SBIN", kModeQuote}});
    f.tick("SBIN", kModeQuote);
    CHECK(both->got() == std::vector<std::string>{"SBIN:1", "SBIN:2"});
  }

  TEST_CASE("a subscribe is answered only once the upstream accepted it") {
    Fixture f;
    f.upstream.hold();
    std::promise<std::vector<SymbolResult>> answered;
    auto future = answered.get_future();
    auto recorder = std::make_shared<Recorder>();
    f.feed.subscribe(f.feed.attach(recorder), "sim", {}, {{"NSE", "SBIN", kModeQuote}},
                     [&answered](std::vector<SymbolResult> results) { answered.set_value(std::move(results)); });
    f.tick("SBIN", kModeQuote);  // the plugin may tick before it returns: nobody holds the line yet
    CHECK(future.wait_for(std::chrono::milliseconds(100)) == std::future_status::timeout);
    CHECK(f.upstream.calls().empty());
    f.upstream.release();
    CHECK(future.get()[0].ok);
    CHECK(f.upstream.calls() == std::vector<std::string>{"sub SBIN:2"});
    CHECK(recorder->got().empty());
  }

  TEST_CASE("a symbol the broker refuses fails alone, with the broker's message, and the rest are subscribed") {
    Fixture f;
    f.upstream.refuse("BAD");
    auto results = f.subscribe(f.feed.attach(std::make_shared<Recorder>()),
                               {{"NSE", "SBIN", kModeLtp}, {"NSE", "BAD", kModeLtp}, {"NSE", "INFY", kModeLtp}});
    CHECK(results[0].ok);
    CHECK_FALSE(results[1].ok);
    CHECK(results[1].message == "refused BAD");
    CHECK(results[2].ok);
    f.feed.settle();
    CHECK(f.upstream.calls() == std::vector<std::string>{"sub SBIN:1", "sub INFY:1"});
  }

  TEST_CASE("a symbol missing from the master contract fails with OpenAlgo's message and no upstream call") {
    Fixture f;
    auto results = f.subscribe(f.feed.attach(std::make_shared<Recorder>()), {{"NSE", "UNKNOWN", kModeLtp}});
    CHECK_FALSE(results[0].ok);
    CHECK(results[0].message == "Token not found for UNKNOWN on NSE");
    f.feed.settle();
    CHECK(f.upstream.calls().empty());
  }

  TEST_CASE("unsubscribe_all lists every subscription the subscriber held and releases the lines") {
    Fixture f;
    auto id = f.feed.attach(std::make_shared<Recorder>());
    f.subscribe(id, {{"NSE", "SBIN", kModeLtp}, {"NSE", "INFY", kModeDepth}});
    auto dropped = f.feed.unsubscribe_all(id);
    REQUIRE(dropped.size() == 2);
    std::set<std::string> names;
    for (const auto& result : dropped) names.insert(result.request.symbol + ":" + std::to_string(result.request.mode));
    CHECK(names == std::set<std::string>{"SBIN:1", "INFY:3"});
    f.feed.settle();
    auto calls = f.upstream.calls();
    CHECK(std::count(calls.begin(), calls.end(), "unsub SBIN:1") == 1);
    CHECK(std::count(calls.begin(), calls.end(), "unsub INFY:3") == 1);
  }

  TEST_CASE("unsubscribing one mode keeps the subscriber's other modes of the symbol flowing") {
    Fixture f;
    auto recorder = std::make_shared<Recorder>();
    auto id = f.feed.attach(recorder);
    f.subscribe(id, {{"NSE", "SBIN", kModeLtp}, {"NSE", "SBIN", kModeQuote}});
    f.feed.unsubscribe(id, "sim", {{"NSE", "SBIN", kModeQuote}});
    f.tick("SBIN", kModeQuote);
    CHECK(recorder->got() == std::vector<std::string>{"SBIN:1"});
    f.feed.settle();
    CHECK(f.upstream.calls() == std::vector<std::string>{"sub SBIN:2"});  // no downgrade call
  }

  TEST_CASE("between two ticks, a subscriber that left gets nothing more and one that joined gets the next") {
    Fixture f;
    auto leaving = std::make_shared<Recorder>();
    auto joining = std::make_shared<Recorder>();
    auto leaving_id = f.feed.attach(leaving);
    f.subscribe(leaving_id, {{"NSE", "SBIN", kModeLtp}});
    f.tick("SBIN", kModeLtp);
    f.subscribe(f.feed.attach(joining), {{"NSE", "SBIN", kModeLtp}});
    f.feed.unsubscribe(leaving_id, "sim", {{"NSE", "SBIN", kModeLtp}});
    f.tick("SBIN", kModeLtp);
    CHECK(leaving->got() == std::vector<std::string>{"SBIN:1"});
    CHECK(joining->got() == std::vector<std::string>{"SBIN:1"});
  }

  TEST_CASE("the feed lets go of a detached subscriber at once, not at its lines' next tick") {
    Fixture f;
    auto recorder = std::make_shared<Recorder>();
    std::weak_ptr<Recorder> watched = recorder;
    auto id = f.feed.attach(std::move(recorder));
    f.subscribe(id, {{"NSE", "SBIN", kModeLtp}});
    f.tick("SBIN", kModeLtp);
    f.feed.detach(id);
    CHECK(watched.expired());
  }
}
