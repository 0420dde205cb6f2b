// Sandbox engine benchmark (issue 5): drives oa::sandbox::Engine in-process
// on a SQLite store in a temporary directory while a ticker thread streams
// prices for many symbols, and prints one line of numbers:
//   placed_per_s=… fills_per_s=… tick_to_fill_p50_us=… tick_to_fill_p99_us=…
// Run by tools/bench-sandbox; never by the test suite.
//   bench_sandbox [--symbols N] [--orders N] [--latency-samples N] [--tick-interval-ms N]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include "sandbox/engine.hpp"
#include "sandbox/ist_time.hpp"
#include "store/database_url.hpp"
#include "store/store.hpp"
#include "store/users.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using oa::sandbox::Quote;

constexpr double kRestingPrice = 100.0;  // where the ticker keeps every symbol
constexpr double kLimitPrice = 90.0;     // resting BUY limits sit here
constexpr double kCrossingPrice = 89.0;  // a tick at this price fills them

struct Options {
  int symbols = 1000;
  int orders = 20000;
  int latency_samples = 2000;
  int tick_interval_ms = 100;
};

Options parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string name = argv[i];
    int value = std::atoi(argv[i + 1]);
    if (name == "--symbols") options.symbols = value;
    else if (name == "--orders") options.orders = value;
    else if (name == "--latency-samples") options.latency_samples = value;
    else if (name == "--tick-interval-ms") options.tick_interval_ms = value;
  }
  return options;
}

std::string symbol_name(int index) { return "BENCH" + std::to_string(index); }

// Every symbol is an NSE equity quoted at kRestingPrice; subscriptions are free.
class BenchMarket : public oa::sandbox::MarketData {
 public:
  std::optional<oa::sandbox::Instrument> instrument(const std::string& symbol,
                                                    const std::string& exchange) override {
    return oa::sandbox::Instrument{symbol, exchange, "EQ", "", 1, 0.05, 1};
  }
  void fetch_quote(const std::string&, const std::string&,
                   std::function<void(std::optional<Quote>)> done) override {
    done(Quote{kRestingPrice, kRestingPrice - 0.05, kRestingPrice + 0.05, 0});
  }
  void watch(const std::string&, const std::string&) override {}
  void release(const std::string&, const std::string&) override {}
};

// Streams a non-crossing price for every symbol each interval, as a feed would.
class Ticker {
 public:
  Ticker(oa::sandbox::Engine& engine, int symbols, int interval_ms)
      : thread_([this, &engine, symbols, interval_ms] {
          while (!stop_) {
            for (int i = 0; i < symbols && !stop_; ++i) {
              engine.on_tick(symbol_name(i), "NSE", Quote{kRestingPrice, kRestingPrice - 0.05, kRestingPrice + 0.05, 0});
              ++ticks_;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(interval_ms));
          }
        }) {}
  ~Ticker() {
    stop_ = true;
    thread_.join();
  }
  long ticks() const { return ticks_; }

 private:
  std::atomic<bool> stop_{false};
  std::atomic<long> ticks_{0};
  std::thread thread_;
};

oa::sandbox::Reply ask(const std::function<void(oa::sandbox::Engine::Done)>& call) {
  std::promise<oa::sandbox::Reply> reply;
  auto answer = reply.get_future();
  call([&reply](oa::sandbox::Reply r) { reply.set_value(std::move(r)); });
  return answer.get();
}

bool succeeded(const oa::sandbox::Reply& reply) {
  const auto* status = reply.body.if_contains("status");
  return reply.status == 200 && status != nullptr && status->is_string() && status->get_string() == "success";
}

oa::sandbox::OrderRequest order(int symbol, bool market) {
  oa::sandbox::OrderRequest request;
  request.strategy = "bench";
  request.symbol = symbol_name(symbol);
  request.exchange = "NSE";
  request.action = "BUY";
  request.quantity = 1;
  request.product = "MIS";
  request.pricetype = market ? "MARKET" : "LIMIT";
  request.price = market ? 0 : kLimitPrice;
  return request;
}

void wait_until_idle(oa::sandbox::Engine& engine) {
  std::promise<void> idle;
  engine.flush([&idle] { idle.set_value(); });
  idle.get_future().wait();
}

// Places `count` orders, alternating MARKET and resting LIMIT, with at most
// `window` unanswered at once. Returns how many were accepted.
int place_mix(oa::sandbox::Engine& engine, std::int64_t user, const Options& options, int window) {
  std::mutex mutex;
  std::condition_variable changed;
  int in_flight = 0, answered = 0, accepted = 0;
  for (int i = 0; i < options.orders; ++i) {
    {
      std::unique_lock lock(mutex);
      changed.wait(lock, [&] { return in_flight < window; });
      ++in_flight;
    }
    engine.place_order(user, order(i % options.symbols, i % 2 == 0), [&](oa::sandbox::Reply reply) {
      std::lock_guard lock(mutex);
      --in_flight;
      ++answered;
      if (succeeded(reply)) ++accepted;
      changed.notify_all();
    });
  }
  std::unique_lock lock(mutex);
  changed.wait(lock, [&] { return answered == options.orders; });
  return accepted;
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

long percentile_us(std::vector<long>& samples, double fraction) {
  if (samples.empty()) return 0;
  std::sort(samples.begin(), samples.end());
  return samples[std::min(samples.size() - 1, static_cast<std::size_t>(fraction * samples.size()))];
}

// From on_tick of a crossing price to an order status that says complete.
long tick_to_fill_us(oa::sandbox::Engine& engine, std::int64_t user, int symbol) {
  const auto name = symbol_name(symbol);
  engine.on_tick(name, "NSE", Quote{kRestingPrice, 0, 0, 0});
  auto placed = ask([&](auto done) { engine.place_order(user, order(symbol, false), std::move(done)); });
  const auto* id = placed.body.if_contains("orderid");
  if (!succeeded(placed) || id == nullptr) return -1;
  const std::string orderid(id->as_string());
  const auto start = Clock::now();
  engine.on_tick(name, "NSE", Quote{kCrossingPrice, 0, 0, 0});
  for (;;) {
    auto status = ask([&](auto done) { engine.order_status(user, orderid, std::move(done)); });
    const auto* data = status.body.if_contains("data");
    if (data != nullptr && data->at("order_status").as_string() == "complete") break;
  }
  return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  std::string directory = (std::filesystem::temp_directory_path() / "openalgod-bench-XXXXXX").string();
  if (::mkdtemp(directory.data()) == nullptr) return 1;
  int result = 0;
  {
    auto store = oa::store::Store::open(oa::store::parse_database_url("sqlite:///" + directory + "/bench.db"), 2);
    const auto user = oa::store::Users(*store).add("bench", "not-a-hash", false);
    BenchMarket market;
    // A fixed trading-hours clock (10:00 IST plus real elapsed time), so the
    // run does not depend on when it is started.
    const auto origin = oa::sandbox::ist_instant(2025, 8, 22, oa::sandbox::at(10, 0));
    const auto began = Clock::now();
    oa::sandbox::Engine engine(*store, market, {}, [origin, began] {
      return origin + std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - began).count();
    });
    engine.start();
    Ticker ticker(engine, options.symbols, options.tick_interval_ms);

    auto start = Clock::now();
    const int accepted = place_mix(engine, user, options, 64);
    const double placing = seconds_since(start);

    // Every LIMIT of the mix rests; one crossing tick per symbol fills them all.
    const int resting = options.orders / 2;
    start = Clock::now();
    for (int i = 0; i < options.symbols; ++i) engine.on_tick(symbol_name(i), "NSE", Quote{kCrossingPrice, 0, 0, 0});
    wait_until_idle(engine);
    const double filling = seconds_since(start);
    auto trades = ask([&](auto done) { engine.trade_book(user, std::move(done)); });
    const auto* trade_rows = trades.body.if_contains("data");
    const std::size_t trade_count = trade_rows != nullptr && trade_rows->is_array() ? trade_rows->get_array().size() : 0;

    std::vector<long> latencies;
    for (int i = 0; i < options.latency_samples; ++i) {
      const long us = tick_to_fill_us(engine, user, i % options.symbols);
      if (us >= 0) latencies.push_back(us);
    }
    std::printf("symbols=%d orders=%d accepted=%d placed_per_s=%.0f fills=%d fills_per_s=%.0f "
                "latency_samples=%zu tick_to_fill_p50_us=%ld tick_to_fill_p99_us=%ld ticks_streamed=%ld\n",
                options.symbols, options.orders, accepted, accepted / placing, resting, resting / filling,
                latencies.size(), percentile_us(latencies, 0.50), percentile_us(latencies, 0.99),
                ticker.ticks());
    // Every order of the mix must have traded: MARKET at placement, LIMIT on the crossing tick.
    if (accepted != options.orders || trade_count != static_cast<std::size_t>(options.orders)) {
      std::fprintf(stderr, "expected %d trades, found %zu\n", options.orders, trade_count);
      result = 2;
    }
  }
  std::filesystem::remove_all(directory);
  return result;
}
