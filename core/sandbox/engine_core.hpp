#pragma once
// The engine's state machine. Everything here runs on the engine thread
// (the EventLoop's strand), so it holds no locks. engine_core.cpp places,
// fills, modifies and cancels orders; engine_books.cpp answers the account
// views; engine_schedules.cpp runs the time-driven jobs.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "sandbox/engine.hpp"
#include "sandbox/event_loop.hpp"
#include "sandbox/fill_rules.hpp"
#include "sandbox/order_validation.hpp"
#include "sandbox/sandbox_store.hpp"

namespace oa::sandbox {

// Routes callbacks from other threads (market data) to the engine thread for
// as long as the engine lives; after that they are dropped.
struct Engine::Mailbox {
  std::mutex mutex;
  EventLoop* loop = nullptr;

  void post(EventLoop::Task task) {
    std::lock_guard lock(mutex);
    if (loop != nullptr) loop->post(std::move(task));
  }
  void post_quote(const SymbolKey& key, const Quote& quote) {
    std::lock_guard lock(mutex);
    if (loop != nullptr) loop->post_quote(key, quote);
  }
};

class Engine::Core {
 public:
  Core(store::Store& store, MarketData& market, EngineOptions options,
       std::function<std::int64_t()> now_ms, std::shared_ptr<Mailbox> mailbox);

  EventLoop& loop() { return loop_; }
  void load();

  // Who asked for an order: a client, close_all_positions, or the square-off.
  enum class Origin { Api, Close, AutoSquareOff };
  void place(std::int64_t user_id, const OrderRequest& request, Done done);
  void modify(std::int64_t user_id, const ModifyRequest& request, Done done);
  void cancel(std::int64_t user_id, const std::string& orderid, Done done);
  void cancel_all(std::int64_t user_id, Done done);
  void close_all(std::int64_t user_id, Done done);

  void order_book(std::int64_t user_id, Done done);
  void trade_book(std::int64_t user_id, Done done);
  void position_book(std::int64_t user_id, Done done);
  void holdings(std::int64_t user_id, Done done);
  void funds(std::int64_t user_id, Done done);
  void order_status(std::int64_t user_id, const std::string& orderid, Done done);
  void open_position(std::int64_t user_id, const std::string& symbol, const std::string& exchange,
                     const std::string& product, Done done);

  void on_quote(const SymbolKey& key, const Quote& quote);
  void run_schedules();

 private:
  // A new order waiting for the price it is accepted at.
  struct Placement {
    std::int64_t user_id = 0;
    ValidRequest request;
    Instrument instrument;
    Origin origin = Origin::Api;
    Done done;
    int attempts = 0;
  };
  using PlacementId = std::uint64_t;

  // engine_core.cpp: placement.
  void start_placement(std::int64_t user_id, ValidRequest request, Instrument instrument,
                       Origin origin, Done done);
  void fetch_for_placement(PlacementId id);
  void on_placement_price_failed(PlacementId id, int attempt);
  void finish_placement(PlacementId id, std::optional<Quote> quote);
  Reply accept(const Placement& placement, const std::optional<Quote>& quote);
  Reply reject_request(const Order& order, const std::string& message);

  // engine_core.cpp: execution.
  void evaluate_resting(const SymbolKey& key, const Quote& quote);
  void execute_fill(const std::string& orderid, double price, double ltp);
  void mark_triggered(const std::string& orderid);
  void after_position_change(const SymbolKey& key, bool was_open, bool is_open);

  // engine_core.cpp: resting-order and watch bookkeeping.
  void add_resting(const Order& order);
  void remove_resting(const std::string& orderid);
  double reserved_cnc_sells(std::int64_t user_id, const std::string& symbol,
                            const std::string& exchange, const std::string& except_orderid) const;
  void refresh_watch(const SymbolKey& key);
  std::optional<Order> owned_order(std::int64_t user_id, const std::string& orderid,
                                   std::optional<Reply>& refusal, const char* verb);
  Instrument instrument_for(const SymbolKey& key);
  std::optional<Quote> cached_quote(const SymbolKey& key) const;
  // Keeps the newest price per symbol; false when `quote` is older than the one kept.
  bool remember_quote(const SymbolKey& key, Quote& quote);

  // engine_core.cpp: helpers shared by the jobs.
  Funds funds_of(SandboxTables& tables, std::int64_t user_id);
  std::string next_orderid(SandboxTables& tables);
  void place_closing_order(const Position& position, Origin origin, const std::string& strategy,
                           Done done);

  // engine_books.cpp
  void with_fresh_quotes(const std::set<SymbolKey>& keys, std::function<void()> then);
  double mark_price(const SymbolKey& key, double stored_ltp) const;

  // engine_schedules.cpp
  void load_schedule_state(SandboxTables& tables);
  void sweep_positions(std::int64_t now);
  void persist_marks();
  void settle_expired(std::int64_t now);
  void settle_overnight_mis(std::int64_t now);
  void square_off_mis(std::int64_t now);
  void poll_stale_symbols(std::int64_t now);
  void take_daily_snapshot(SandboxTables& tables, std::int64_t boundary);
  void settle_t_plus_one(SandboxTables& tables, std::int64_t boundary, std::int64_t now);
  void reset_funds(SandboxTables& tables, std::int64_t now);
  // Runs `work` and records the run in one transaction when `due(last run)`;
  // a job never run before records now and does nothing (no catch-up for a
  // new database).
  void run_job(const std::string& job, std::int64_t now,
               const std::function<bool(std::int64_t last_run)>& due,
               const std::function<void(SandboxTables&)>& work);
  void resync_open_positions();
  void cancel_orders_where(const std::function<bool(const Order&)>& matches,
                           const std::string& reason);

  SandboxStore db_;
  MarketData& market_;
  EngineOptions options_;
  std::function<std::int64_t()> now_ms_;
  std::shared_ptr<Mailbox> mailbox_;
  EventLoop loop_;

  std::map<std::string, Order> resting_;  // open and trigger pending orders, by id
  std::map<SymbolKey, std::set<std::string>> resting_by_symbol_;
  std::map<SymbolKey, int> open_positions_;  // open positions per symbol, every user and product
  std::set<SymbolKey> watched_;
  std::map<SymbolKey, Quote> quotes_;
  std::map<SymbolKey, Instrument> instruments_;

  std::map<PlacementId, Placement> placements_;
  std::map<SymbolKey, std::set<PlacementId>> awaiting_price_;
  PlacementId next_placement_ = 1;

  std::set<PositionKey> closing_;  // positions with a closing order in flight
  std::map<PositionKey, std::int64_t> square_off_attempts_;
  std::map<SymbolKey, std::int64_t> last_poll_;

  std::map<std::string, std::int64_t> last_runs_;  // schedule job -> last run
  std::optional<std::int64_t> last_sweep_;
  std::string orderid_prefix_;
  std::int64_t orderid_sequence_ = 0;
};

}  // namespace oa::sandbox
