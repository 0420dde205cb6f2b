#pragma once
// The sandbox (analyze-mode) engine: paper orders filled against live
// prices, with OpenAlgo's funds, margins, positions, holdings and schedules
// (reference: sandbox.md). All state lives in the store; the engine keeps
// only indexes and prices in memory, rebuilt by start().
//
// Threading: every order and every price is handled on the engine's own
// thread, one at a time. Callers never block on it: each call queues its
// work and returns, and `done` is called exactly once, from the engine
// thread. The account views are the exception: they read the store on the
// calling thread (see book_reader.hpp) and call `done` before they return,
// unless a price to mark a position with must be fetched first: the engine
// does that.
// Market data is asked for asynchronously, so a slow or silent broker delays
// only the requests that need its price, never the engine.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sandbox/gtt.hpp"
#include "sandbox/margin.hpp"
#include "sandbox/sandbox_types.hpp"
#include "sandbox/schedules.hpp"
#include "store/statement_cache.hpp"
#include "store/store.hpp"

namespace oa::sandbox {

class BookReader;
class MarketBoard;
struct MarkNeeds;

// What the engine needs from the outside world; implemented over the plugin
// host and the tick stream. Every method is called on the engine thread and
// must return without waiting on the network.
class MarketData {
 public:
  virtual ~MarketData() = default;
  // Instrument facts from the active broker's master contract; nullopt if unknown.
  virtual std::optional<Instrument> instrument(const std::string& symbol,
                                               const std::string& exchange) = 0;
  // Asks for a fresh quote; `done` is called once, from any thread, with
  // nullopt on failure. It may be called after the engine is gone: the
  // engine's callbacks tolerate that.
  virtual void fetch_quote(const std::string& symbol, const std::string& exchange,
                           std::function<void(std::optional<Quote>)> done) = 0;
  // Keep ticks coming (to Engine::on_tick) for this symbol while orders rest
  // on it or positions are open in it; release when none are.
  virtual void watch(const std::string& symbol, const std::string& exchange) = 0;
  virtual void release(const std::string& symbol, const std::string& exchange) = 0;
};

// What an OCO GTT blocks at placement: the margin of its larger leg (only
// one leg can ever fire) or of both legs.
enum class OcoMargin { Max, Sum };

struct EngineOptions {
  double starting_capital = 10000000.0;  // ₹1,00,00,000; one of ₹1L, 5L, 10L, 25L, 50L, 1Cr
  Leverage leverage;
  ScheduleOptions schedule;
  OcoMargin gtt_oco_margin = OcoMargin::Max;

  // A price for a new order: this many fetches, waiting these delays between
  // them, each given up after quote_timeout_ms. Placements on one symbol share
  // the fetch in flight, so one that joins it late has what is left of its time.
  int quote_attempts = 3;
  std::vector<std::int64_t> quote_retry_delays_ms{300, 600};
  std::int64_t quote_timeout_ms = 10'000;
  // Books mark positions with a tick or quote at most this old, else fetch
  // one, waiting at most book_quote_wait_ms for it.
  std::int64_t book_quote_max_age_ms = 5'000;
  std::int64_t book_quote_wait_ms = 3'000;
  // When no tick has come for a symbol with resting orders for this long,
  // its price is fetched every poll_interval_ms instead (the feed is down).
  std::int64_t stale_feed_ms = 30'000;
  std::int64_t poll_interval_ms = 5'000;
  // Positions are swept for expiry and square-off at most this often, and a
  // square-off that found no price is retried after it.
  std::int64_t sweep_interval_ms = 60'000;

  // false: no thread; the owner drives the engine with run_queued() (tests).
  bool own_thread = true;

  // Hears every order the engine stored (placed, triggered, filled, modified,
  // cancelled, rejected), on the engine thread once the change is committed.
  // Must return quickly: the engine waits for it.
  std::function<void(const Order&)> on_order_event;
};

// A message naming the first option out of bounds, or nullopt.
std::optional<std::string> check_options(const EngineOptions& options);

class Engine {
 public:
  using Done = std::function<void(Reply)>;
  // Rows of the caller's (the order journal's outcome) that must commit
  // together with a reply: called on the engine thread, inside the engine's
  // store transaction that decided the reply, before it commits. Its failure
  // is logged and leaves the reply as it is.
  using Record = std::function<void(store::StatementCache&, const Reply&)>;

  // `now_ms` is the clock of every schedule and timestamp (ms since the epoch).
  // Throws std::invalid_argument when check_options refuses `options`.
  Engine(store::Store& store, MarketData& market, EngineOptions options,
         std::function<std::int64_t()> now_ms);
  ~Engine();  // stops the engine thread; work not yet run is dropped
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Loads resting orders and open positions from the store, applies a changed
  // starting capital to every ledger, queues the catch-up of missed
  // schedules, and starts the engine thread. Call once, before anything else;
  // throws when the store cannot be read.
  void start();

  // Orders: the bodies of placeorder, modifyorder, cancelorder,
  // cancelallorder and closeposition in analyze mode (rest_api.md C.1).
  void place_order(std::int64_t user_id, OrderRequest request, Done done, Record record = {});
  void modify_order(std::int64_t user_id, ModifyRequest request, Done done, Record record = {});
  void cancel_order(std::int64_t user_id, std::string orderid, Done done, Record record = {});
  void cancel_all_orders(std::int64_t user_id, Done done);
  void close_all_positions(std::int64_t user_id, Done done);

  // Account views (rest_api.md C.3, C.4), answered on the calling thread; a
  // view of positions or holdings whose price is older than
  // book_quote_max_age_ms is answered on the engine thread once it fetched one.
  void order_book(std::int64_t user_id, Done done);
  void trade_book(std::int64_t user_id, Done done);
  void position_book(std::int64_t user_id, Done done);
  void holdings(std::int64_t user_id, Done done);
  void funds(std::int64_t user_id, Done done);
  void order_status(std::int64_t user_id, std::string orderid, Done done);
  // {"quantity": <net quantity, 0 when none>}: for smart orders and openposition.
  void open_position(std::int64_t user_id, std::string symbol, std::string exchange,
                     std::string product, Done done);

  // GTT orders: placegttorder, modifygttorder, cancelgttorder and
  // gttorderbook in analyze mode (rest_api.md C.2, sandbox.md §8). A GTT
  // blocks its margin while active and fires on the first price that
  // touches a leg's trigger, exactly once, placing the leg's order.
  void place_gtt(std::int64_t user_id, GttRequest request, Done done, Record record = {});
  void modify_gtt(std::int64_t user_id, GttRequest request, Done done, Record record = {});
  void cancel_gtt(std::int64_t user_id, std::string trigger_id, Done done, Record record = {});
  void gtt_book(std::int64_t user_id, Done done);

  // The manual reset (POST /sandbox/reset): the user's orders, trades,
  // positions, holdings, GTTs and daily P&L are deleted and the funds go
  // back to the starting capital, counting one more reset.
  void reset_user(std::int64_t user_id, Done done);

  // A price from the tick stream, from any thread: queued to the engine
  // thread and conflated per symbol; never blocks the caller.
  void on_tick(const std::string& symbol, const std::string& exchange, const Quote& quote);

  // Runs due schedules (square-off, expiry, T+1, snapshot, resets). The
  // engine's thread calls it every second; tests call it after moving the clock.
  void run_schedules();

  // Runs `work` on the engine thread in the engine's store transaction, so
  // that it commits with the engine's group of events instead of on its own
  // (the order journal's entry of an analyzer-mode request), then
  // `then(committed)` once that transaction ended; false also when `work`
  // threw, which undoes what it wrote.
  void write(std::function<void(store::StatementCache&)> work, std::function<void(bool committed)> then);

  // Calls `done` on the engine thread once everything queued before it ran.
  void flush(std::function<void()> done);

  // Without an own thread: runs all queued work on the calling thread,
  // including what it queues in turn. Returns how much ran.
  std::size_t run_queued();

 private:
  class Core;
  struct Mailbox;
  // Answers `compose(marks)` for `needs` on this thread when the board has
  // them, else on the engine thread once it fetched what was stale.
  template <typename Compose>
  void answer_marked(MarkNeeds needs, const char* doing, const Done& done, Compose compose);

  std::shared_ptr<Mailbox> mailbox_;
  std::unique_ptr<MarketBoard> board_;  // shared by core_ and reader_
  std::unique_ptr<Core> core_;
  std::unique_ptr<BookReader> reader_;
  bool own_thread_;
  bool started_ = false;
};

}  // namespace oa::sandbox
