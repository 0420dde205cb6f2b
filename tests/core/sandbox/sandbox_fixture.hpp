#pragma once
// What the sandbox tests share: a store on a temporary SQLite file, a fake
// market whose quotes the test controls, a clock the test moves, and an
// engine driven on the test's thread so every interleaving is chosen by the
// test.
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sandbox/engine.hpp"
#include "sandbox/ist_time.hpp"
#include "store/store.hpp"

namespace oa::sandbox::test {

// The instant of an IST date and time.
std::int64_t ist(int year, int month, int day, int hour, int minute);

// A fresh database removed on destruction: SQLite in a temporary directory,
// or, when OPENALGOD_SANDBOX_TEST_PG names a file holding the URL of a
// throwaway PostgreSQL cluster (tools/pg-test-cluster.sh), a new database
// there, so the same tests check the PostgreSQL dialect.
class TempStore {
 public:
  explicit TempStore(std::size_t pool_size = 2);
  ~TempStore();
  TempStore(const TempStore&) = delete;
  TempStore& operator=(const TempStore&) = delete;

  store::Store& store() { return *store_; }
  std::int64_t add_user(const std::string& name);
  // Opens the same database again (a restart); the old Store is closed first.
  void reopen();
  bool is_postgres() const { return !postgres_database_.empty(); }

 private:
  std::size_t pool_size_;
  std::string url_;
  std::filesystem::path directory_;  // SQLite only
  std::string postgres_admin_url_, postgres_database_;  // PostgreSQL only
  std::unique_ptr<store::Store> store_;
};

// A market whose quotes are set by the test. In Immediate mode fetch_quote
// answers at once with the current quote (or nullopt when there is none);
// in Manual mode answers wait until the test fires them.
class FakeMarket : public MarketData {
 public:
  enum class Mode { Immediate, Manual };

  void add_instrument(Instrument instrument);
  void set_quote(const std::string& symbol, const std::string& exchange, Quote quote);
  void clear_quote(const std::string& symbol, const std::string& exchange);
  void set_mode(Mode mode);

  // Manual mode: how many fetches wait, and answering them (oldest first).
  std::size_t waiting_fetches() const;
  void answer_next(std::optional<Quote> quote);
  void answer_all_with_current();

  std::size_t fetch_count() const;
  // A restarted daemon starts with no subscriptions.
  void forget_watches();
  bool watching(const std::string& symbol, const std::string& exchange) const;

  std::optional<Instrument> instrument(const std::string& symbol, const std::string& exchange) override;
  void fetch_quote(const std::string& symbol, const std::string& exchange,
                   std::function<void(std::optional<Quote>)> done) override;
  void watch(const std::string& symbol, const std::string& exchange) override;
  void release(const std::string& symbol, const std::string& exchange) override;

 private:
  struct Fetch {
    std::string symbol, exchange;
    std::function<void(std::optional<Quote>)> done;
  };
  mutable std::mutex mutex_;
  Mode mode_ = Mode::Immediate;
  std::map<std::pair<std::string, std::string>, Instrument> instruments_;
  std::map<std::pair<std::string, std::string>, Quote> quotes_;
  std::vector<Fetch> waiting_;
  std::set<std::pair<std::string, std::string>> watched_;
  std::size_t fetches_ = 0;
};

// The usual instruments: equities ZEEL, RELIANCE, SBIN (NSE, lot 1), a NIFTY
// future and option (NFO, lot 75) expiring 28 Aug 2025, and a crypto perpetual.
void add_standard_instruments(FakeMarket& market);

class ManualClock {
 public:
  explicit ManualClock(std::int64_t start) : now_(start) {}
  std::int64_t now() const { return now_.load(); }
  void set(std::int64_t at) { now_.store(at); }
  void advance(std::int64_t ms) { now_.fetch_add(ms); }
  std::function<std::int64_t()> function() {
    return [this] { return now_.load(); };
  }

 private:
  std::atomic<std::int64_t> now_;
};

// An engine without a thread of its own: calls run on the test's thread
// through run_queued(), so each test decides what happens in which order.
class Harness {
 public:
  explicit Harness(EngineOptions options = {}, std::int64_t start = ist(2025, 8, 22, 10, 0));
  ~Harness();

  // Stops the engine and starts a new one on the same database (a restart),
  // with new options when given.
  void restart(std::optional<EngineOptions> options = std::nullopt);

  // Runs `call` with a `done` that records the reply, drives the engine until
  // the queue is empty and returns the reply; fails the test unless exactly
  // one reply came.
  Reply request(const std::function<void(Engine&, Engine::Done)>& call);

  Reply place(const OrderRequest& request);
  Reply place(const std::string& symbol, const std::string& exchange, const std::string& action,
              double quantity, const std::string& pricetype = "MARKET",
              const std::string& product = "MIS", double price = 0, double trigger_price = 0);
  Reply modify(const ModifyRequest& request);
  Reply cancel(const std::string& orderid);
  Reply cancel_all();
  Reply close_all();
  Reply order_book();
  Reply trade_book();
  Reply position_book();
  Reply holdings();
  Reply funds();
  Reply order_status(const std::string& orderid);
  double open_quantity(const std::string& symbol, const std::string& exchange,
                       const std::string& product);
  Reply place_gtt(const GttRequest& request);
  Reply modify_gtt(const GttRequest& request);
  Reply cancel_gtt(const std::string& trigger_id);
  Reply gtt_book();
  Reply reset();

  void tick(const std::string& symbol, const std::string& exchange, double ltp, double bid = 0,
            double ask = 0);
  void run_schedules();
  void settle() { engine_->run_queued(); }

  // Figures straight from the database.
  Funds stored_funds();
  std::optional<Position> stored_position(const std::string& symbol, const std::string& exchange,
                                          const std::string& product);
  std::optional<Holding> stored_holding(const std::string& symbol, const std::string& exchange);
  std::optional<Order> stored_order(const std::string& orderid);
  std::int64_t trade_count();
  // used margin == what resting orders, open positions and active GTTs hold
  Paise margin_held_by_orders_and_positions();
  std::optional<Gtt> stored_gtt(const std::string& gtt_id);
  Paise invested_in_holdings();

  TempStore& database() { return database_; }
  FakeMarket& market() { return market_; }
  ManualClock& clock() { return clock_; }
  Engine& engine() { return *engine_; }
  std::int64_t user() const { return user_; }
  void set_user(std::int64_t user) { user_ = user; }

 private:
  EngineOptions options_;
  TempStore database_;
  FakeMarket market_;
  ManualClock clock_;
  std::int64_t user_ = 0;
  std::unique_ptr<Engine> engine_;
};

// The body's "message" or "" when it has none.
std::string message_of(const Reply& reply);
std::string orderid_of(const Reply& reply);
std::string trigger_id_of(const Reply& reply);

// Places a MARKET BUY of 10 SBIN (MIS) with the market in Manual mode and
// drives the engine until the order waits for its quote; `replies` counts
// the answers and `reply` keeps the last.
void place_without_waiting(Harness& h, int& replies, Reply& reply);

// Buys `quantity` CNC shares of an NSE equity at `price` today and lets T+1
// (the next day's schedules) turn them into a holding.
void hold_shares(Harness& h, const std::string& symbol, double quantity, double price);

// A SINGLE GTT on NSE: `trigger_sl` or `trigger_tg` set, the other 0.
GttRequest single_gtt(const std::string& symbol, const std::string& action, double quantity, double price,
                      double trigger_sl, double trigger_tg, const std::string& product = "CNC");
// An OCO GTT on NSE with its two triggers and leg limits.
GttRequest oco_gtt(const std::string& symbol, const std::string& action, double quantity, double trigger_sl,
                   double stoploss, double trigger_tg, double target, const std::string& product = "CNC");

}  // namespace oa::sandbox::test
