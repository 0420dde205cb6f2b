#pragma once
// The engine's state machine. Everything here runs on the engine thread
// (the EventLoop's strand), so it holds no locks; what other threads read
// (the latest prices, on the MarketBoard) guards itself. Its parts, one file
// each: engine_core.cpp keeps the in-memory indexes, engine_placement.cpp
// accepts new orders, engine_execution.cpp takes prices and fills,
// engine_amend.cpp modifies and cancels, engine_books.cpp marks the account
// views that wait for a fresh price and engine_schedules.cpp runs the
// time-driven jobs.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <variant>

#include "sandbox/engine.hpp"
#include "sandbox/event_loop.hpp"
#include "sandbox/fill_rules.hpp"
#include "sandbox/market_board.hpp"
#include "sandbox/marks.hpp"
#include "sandbox/order_validation.hpp"
#include "sandbox/price_ladder.hpp"
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
  Core(store::Store& store, MarketData& market, MarketBoard& board, EngineOptions options,
       std::function<std::int64_t()> now_ms, std::shared_ptr<Mailbox> mailbox);

  EventLoop& loop() { return loop_; }
  void load();
  // `done` for a caller outside the engine: the reply waits until what the
  // request changed is committed (a failed commit turns it into a 500).
  // `record` (may be empty) writes the caller's rows of the reply in the same
  // transaction; after a failed commit, in one of its own, with the 500.
  Done durable(Done done, Record record = {});
  void write(const std::function<void(store::StatementCache&)>& work, std::function<void(bool)> then);

  // Who asked for an order: a client, close_all_positions, the square-off, or a GTT leg.
  enum class Origin { Api, Close, AutoSquareOff, Gtt };
  void place(std::int64_t user_id, const OrderRequest& request, Done done);
  void modify(std::int64_t user_id, const ModifyRequest& request, Done done);
  void cancel(std::int64_t user_id, const std::string& orderid, Done done);
  void cancel_all(std::int64_t user_id, Done done);
  void close_all(std::int64_t user_id, Done done);

  // A view of positions or holdings (read by BookReader) whose marks were
  // not all on the board: fetches the stale prices, then answers `compose(marks)`.
  void answer_marked(const MarkNeeds& needs, const char* doing, Done done,
                     std::function<Reply(const Marks&)> compose);

  void place_gtt(std::int64_t user_id, const GttRequest& request, Done done);
  void modify_gtt(std::int64_t user_id, const GttRequest& request, Done done);
  void cancel_gtt(std::int64_t user_id, const std::string& gtt_id, Done done);
  void gtt_book(std::int64_t user_id, Done done);
  void reset_user(std::int64_t user_id, Done done);

  // A price for `key`; `seen` spans the LTPs merged into it (see PriceRange).
  void on_quote(const SymbolKey& key, const Quote& quote, const PriceRange& seen);
  void on_quote(const SymbolKey& key, const Quote& quote) { on_quote(key, quote, PriceRange::of(quote)); }
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
  // One quote asked of the broker for a symbol, shared by every placement
  // that needs a price for it while it is in flight (its riders).
  struct QuoteFetch {
    std::uint64_t id = 0;
    std::vector<std::pair<PlacementId, int>> riders;  // placement, its attempt
  };

  // engine_placement.cpp
  void start_placement(std::int64_t user_id, ValidRequest request, Instrument instrument,
                       Origin origin, Done done);
  // An order decided inside the caller's transaction: stored (accepted, or
  // rejected with its reason) with its margin blocked; what the price it
  // arrived on means for it comes with it.
  struct Admission {
    Order order;
    std::optional<std::string> refusal;
    std::optional<FillDecision> arrival;
  };
  Admission admit(SandboxTables& tables, const Placement& placement, const std::optional<Quote>& quote,
                  std::int64_t now);
  // After the transaction: the accepted order rests, and fills at once when its price allows.
  void start_resting(const Admission& admission, const std::optional<Quote>& quote);
  void fetch_for_placement(PlacementId id);
  void on_fetched(const SymbolKey& key, std::uint64_t fetch_id, std::optional<Quote> quote);
  void on_placement_price_failed(PlacementId id, int attempt);
  void finish_placement(PlacementId id, std::optional<Quote> quote);
  Reply accept(const Placement& placement, const std::optional<Quote>& quote);
  // Lot size, expiry, MIS blackout and CNC holdings, in OpenAlgo's order.
  std::optional<std::string> refusal_for(const Placement& placement, const Position& position,
                                         SandboxTables& tables, std::int64_t now);
  // The price margin is computed on, or why there is none.
  std::variant<double, std::string> margin_basis(const ValidRequest& request,
                                                 const std::optional<Quote>& quote,
                                                 const Position& position, std::int64_t now) const;
  void place_closing_order(const Position& position, Origin origin, const std::string& strategy,
                           Done done);

  // engine_execution.cpp
  void evaluate_resting(const SymbolKey& key, const Quote& quote, const PriceRange& seen);
  void execute_fill(const std::string& orderid, double price, double ltp);
  void mark_triggered(const std::string& orderid);
  std::optional<Quote> cached_quote(const SymbolKey& key) const;
  // Keeps the latest price per symbol, stamping it with the engine clock if unstamped.
  void remember_quote(const SymbolKey& key, Quote& quote);

  // engine_amend.cpp
  std::optional<Order> owned_order(std::int64_t user_id, const std::string& orderid,
                                   std::optional<Reply>& refusal, const char* verb);
  void cancel_orders_where(const std::function<bool(const Order&)>& matches,
                           const std::string& reason);

  // engine_core.cpp
  // Ends the loop's current group of events (see SandboxStore); when its
  // commit fails, the in-memory books are rebuilt from the store.
  void finish_group();
  void reload();
  void add_resting(const Order& order);
  void remove_resting(const std::string& orderid);
  // A resting order's changed fields (a modification, a touched trigger).
  void update_resting(const Order& changed);
  double reserved_cnc_sells(std::int64_t user_id, const std::string& symbol,
                            const std::string& exchange, const std::string& except_orderid) const;
  void after_position_change(const SymbolKey& key, bool was_open, bool is_open);
  void refresh_watch(const SymbolKey& key);
  Instrument instrument_for(const SymbolKey& key);
  // The user's stored ledger, or the opening one, which only a caller that
  // saves it stores: a user's first order does, reading funds never does.
  Funds funds_of(SandboxTables& tables, std::int64_t user_id);
  // A changed starting capital applies to every ledger, as OpenAlgo's setting does.
  void apply_starting_capital(SandboxTables& tables);
  std::string next_orderid(SandboxTables& tables);

  // engine_gtt.cpp
  // The legs of a place or modify request checked as orders would be, or the refusal.
  std::variant<std::vector<GttLeg>, Reply> checked_legs(const GttRequest& request, Instrument& instrument);
  std::optional<Gtt> owned_active_gtt(std::int64_t user_id, const std::string& gtt_id);
  void create_gtt(Gtt gtt, const Done& done);
  void add_gtt(const Gtt& gtt);
  void remove_gtt(const std::string& gtt_id);
  void reload_gtts();
  void evaluate_gtts(const SymbolKey& key, const Quote& quote, const PriceRange& seen);
  void fire_gtt(const std::string& gtt_id, std::size_t leg, const Quote& quote);
  void expire_gtts(std::int64_t now);
  // Ends an active GTT (cancelled or expired), releasing its margin; false when it was no longer active.
  bool close_gtt(const std::string& gtt_id, GttStatus status);
  std::string next_gtt_id(SandboxTables& tables);
  // The weekly reset: active GTTs hold their margin again from the fresh capital.
  void reblock_gtts(SandboxTables& tables, Funds& funds, std::int64_t now);

  // engine_books.cpp
  void with_fresh_quotes(const std::set<SymbolKey>& keys, std::function<void()> then);
  double mark_price(const SymbolKey& key, double stored_ltp) const;
  Marks marks_for(const MarkNeeds& needs);

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

  SandboxStore db_;
  MarketData& market_;
  MarketBoard& board_;  // latest quotes and known instruments; the engine's to write
  EngineOptions options_;
  std::function<std::int64_t()> now_ms_;
  std::shared_ptr<Mailbox> mailbox_;
  EventLoop loop_;

  std::map<std::string, Order> resting_;  // open and trigger pending orders, by id
  std::map<SymbolKey, PriceLadder> resting_by_symbol_;
  std::map<SymbolKey, int> open_positions_;  // open positions per symbol, every user and product
  std::set<SymbolKey> watched_;
  std::map<std::string, Gtt> gtts_;  // active GTTs, by id
  std::map<SymbolKey, std::set<std::string>> gtts_by_symbol_;

  std::map<PlacementId, Placement> placements_;
  std::map<SymbolKey, std::set<PlacementId>> awaiting_price_;
  PlacementId next_placement_ = 1;
  std::map<SymbolKey, QuoteFetch> fetches_;  // in flight
  std::uint64_t next_fetch_ = 1;

  std::set<PositionKey> closing_;  // positions with a closing order in flight
  std::map<PositionKey, std::int64_t> square_off_attempts_;
  std::map<SymbolKey, std::int64_t> last_poll_;

  std::map<std::string, std::int64_t> last_runs_;  // schedule job -> last run
  std::optional<std::int64_t> last_sweep_;
  std::string orderid_prefix_;
  std::int64_t orderid_sequence_ = 0;
  std::string gtt_prefix_;
  std::int64_t gtt_sequence_ = 0;
};

}  // namespace oa::sandbox
