#include "sandbox/book_reader.hpp"

#include <utility>

#include "sandbox/books.hpp"
#include "sandbox/funds.hpp"
#include "sandbox/schedules.hpp"
#include "store/transaction.hpp"

namespace oa::sandbox {
namespace {

namespace json = boost::json;

// A quarter of the pool (two of the default eight) is enough for the HTTP
// threads of a small machine and leaves the rest to the engine and the other
// stores. A pool under four keeps none: there the engine must always find
// its connection free.
std::size_t connections_to_keep(const store::Store& store) { return store.pool_size() / 4; }

}  // namespace

BookReader::BookReader(store::Store& store, const MarketBoard& board, const EngineOptions& options,
                       std::function<std::int64_t()> now_ms)
    : store_(store),
      board_(board),
      starting_capital_(to_paise(options.starting_capital)),
      schedule_(options.schedule),
      quote_max_age_ms_(options.book_quote_max_age_ms),
      now_ms_(std::move(now_ms)),
      keep_(connections_to_keep(store)) {}

BookReader::~BookReader() = default;

std::unique_ptr<BookReader::Reading> BookReader::take() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto reading = std::move(idle_.back());
      idle_.pop_back();
      return reading;
    }
  }
  return std::make_unique<Reading>(store_.lease());
}

void BookReader::give_back(std::unique_ptr<Reading> reading) {
  std::lock_guard lock(mutex_);
  if (idle_.size() < keep_) idle_.push_back(std::move(reading));
}

void BookReader::read(const std::function<void(SandboxTables&)>& work) {
  auto reading = take();
  // On an error the connection goes back to the pool, which reconnects it
  // if it was lost, and its statements with it.
  {
    store::Transaction transaction(reading->lease, store::Transaction::Kind::Snapshot);
    SandboxTables tables(reading->statements);
    work(tables);
    transaction.commit();
  }
  give_back(std::move(reading));
}

Reply BookReader::order_book(std::int64_t user_id) {
  std::vector<Order> orders;
  const std::int64_t since = session_start(schedule_, now_ms_());
  read([&](SandboxTables& tables) { orders = tables.orders_since(user_id, since); });
  return {200, order_book_body(orders)};
}

Reply BookReader::trade_book(std::int64_t user_id) {
  std::vector<Trade> trades;
  const std::int64_t since = session_start(schedule_, now_ms_());
  read([&](SandboxTables& tables) { trades = tables.trades_since(user_id, since); });
  return {200, trade_book_body(trades)};
}

Reply BookReader::order_status(std::int64_t user_id, const std::string& orderid) {
  std::optional<Order> order;
  read([&](SandboxTables& tables) { order = tables.find_order(orderid); });
  if (!order || order->user_id != user_id) return {404, error_body("Order " + orderid + " not found")};
  return {200, order_status_body(*order)};
}

Reply BookReader::open_position(std::int64_t user_id, const std::string& symbol, const std::string& exchange,
                                const std::string& product) {
  double quantity = 0;
  if (const auto parsed = parse_product(product)) {
    read([&](SandboxTables& tables) {
      const auto position = tables.find_position({user_id, symbol, exchange, *parsed});
      if (position) quantity = position->quantity;
    });
  }
  return {200, json::object{{"mode", "analyze"}, {"quantity", quantity_json(quantity)}, {"status", "success"}}};
}

BookReader::Ledger BookReader::ledger(std::int64_t user_id) {
  Ledger ledger;
  std::optional<Funds> stored;
  read([&](SandboxTables& tables) {
    stored = tables.find_funds(user_id);
    ledger.open_positions = tables.user_positions(user_id);
  });
  ledger.funds = stored ? *stored : opening_funds(user_id, starting_capital_, now_ms_());
  std::erase_if(ledger.open_positions, [](const Position& p) { return p.quantity == 0; });
  return ledger;
}

std::vector<Position> BookReader::position_book_rows(std::int64_t user_id) {
  std::vector<Position> positions;
  read([&](SandboxTables& tables) { positions = tables.user_positions(user_id); });
  const std::int64_t since = session_start(schedule_, now_ms_());
  std::erase_if(positions, [&](const Position& p) { return !shown_in_position_book(p, since); });
  return positions;
}

std::vector<Holding> BookReader::holdings(std::int64_t user_id) {
  std::vector<Holding> rows;
  read([&](SandboxTables& tables) { rows = tables.user_holdings(user_id); });
  return rows;
}

std::optional<Marks> BookReader::fresh_marks(const MarkNeeds& needs) const {
  const std::int64_t now = now_ms_();
  Marks marks;
  for (const SymbolKey& key : needs.priced) {
    const auto quote = board_.quote(key);
    if (!quote || now - quote->at_ms > quote_max_age_ms_) return std::nullopt;
    marks[key].ltp = quote->ltp;
  }
  for (const SymbolKey& key : needs.sized) {
    const auto instrument = board_.instrument(key);
    if (!instrument) return std::nullopt;
    marks[key].contract_value = instrument->contract_value;
  }
  return marks;
}

}  // namespace oa::sandbox
