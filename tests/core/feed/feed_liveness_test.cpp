// The feed keeps a broker's stream alive: a feed the plugin reports lost, or
// one that goes silent, is re-subscribed with every key it held; driven by
// the test broker plugin, which can drop or stall its feed on request.
#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <future>
#include <thread>

#include <boost/json.hpp>

#include "feed/market_feed.hpp"
#include "plugins/plugin_host.hpp"
#include "support/daemon_process.hpp"

using namespace oa::feed;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

class Counter : public Subscriber {
 public:
  void on_tick(const TickEvent&, std::uint8_t) override { ++ticks; }
  std::atomic<int> ticks{0};
};

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The test broker loaded in a plugin host whose ticks and stream reports go
// to a feed, with SBIN in its instrument table.
struct LiveFeed {
  oa::test::TempDir dir;
  oa::instruments::InstrumentTable instruments;
  MarketFeed* feed_for_host = nullptr;
  std::unique_ptr<oa::plugins::PluginHost> host;
  std::unique_ptr<PluginUpstream> upstream;
  std::unique_ptr<MarketFeed> feed;

  explicit LiveFeed(std::chrono::milliseconds silence) {
    oa::plugins::HostOptions options;
    options.copy_dir = dir.path() / "loaded";
    options.workers = 4;
    options.default_deadline = 2000ms;
    oa::plugins::HostServices services;
    services.on_tick = [this](const std::string& broker, const oa_tick& tick) {
      if (feed_for_host) feed_for_host->on_tick(broker, tick);
    };
    services.on_stream_status = [this](const std::string& broker, bool connected, std::string_view reason) {
      if (feed_for_host) feed_for_host->on_stream_status(broker, connected, reason);
    };
    host = std::make_unique<oa::plugins::PluginHost>(std::move(options), std::move(services));
    host->load(std::filesystem::path(TEST_PLUGIN_DIR) / "testbroker.so");
    oa::instruments::Instrument sbin;
    sbin.symbol = "SBIN", sbin.exchange = "NSE", sbin.token = "3045";
    instruments.replace("testbroker", std::make_shared<oa::instruments::InstrumentIndex>(std::vector{sbin}));
    upstream = std::make_unique<PluginUpstream>(*host, instruments);
    FeedOptions feed_options;
    feed_options.format = [](const LineKey&, const oa_tick&, int, std::int64_t) { return std::string("tick"); };
    feed_options.now_ms = wall_ms;
    feed_options.silence = silence;
    feed_options.backoff = {50ms, 100ms};
    feed_options.watch_period = 20ms;
    feed = std::make_unique<MarketFeed>(*upstream, std::move(feed_options));
    feed_for_host = feed.get();
  }
  ~LiveFeed() {
    feed_for_host = nullptr;
    feed.reset();
    host.reset();
  }

  json::object steer(const char* command) {
    auto outcome = host->call_and_wait("testbroker", oa::plugins::Operation::Quotes, std::string("{\"") + command + "\":true}");
    REQUIRE(outcome.ok());
    return json::parse(outcome.json).as_object();
  }
  // Polls until `done` or five seconds pass.
  template <class Done>
  bool eventually(Done done) {
    auto until = std::chrono::steady_clock::now() + 5s;
    while (!done() && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(10ms);
    return done();
  }
};

}  // namespace

TEST_SUITE("feed") {
  TEST_CASE("a feed the plugin reports lost is re-subscribed and its ticks come back") {
    LiveFeed live(1h);
    auto counter = std::make_shared<Counter>();
    std::promise<std::vector<SymbolResult>> answered;
    live.feed->subscribe(live.feed->attach(counter), "testbroker", {}, {{"NSE", "SBIN", kModeQuote}},
                         [&answered](std::vector<SymbolResult> results) { answered.set_value(std::move(results)); });
    REQUIRE(answered.get_future().get()[0].ok);
    REQUIRE(live.eventually([&] { return counter->ticks > 0; }));
    live.steer("drop_feed");
    REQUIRE(live.eventually([&] { return live.steer("feed").at("feed_opens") == 2; }));
    int after_drop = counter->ticks;
    CHECK(live.eventually([&] { return counter->ticks > after_drop + 3; }));
    CHECK(live.steer("feed").at("subscribed") == json::array{"SBIN:2"});
    auto status = live.feed->status();
    REQUIRE(status.size() == 1);
    CHECK(status[0].reconnects == 1);
    CHECK(status[0].state == "streaming");
    CHECK(status[0].last_error == "test feed dropped");
  }

  TEST_CASE("a feed silent past the limit is dropped and subscribed afresh") {
    LiveFeed live(300ms);
    auto counter = std::make_shared<Counter>();
    std::promise<std::vector<SymbolResult>> answered;
    live.feed->subscribe(live.feed->attach(counter), "testbroker", {}, {{"NSE", "SBIN", kModeLtp}},
                         [&answered](std::vector<SymbolResult> results) { answered.set_value(std::move(results)); });
    REQUIRE(answered.get_future().get()[0].ok);
    REQUIRE(live.eventually([&] { return counter->ticks > 0; }));
    live.steer("stall_feed");
    REQUIRE(live.eventually([&] { return live.steer("feed").at("feed_opens") == 2; }));
    int after_stall = counter->ticks;
    CHECK(live.eventually([&] { return counter->ticks > after_stall + 3; }));
    CHECK(live.steer("feed").at("subscribed") == json::array{"SBIN:1"});
    CHECK(live.feed->status()[0].last_error.find("no tick for") == 0);
  }

  TEST_CASE("a silent feed outside market hours is left alone") {
    LiveFeed live(100ms);
    // Replace the feed with one whose market is always closed.
    live.feed_for_host = nullptr;
    live.feed.reset();
    FeedOptions options;
    options.format = [](const LineKey&, const oa_tick&, int, std::int64_t) { return std::string("tick"); };
    options.now_ms = wall_ms;
    options.silence = 100ms;
    options.market_open = [](const std::string&, std::int64_t) { return false; };
    options.watch_period = 0ms;  // checked by hand below
    live.feed = std::make_unique<MarketFeed>(*live.upstream, std::move(options));
    live.feed_for_host = live.feed.get();
    std::promise<std::vector<SymbolResult>> answered;
    live.feed->subscribe(live.feed->attach(std::make_shared<Counter>()), "testbroker", {}, {{"NSE", "SBIN", kModeLtp}},
                         [&answered](std::vector<SymbolResult> results) { answered.set_value(std::move(results)); });
    REQUIRE(answered.get_future().get()[0].ok);
    live.steer("stall_feed");
    std::this_thread::sleep_for(300ms);  // past the silence limit
    live.feed->check_liveness();
    live.feed->settle();
    CHECK(live.steer("feed").at("feed_opens") == 1);
    CHECK(live.feed->status()[0].state == "streaming");
  }

  TEST_CASE("a subscribe the upstream holds is not acknowledged until the plugin returns") {
    LiveFeed live(1h);
    live.steer("hold_subscribe");
    std::promise<std::vector<SymbolResult>> answered;
    auto future = answered.get_future();
    live.feed->subscribe(live.feed->attach(std::make_shared<Counter>()), "testbroker", {}, {{"NSE", "SBIN", kModeLtp}},
                         [&answered](std::vector<SymbolResult> results) { answered.set_value(std::move(results)); });
    CHECK(future.wait_for(200ms) == std::future_status::timeout);
    live.steer("release_subscribe");
    CHECK(future.get()[0].ok);
  }
}
