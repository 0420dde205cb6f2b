#pragma once
// The sandbox's tables (migration 3 in store/migrations.cpp). The engine is
// their only writer and changes them one event at a time: write() runs one
// event's reads and writes atomically, so a crash leaves each event either
// wholly applied or not at all.
//
// Group commit: between begin_group() and commit_group() the events share one
// transaction (each write() in a savepoint of its own, so a failed event still
// leaves nothing behind), and what must wait until they are durable, such as
// the replies, waits in after_commit(). One commit then costs the store's
// per-transaction work (locks, WAL frames) once for many orders.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sandbox/gtt.hpp"
#include "sandbox/sandbox_types.hpp"
#include "store/statement_cache.hpp"
#include "store/store.hpp"

namespace oa::sandbox {

// The funds ledgers and positions a group of events has read or saved: what
// the store holds for them inside the group's transaction (SandboxStore::write).
struct GroupMemo {
  std::map<std::int64_t, Funds> ledgers;                     // by user
  std::map<PositionKey, std::optional<Position>> positions;  // nullopt: known to have no row
  void clear() {
    ledgers.clear();
    positions.clear();
  }
};

// The tables seen through one connection, inside the caller's transaction.
class SandboxTables {
 public:
  // The statements an order's placement and fill run go through `statements`,
  // so a group of events parses each of them once. With `memo`, a user's
  // funds and a position are read from the store once a group instead of
  // once an event.
  explicit SandboxTables(store::StatementCache& statements, GroupMemo* memo = nullptr)
      : statements_(statements), sql_(statements.session()), memo_(memo) {}

  void insert_order(const Order& order);
  void update_order(const Order& order);  // every mutable field, by orderid
  std::optional<Order> find_order(const std::string& orderid);
  std::vector<Order> pending_orders();  // open or trigger pending, every user, oldest first
  std::vector<Order> orders_since(std::int64_t user_id, std::int64_t since_ms);  // newest first
  // The greatest order id starting with `prefix`, for numbering the next one.
  std::optional<std::string> last_orderid_with_prefix(const std::string& prefix);

  void insert_trade(const Trade& trade);
  std::vector<Trade> trades_since(std::int64_t user_id, std::int64_t since_ms);  // newest first

  std::optional<Position> find_position(const PositionKey& key);
  void save_position(const Position& position);  // insert or replace by key
  void delete_position(const PositionKey& key);
  std::vector<Position> open_positions();  // quantity != 0, every user
  std::vector<Position> user_positions(std::int64_t user_id);
  std::vector<Position> positions_with_product(Product product);
  void set_position_ltp(const std::string& symbol, const std::string& exchange, double ltp);

  std::optional<Holding> find_holding(std::int64_t user_id, const std::string& symbol,
                                      const std::string& exchange);
  void save_holding(const Holding& holding);  // insert or replace by (user, symbol, exchange)
  void delete_holding(std::int64_t user_id, const std::string& symbol, const std::string& exchange);
  std::vector<Holding> user_holdings(std::int64_t user_id);

  std::optional<Funds> find_funds(std::int64_t user_id);
  void save_funds(const Funds& funds);  // insert or replace by user
  std::vector<Funds> all_funds();

  void save_daily_pnl(const DailyPnl& row);  // insert or replace by (user, date)
  std::optional<DailyPnl> find_daily_pnl(std::int64_t user_id, const std::string& date);

  // Zeroes today's realised P&L on every funds and position row.
  void clear_today_realized();
  // Deletes a user's positions and holdings (the weekly reset).
  void delete_positions_and_holdings(std::int64_t user_id);

  // GTTs with their legs (migration 4).
  void insert_gtt(const Gtt& gtt);
  void update_gtt(const Gtt& gtt);  // status, prices, margin, legs and timestamps, by gtt_id
  std::optional<Gtt> find_gtt(const std::string& gtt_id);
  std::vector<Gtt> active_gtts();                         // every user, oldest first
  std::vector<Gtt> user_gtts(std::int64_t user_id, bool active_only);  // newest first
  std::optional<std::string> last_gtt_id_with_prefix(const std::string& prefix);

  // The manual reset: every sandbox row of one user except the funds row.
  void delete_user_activity(std::int64_t user_id);

  std::optional<std::int64_t> last_run(const std::string& job);
  void set_last_run(const std::string& job, std::int64_t at_ms);

  // The connection and statements of the transaction, for a caller's rows
  // that must commit with the engine's (Engine::write, Engine::Record).
  store::StatementCache& statements() { return statements_; }

  // Orders inserted or updated through these tables, in order (for write()'s listener).
  const std::vector<Order>& written_orders() const { return written_; }

 private:
  store::StatementCache& statements_;
  soci::session& sql_;
  void forget_positions() {
    if (memo_) memo_->positions.clear();
  }

  GroupMemo* memo_;  // null: every read goes to the store
  std::vector<Order> written_;
};

// Not thread-safe: one thread (the engine's) uses it.
class SandboxStore {
 public:
  // `on_order_written` (may be empty) hears every order a write() inserted or
  // updated, after its transaction committed and outside it.
  explicit SandboxStore(store::Store& store, std::function<void(const Order&)> on_order_written = {});
  ~SandboxStore();
  SandboxStore(const SandboxStore&) = delete;
  SandboxStore& operator=(const SandboxStore&) = delete;

  // Runs `work` atomically: committed when it returns (in a group: with the
  // group), rolled back when it throws.
  void write(const std::function<void(SandboxTables&)>& work);
  // Like write(), but in a group without a savepoint of its own: when `work`
  // throws, the whole group is spoiled (spoil_group()) and the error goes on.
  // For a write the group's events must not outlive, such as an order's
  // journal entry, whose undoing alone is never wanted.
  void write_or_spoil(const std::function<void(SandboxTables&)>& work);
  // Runs `work` on one consistent snapshot; in a group that has written, the
  // group's own transaction, so it sees the group's writes.
  void read(const std::function<void(SandboxTables&)>& work);

  // Starts a group; the transaction itself opens at the group's first write.
  void begin_group();
  // Commits the group, then runs what after_commit() queued, in order, told
  // whether the commit succeeded. Returns false (logged) when the group's
  // writes are lost: every event of the group is then undone in the store.
  bool commit_group();
  // Makes the open group fail at commit_group(), as if its commit had: for a
  // write whose failure must undo the events before it (an order's journal
  // entry). Does nothing outside a group.
  void spoil_group();
  // Runs `then(true)` at once outside a group; in one, once the group ends.
  void after_commit(std::function<void(bool committed)> then);

  // The engine ran out of work: in a small pool, the connection kept
  // between groups goes back to it.
  void idle();
  // Whether a connection is kept between groups (see Kept).
  bool holds_connection() const { return kept_.connection.has_value(); }

 private:
  struct Group;
  // The connection and its prepared statements, kept from one group to the
  // next: preparing the per-order statements again for each group was a
  // tenth of the engine's time under load. In a pool of kKeepForGood or
  // more it is kept for good (as BookReader keeps its own) and given back
  // only after a failed commit. In a smaller pool, others must get their
  // turn: it goes back when the engine is idle, after kKeptGroups groups in
  // a row, and after every group when the pool has a single connection.
  struct Kept {
    std::optional<store::PreparedConnection> connection;
    std::size_t groups = 0;
  };
  static constexpr std::size_t kKeepForGood = 4;
  static constexpr std::size_t kKeptGroups = 64;
  bool shares_connection() const { return store_.pool_size() < kKeepForGood; }
  store::StatementCache& group_statements();
  void keep_connection();
  // What write() does once `tables` hold an event's writes in the group.
  void after_group_write(const SandboxTables& tables);
  void release_connection();
  // `use(lease, statements)` on the kept connection, else on one leased for the call.
  template <typename Use>
  void with_connection(Use&& use);

  store::Store& store_;
  std::function<void(const Order&)> on_order_written_;
  Kept kept_;
  std::unique_ptr<Group> group_;  // null outside a group
};

}  // namespace oa::sandbox
