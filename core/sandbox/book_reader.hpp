#pragma once
// The account views, read on the calling thread, so that they never queue
// behind the engine's events and group commits: order book, trade book,
// order status and open position answered in full, and the rows of funds,
// the position book and holdings with the marks for their P&L when the
// market board has recent ones (see marks.hpp).
//
// Each view reads one snapshot transaction on a connection of its own: in
// SQLite's WAL mode a reader never waits for the engine's writer, and
// PostgreSQL reads REPEATABLE READ. The snapshot holds everything committed
// when the view starts. The engine answers a request that changed the books
// only after the group holding the change committed (Engine::Core::durable),
// so a client answered for an order finds that order, and what it did to
// funds and positions, in every view it asks for after the answer.
//
// Thread-safe; throws when the store cannot be read.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "sandbox/engine.hpp"
#include "sandbox/market_board.hpp"
#include "sandbox/marks.hpp"
#include "sandbox/sandbox_store.hpp"

namespace oa::sandbox {

class BookReader {
 public:
  // `board` is the engine's, and outlives the reader.
  BookReader(store::Store& store, const MarketBoard& board, const EngineOptions& options,
             std::function<std::int64_t()> now_ms);
  ~BookReader();
  BookReader(const BookReader&) = delete;
  BookReader& operator=(const BookReader&) = delete;

  Reply order_book(std::int64_t user_id);
  Reply trade_book(std::int64_t user_id);
  // 404 "Order X not found" for an order of another user too.
  Reply order_status(std::int64_t user_id, const std::string& orderid);
  Reply open_position(std::int64_t user_id, const std::string& symbol, const std::string& exchange,
                      const std::string& product);

  // A user's ledger and the positions whose price moves its unrealised P&L.
  struct Ledger {
    Funds funds;
    std::vector<Position> open_positions;  // quantity != 0
  };
  // A user without a stored ledger gets the opening one (the starting
  // capital), not saved: the engine stores it with the user's first order.
  Ledger ledger(std::int64_t user_id);
  // Open positions, and closed ones that realised P&L in this session.
  std::vector<Position> position_book_rows(std::int64_t user_id);
  std::vector<Holding> holdings(std::int64_t user_id);

  // Marks from the board when it has a price no older than
  // book_quote_max_age_ms for each of `needs.priced` and the instrument of
  // each of `needs.sized`; else nullopt, and the engine fetches what is
  // missing, as with_fresh_quotes does.
  std::optional<Marks> fresh_marks(const MarkNeeds& needs) const;

 private:
  using Reading = store::PreparedConnection;
  void read(const std::function<void(SandboxTables&)>& work);
  std::unique_ptr<Reading> take();
  void give_back(std::unique_ptr<Reading> reading);

  store::Store& store_;
  const MarketBoard& board_;
  Paise starting_capital_;
  ScheduleOptions schedule_;
  std::int64_t quote_max_age_ms_;
  std::function<std::int64_t()> now_ms_;
  // Connections kept with their statements between views, at most keep_ of
  // them, given back when the reader goes (so the store closes after the
  // engine: Store::close() waits for every lease); others are leased for one view.
  std::size_t keep_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Reading>> idle_;
};

}  // namespace oa::sandbox
