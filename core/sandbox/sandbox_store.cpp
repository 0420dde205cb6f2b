#include "sandbox/sandbox_store.hpp"

#include <soci/soci.h>

#include <stdexcept>

#include <spdlog/spdlog.h>

#include "sandbox/ist_time.hpp"
#include "store/transaction.hpp"

namespace oa::sandbox {
namespace {

std::int64_t instant(const std::string& text) {
  const auto ms = parse_utc_iso(text);
  if (!ms) throw std::runtime_error("unreadable sandbox timestamp '" + text + "'");
  return *ms;
}

template <typename T>
T required(std::optional<T> value, const std::string& text) {
  if (!value) throw std::runtime_error("unexpected value '" + text + "' in a sandbox table");
  return *value;
}

// Runs a prepared SELECT whose into() targets are refreshed by each fetch,
// binding `parameters` in order, and returns what `convert` makes of each row.
template <typename Query, typename Convert, typename... Parameters>
auto fetch_all(Query&& query, Convert&& convert, const Parameters&... parameters) {
  ((query, soci::use(parameters)), ...);
  soci::statement statement(query);
  statement.execute();
  std::vector<decltype(convert())> rows;
  while (statement.fetch()) rows.push_back(convert());
  return rows;
}

template <typename Row>
std::optional<Row> first(std::vector<Row> rows) {
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

constexpr const char* kOrderColumns =
    "SELECT orderid, user_id, strategy, symbol, exchange, action, quantity, price, trigger_price, "
    "pricetype, product, status, average_price, filled_quantity, pending_quantity, "
    "rejection_reason, margin_blocked_paise, created_at, updated_at FROM sandbox_orders ";

// A row of sandbox_orders as SOCI reads it; into() binds the columns of kOrderColumns.
struct OrderRow {
  Order o;
  std::string action, type, product, status, created, updated;

  template <typename Query>
  void into(Query& query) {
    query, soci::into(o.orderid), soci::into(o.user_id), soci::into(o.strategy), soci::into(o.symbol),
        soci::into(o.exchange), soci::into(action), soci::into(o.quantity), soci::into(o.price),
        soci::into(o.trigger_price), soci::into(type), soci::into(product), soci::into(status),
        soci::into(o.average_price), soci::into(o.filled_quantity), soci::into(o.pending_quantity),
        soci::into(o.rejection_reason), soci::into(o.margin_blocked), soci::into(created), soci::into(updated);
  }
  Order order() const {
    Order row = o;
    row.action = required(parse_action(action), action);
    row.price_type = required(parse_price_type(type), type);
    row.product = required(parse_product(product), product);
    row.status = required(parse_order_status(status), status);
    row.created_ms = instant(created);
    row.updated_ms = instant(updated);
    return row;
  }
};

template <typename... Parameters>
std::vector<Order> select_orders(soci::session& sql, const std::string& tail,
                                 const Parameters&... parameters) {
  OrderRow row;
  auto query = (sql.prepare << kOrderColumns << tail);
  row.into(query);
  return fetch_all(query, [&] { return row.order(); }, parameters...);
}

constexpr const char* kTradeColumns =
    "SELECT tradeid, orderid, user_id, symbol, exchange, action, quantity, price, product, "
    "strategy, created_at FROM sandbox_trades ";

// A row of sandbox_trades as SOCI reads it; into() binds the columns of kTradeColumns.
struct TradeRow {
  Trade t;
  std::string action, product, created;

  template <typename Query>
  void into(Query& query) {
    query, soci::into(t.tradeid), soci::into(t.orderid), soci::into(t.user_id), soci::into(t.symbol),
        soci::into(t.exchange), soci::into(action), soci::into(t.quantity), soci::into(t.price),
        soci::into(product), soci::into(t.strategy), soci::into(created);
  }
  Trade trade() const {
    Trade row = t;
    row.action = required(parse_action(action), action);
    row.product = required(parse_product(product), product);
    row.created_ms = instant(created);
    return row;
  }
};

constexpr const char* kPositionColumns =
    "SELECT user_id, symbol, exchange, product, quantity, average_price, ltp, "
    "margin_blocked_paise, realized_pnl_paise, today_realized_pnl_paise, opened_at, updated_at "
    "FROM sandbox_positions ";

// A row of sandbox_positions as SOCI reads it; into() binds the columns of kPositionColumns.
struct PositionRow {
  Position p;
  std::string product, opened, updated;

  template <typename Query>
  void into(Query& query) {
    query, soci::into(p.key.user_id), soci::into(p.key.symbol), soci::into(p.key.exchange), soci::into(product),
        soci::into(p.quantity), soci::into(p.average_price), soci::into(p.ltp), soci::into(p.margin_blocked),
        soci::into(p.realized_pnl), soci::into(p.today_realized_pnl), soci::into(opened), soci::into(updated);
  }
  Position position() const {
    Position row = p;
    row.key.product = required(parse_product(product), product);
    row.opened_ms = instant(opened);
    row.updated_ms = instant(updated);
    return row;
  }
};

template <typename... Parameters>
std::vector<Position> select_positions(soci::session& sql, const std::string& tail,
                                       const Parameters&... parameters) {
  PositionRow row;
  auto query = (sql.prepare << kPositionColumns << tail);
  row.into(query);
  return fetch_all(query, [&] { return row.position(); }, parameters...);
}

constexpr const char* kHoldingColumns =
    "SELECT user_id, symbol, exchange, quantity, average_price, invested_paise, ltp, "
    "settlement_date, created_at, updated_at FROM sandbox_holdings ";

// A row of sandbox_holdings as SOCI reads it; into() binds the columns of kHoldingColumns.
struct HoldingRow {
  Holding h;
  std::string created, updated;

  template <typename Query>
  void into(Query& query) {
    query, soci::into(h.user_id), soci::into(h.symbol), soci::into(h.exchange), soci::into(h.quantity),
        soci::into(h.average_price), soci::into(h.invested), soci::into(h.ltp), soci::into(h.settlement_date),
        soci::into(created), soci::into(updated);
  }
  Holding holding() const {
    Holding row = h;
    row.created_ms = instant(created);
    row.updated_ms = instant(updated);
    return row;
  }
};

// Each row of `rows` as `convert` makes it.
template <typename Row, typename Convert>
auto converted(const std::vector<Row>& rows, Convert&& convert) {
  std::vector<decltype(convert(rows.front()))> out;
  out.reserve(rows.size());
  for (const Row& row : rows) out.push_back(convert(row));
  return out;
}

constexpr const char* kFundsColumns =
    "SELECT user_id, total_capital_paise, available_paise, used_margin_paise, realized_pnl_paise, "
    "today_realized_pnl_paise, last_reset_at, reset_count FROM sandbox_funds ";

// A row of sandbox_funds as SOCI reads it; into() binds the columns of kFundsColumns.
struct FundsRow {
  Funds f;
  std::string last_reset;

  template <typename Query>
  void into(Query& query) {
    query, soci::into(f.user_id), soci::into(f.total_capital), soci::into(f.available), soci::into(f.used_margin),
        soci::into(f.realized_pnl), soci::into(f.today_realized_pnl), soci::into(last_reset),
        soci::into(f.reset_count);
  }
  Funds funds() const {
    Funds row = f;
    row.last_reset_ms = instant(last_reset);
    return row;
  }
};

template <typename... Parameters>
std::vector<Funds> select_funds(soci::session& sql, const std::string& tail,
                                const Parameters&... parameters) {
  FundsRow row;
  auto query = (sql.prepare << kFundsColumns << tail);
  row.into(query);
  return fetch_all(query, [&] { return row.funds(); }, parameters...);
}

constexpr const char* kGttColumns =
    "SELECT gtt_id, user_id, strategy, trigger_type, symbol, exchange, last_price, status, "
    "margin_blocked_paise, expires_at, created_at, updated_at FROM sandbox_gtt ";

std::vector<GttLeg> select_legs(soci::session& sql, const std::string& gtt_id) {
  GttLeg l;
  std::string direction, action, type, product;
  auto query = (sql.prepare << "SELECT leg_number, trigger_price, trigger_direction, action, quantity, price, "
                               "pricetype, product, orderid FROM sandbox_gtt_legs WHERE gtt_id = :gtt_id "
                               "ORDER BY leg_number",
                soci::into(l.leg_number), soci::into(l.trigger_price), soci::into(direction),
                soci::into(action), soci::into(l.quantity), soci::into(l.price), soci::into(type),
                soci::into(product), soci::into(l.orderid));
  return fetch_all(
      query,
      [&] {
        GttLeg row = l;
        row.direction = required(parse_trigger_direction(direction), direction);
        row.action = required(parse_action(action), action);
        row.price_type = required(parse_price_type(type), type);
        row.product = required(parse_product(product), product);
        return row;
      },
      gtt_id);
}

template <typename... Parameters>
std::vector<Gtt> select_gtts(soci::session& sql, const std::string& tail, const Parameters&... parameters) {
  Gtt g;
  std::string type, status, expires, created, updated;
  auto query = (sql.prepare << kGttColumns << tail, soci::into(g.gtt_id), soci::into(g.user_id),
                soci::into(g.strategy), soci::into(type), soci::into(g.symbol), soci::into(g.exchange),
                soci::into(g.last_price), soci::into(status), soci::into(g.margin_blocked),
                soci::into(expires), soci::into(created), soci::into(updated));
  auto rows = fetch_all(
      query,
      [&] {
        Gtt row = g;
        row.type = required(parse_gtt_type(type), type);
        row.status = required(parse_gtt_status(status), status);
        row.expires_ms = instant(expires);
        row.created_ms = instant(created);
        row.updated_ms = instant(updated);
        return row;
      },
      parameters...);
  for (Gtt& row : rows) row.legs = select_legs(sql, row.gtt_id);
  return rows;
}

void insert_legs(soci::session& sql, const Gtt& gtt) {
  for (const GttLeg& leg : gtt.legs) {
    const std::string direction(to_string(leg.direction)), action(to_string(leg.action)),
        type(to_string(leg.price_type)), product(to_string(leg.product));
    sql << "INSERT INTO sandbox_gtt_legs (gtt_id, leg_number, trigger_price, trigger_direction, action, "
           "quantity, price, pricetype, product, orderid) VALUES (:gtt_id, :leg_number, :trigger_price, "
           ":direction, :action, :quantity, :price, :pricetype, :product, :orderid)",
        soci::use(gtt.gtt_id), soci::use(leg.leg_number), soci::use(leg.trigger_price), soci::use(direction),
        soci::use(action), soci::use(leg.quantity), soci::use(leg.price), soci::use(type), soci::use(product),
        soci::use(leg.orderid);
  }
}

}  // namespace

void SandboxTables::insert_order(const Order& order) {
  written_.push_back(order);
  const std::string action(to_string(order.action)), type(to_string(order.price_type)),
      product(to_string(order.product)), status(to_string(order.status)),
      created = format_utc_iso(order.created_ms), updated = format_utc_iso(order.updated_ms);
  statements_.run("INSERT INTO sandbox_orders (orderid, user_id, strategy, symbol, exchange, action, "
          "quantity, price, trigger_price, pricetype, product, status, average_price, "
          "filled_quantity, pending_quantity, rejection_reason, margin_blocked_paise, created_at, "
          "updated_at) VALUES (:orderid, :user_id, :strategy, :symbol, :exchange, :action, "
          ":quantity, :price, :trigger_price, :pricetype, :product, :status, :average_price, "
          ":filled_quantity, :pending_quantity, :rejection_reason, :margin, :created_at, "
          ":updated_at)",
      order.orderid, order.user_id, order.strategy,
      order.symbol, order.exchange, action,
      order.quantity, order.price, order.trigger_price,
      type, product, status, order.average_price,
      order.filled_quantity, order.pending_quantity,
      order.rejection_reason, order.margin_blocked, created,
      updated);
}

void SandboxTables::update_order(const Order& order) {
  written_.push_back(order);
  const std::string status(to_string(order.status)), updated = format_utc_iso(order.updated_ms);
  statements_.run("UPDATE sandbox_orders SET quantity = :quantity, price = :price, "
          "trigger_price = :trigger_price, status = :status, average_price = :average_price, "
          "filled_quantity = :filled_quantity, pending_quantity = :pending_quantity, "
          "rejection_reason = :rejection_reason, margin_blocked_paise = :margin, "
          "updated_at = :updated_at WHERE orderid = :orderid",
      order.quantity, order.price, order.trigger_price,
      status, order.average_price, order.filled_quantity,
      order.pending_quantity, order.rejection_reason,
      order.margin_blocked, updated, order.orderid);
}

std::optional<Order> SandboxTables::find_order(const std::string& orderid) {
  static const std::string query = std::string(kOrderColumns) + "WHERE orderid = :orderid";
  const auto row = statements_.first<OrderRow>(query, orderid);
  if (!row) return std::nullopt;
  return row->order();
}

std::vector<Order> SandboxTables::pending_orders() {
  // Worded as sandbox_orders_live's condition, so that the index serves it.
  return select_orders(sql_, "WHERE status = 'open' OR status = 'trigger pending' ORDER BY orderid");
}

std::vector<Order> SandboxTables::orders_since(std::int64_t user_id, std::int64_t since_ms) {
  static const std::string query = std::string(kOrderColumns) +
                                   "WHERE user_id = :user_id AND created_at >= :since "
                                   "ORDER BY created_at DESC, orderid DESC";
  return converted(statements_.all<OrderRow>(query, user_id, format_utc_iso(since_ms)),
                   [](const OrderRow& row) { return row.order(); });
}

std::optional<std::string> SandboxTables::last_orderid_with_prefix(const std::string& prefix) {
  const std::string low = prefix, high = prefix + "~";
  std::string orderid;
  soci::indicator indicator = soci::i_null;
  sql_ << "SELECT MAX(orderid) FROM sandbox_orders WHERE orderid >= :low AND orderid < :high",
      soci::use(low), soci::use(high), soci::into(orderid, indicator);
  if (indicator != soci::i_ok) return std::nullopt;
  return orderid;
}

void SandboxTables::insert_trade(const Trade& trade) {
  const std::string action(to_string(trade.action)), product(to_string(trade.product)),
      created = format_utc_iso(trade.created_ms);
  statements_.run("INSERT INTO sandbox_trades (tradeid, orderid, user_id, symbol, exchange, action, "
          "quantity, price, product, strategy, created_at) VALUES (:tradeid, :orderid, :user_id, "
          ":symbol, :exchange, :action, :quantity, :price, :product, :strategy, :created_at)",
      trade.tradeid, trade.orderid, trade.user_id,
      trade.symbol, trade.exchange, action,
      trade.quantity, trade.price, product,
      trade.strategy, created);
}

std::vector<Trade> SandboxTables::trades_since(std::int64_t user_id, std::int64_t since_ms) {
  static const std::string query = std::string(kTradeColumns) +
                                   "WHERE user_id = :user_id AND created_at >= :since "
                                   "ORDER BY created_at DESC, tradeid DESC";
  return converted(statements_.all<TradeRow>(query, user_id, format_utc_iso(since_ms)),
                   [](const TradeRow& row) { return row.trade(); });
}

std::optional<Position> SandboxTables::find_position(const PositionKey& key) {
  if (memo_) {
    if (const auto known = memo_->positions.find(key); known != memo_->positions.end()) return known->second;
  }
  static const std::string query = std::string(kPositionColumns) +
                                   "WHERE user_id = :user_id AND symbol = :symbol AND "
                                   "exchange = :exchange AND product = :product";
  const std::string product(to_string(key.product));
  const auto row = statements_.first<PositionRow>(query, key.user_id, key.symbol, key.exchange, product);
  std::optional<Position> position;
  if (row) position = row->position();
  if (memo_) memo_->positions.insert_or_assign(key, position);
  return position;
}

void SandboxTables::save_position(const Position& p) {
  const std::string product(to_string(p.key.product)), opened = format_utc_iso(p.opened_ms),
      updated = format_utc_iso(p.updated_ms);
  statements_.run("INSERT INTO sandbox_positions (user_id, symbol, exchange, product, quantity, "
          "average_price, ltp, margin_blocked_paise, realized_pnl_paise, "
          "today_realized_pnl_paise, opened_at, updated_at) VALUES (:user_id, :symbol, "
          ":exchange, :product, :quantity, :average_price, :ltp, :margin, :realized, :today, "
          ":opened_at, :updated_at) ON CONFLICT (user_id, symbol, exchange, product) DO UPDATE "
          "SET quantity = excluded.quantity, average_price = excluded.average_price, "
          "ltp = excluded.ltp, margin_blocked_paise = excluded.margin_blocked_paise, "
          "realized_pnl_paise = excluded.realized_pnl_paise, "
          "today_realized_pnl_paise = excluded.today_realized_pnl_paise, "
          "opened_at = excluded.opened_at, updated_at = excluded.updated_at",
      p.key.user_id, p.key.symbol, p.key.exchange,
      product, p.quantity, p.average_price, p.ltp,
      p.margin_blocked, p.realized_pnl, p.today_realized_pnl,
      opened, updated);
  // Every column is replaced, and times keep their milliseconds: exactly
  // what a read would give back.
  if (memo_) memo_->positions.insert_or_assign(p.key, p);
}

void SandboxTables::delete_position(const PositionKey& key) {
  const std::string product(to_string(key.product));
  sql_ << "DELETE FROM sandbox_positions WHERE user_id = :user_id AND symbol = :symbol AND "
          "exchange = :exchange AND product = :product",
      soci::use(key.user_id), soci::use(key.symbol), soci::use(key.exchange), soci::use(product);
  if (memo_) memo_->positions.insert_or_assign(key, std::nullopt);
}

std::vector<Position> SandboxTables::open_positions() {
  return select_positions(sql_, "WHERE quantity <> 0 ORDER BY id");
}

std::vector<Position> SandboxTables::user_positions(std::int64_t user_id) {
  static const std::string query = std::string(kPositionColumns) + "WHERE user_id = :user_id ORDER BY id";
  return converted(statements_.all<PositionRow>(query, user_id),
                   [](const PositionRow& row) { return row.position(); });
}

std::vector<Position> SandboxTables::positions_with_product(Product product) {
  const std::string name(to_string(product));
  return select_positions(sql_, "WHERE product = :product ORDER BY id", name);
}

void SandboxTables::set_position_ltp(const std::string& symbol, const std::string& exchange,
                                     double ltp) {
  forget_positions();
  sql_ << "UPDATE sandbox_positions SET ltp = :ltp WHERE symbol = :symbol AND "
          "exchange = :exchange AND quantity <> 0",
      soci::use(ltp), soci::use(symbol), soci::use(exchange);
}

std::optional<Holding> SandboxTables::find_holding(std::int64_t user_id, const std::string& symbol,
                                                   const std::string& exchange) {
  static const std::string query =
      std::string(kHoldingColumns) + "WHERE user_id = :user_id AND symbol = :symbol AND exchange = :exchange";
  const auto row = statements_.first<HoldingRow>(query, user_id, symbol, exchange);
  if (!row) return std::nullopt;
  return row->holding();
}

void SandboxTables::save_holding(const Holding& h) {
  const std::string created = format_utc_iso(h.created_ms), updated = format_utc_iso(h.updated_ms);
  sql_ << "INSERT INTO sandbox_holdings (user_id, symbol, exchange, quantity, average_price, "
          "invested_paise, ltp, settlement_date, created_at, updated_at) VALUES (:user_id, "
          ":symbol, :exchange, :quantity, :average_price, :invested, :ltp, :settlement_date, "
          ":created_at, :updated_at) ON CONFLICT (user_id, symbol, exchange) DO UPDATE SET "
          "quantity = excluded.quantity, average_price = excluded.average_price, "
          "invested_paise = excluded.invested_paise, ltp = excluded.ltp, "
          "settlement_date = excluded.settlement_date, updated_at = excluded.updated_at",
      soci::use(h.user_id), soci::use(h.symbol), soci::use(h.exchange), soci::use(h.quantity),
      soci::use(h.average_price), soci::use(h.invested), soci::use(h.ltp),
      soci::use(h.settlement_date), soci::use(created), soci::use(updated);
}

void SandboxTables::delete_holding(std::int64_t user_id, const std::string& symbol,
                                   const std::string& exchange) {
  sql_ << "DELETE FROM sandbox_holdings WHERE user_id = :user_id AND symbol = :symbol AND "
          "exchange = :exchange",
      soci::use(user_id), soci::use(symbol), soci::use(exchange);
}

std::vector<Holding> SandboxTables::user_holdings(std::int64_t user_id) {
  static const std::string query = std::string(kHoldingColumns) + "WHERE user_id = :user_id ORDER BY id";
  return converted(statements_.all<HoldingRow>(query, user_id), [](const HoldingRow& row) { return row.holding(); });
}

std::optional<Funds> SandboxTables::find_funds(std::int64_t user_id) {
  if (memo_) {
    if (const auto known = memo_->ledgers.find(user_id); known != memo_->ledgers.end()) return known->second;
  }
  static const std::string query = std::string(kFundsColumns) + "WHERE user_id = :user_id";
  const auto row = statements_.first<FundsRow>(query, user_id);
  if (!row) return std::nullopt;
  Funds funds = row->funds();
  if (memo_) memo_->ledgers.insert_or_assign(user_id, funds);
  return funds;
}

void SandboxTables::save_funds(const Funds& f) {
  const std::string last_reset = format_utc_iso(f.last_reset_ms);
  // A ledger in the memo has its row in the store: a plain UPDATE by key
  // costs less than the upsert.
  if (memo_ && memo_->ledgers.contains(f.user_id)) {
    statements_.run("UPDATE sandbox_funds SET total_capital_paise = :capital, available_paise = :available, "
                    "used_margin_paise = :used, realized_pnl_paise = :realized, "
                    "today_realized_pnl_paise = :today, last_reset_at = :last_reset, reset_count = :resets "
                    "WHERE user_id = :user_id",
                    f.total_capital, f.available, f.used_margin, f.realized_pnl, f.today_realized_pnl, last_reset,
                    f.reset_count, f.user_id);
    memo_->ledgers.insert_or_assign(f.user_id, f);
    return;
  }
  statements_.run("INSERT INTO sandbox_funds (user_id, total_capital_paise, available_paise, "
          "used_margin_paise, realized_pnl_paise, today_realized_pnl_paise, last_reset_at, "
          "reset_count) VALUES (:user_id, :capital, :available, :used, :realized, :today, "
          ":last_reset, :resets) ON CONFLICT (user_id) DO UPDATE SET "
          "total_capital_paise = excluded.total_capital_paise, "
          "available_paise = excluded.available_paise, "
          "used_margin_paise = excluded.used_margin_paise, "
          "realized_pnl_paise = excluded.realized_pnl_paise, "
          "today_realized_pnl_paise = excluded.today_realized_pnl_paise, "
          "last_reset_at = excluded.last_reset_at, reset_count = excluded.reset_count",
      f.user_id, f.total_capital, f.available,
      f.used_margin, f.realized_pnl, f.today_realized_pnl,
      last_reset, f.reset_count);
  // Exactly what a read would give back: paise are integers and the reset
  // time keeps its milliseconds.
  if (memo_) memo_->ledgers.insert_or_assign(f.user_id, f);
}

std::vector<Funds> SandboxTables::all_funds() {
  return select_funds(sql_, "ORDER BY user_id");
}

void SandboxTables::save_daily_pnl(const DailyPnl& r) {
  sql_ << "INSERT INTO sandbox_daily_pnl (user_id, date, realized_pnl_paise, "
          "positions_unrealized_pnl_paise, holdings_unrealized_pnl_paise, total_mtm_paise, "
          "available_paise, used_margin_paise, portfolio_value_paise) VALUES (:user_id, :date, "
          ":realized, :positions, :holdings, :mtm, :available, :used, :portfolio) "
          "ON CONFLICT (user_id, date) DO UPDATE SET "
          "realized_pnl_paise = excluded.realized_pnl_paise, "
          "positions_unrealized_pnl_paise = excluded.positions_unrealized_pnl_paise, "
          "holdings_unrealized_pnl_paise = excluded.holdings_unrealized_pnl_paise, "
          "total_mtm_paise = excluded.total_mtm_paise, available_paise = excluded.available_paise, "
          "used_margin_paise = excluded.used_margin_paise, "
          "portfolio_value_paise = excluded.portfolio_value_paise",
      soci::use(r.user_id), soci::use(r.date), soci::use(r.realized_pnl),
      soci::use(r.positions_unrealized_pnl), soci::use(r.holdings_unrealized_pnl),
      soci::use(r.total_mtm), soci::use(r.available), soci::use(r.used_margin),
      soci::use(r.portfolio_value);
}

std::optional<DailyPnl> SandboxTables::find_daily_pnl(std::int64_t user_id,
                                                      const std::string& date) {
  DailyPnl r;
  auto query =
      (sql_.prepare << "SELECT user_id, date, realized_pnl_paise, positions_unrealized_pnl_paise, "
                       "holdings_unrealized_pnl_paise, total_mtm_paise, available_paise, "
                       "used_margin_paise, portfolio_value_paise FROM sandbox_daily_pnl "
                       "WHERE user_id = :user_id AND date = :date",
       soci::into(r.user_id), soci::into(r.date), soci::into(r.realized_pnl),
       soci::into(r.positions_unrealized_pnl), soci::into(r.holdings_unrealized_pnl),
       soci::into(r.total_mtm), soci::into(r.available), soci::into(r.used_margin),
       soci::into(r.portfolio_value));
  return first(fetch_all(query, [&] { return r; }, user_id, date));
}

void SandboxTables::clear_today_realized() {
  if (memo_) memo_->clear();
  sql_ << "UPDATE sandbox_funds SET today_realized_pnl_paise = 0";
  sql_ << "UPDATE sandbox_positions SET today_realized_pnl_paise = 0";
}

void SandboxTables::delete_positions_and_holdings(std::int64_t user_id) {
  forget_positions();
  sql_ << "DELETE FROM sandbox_positions WHERE user_id = :user_id", soci::use(user_id);
  sql_ << "DELETE FROM sandbox_holdings WHERE user_id = :user_id", soci::use(user_id);
}

void SandboxTables::insert_gtt(const Gtt& gtt) {
  const std::string type(to_string(gtt.type)), status(to_string(gtt.status)),
      expires = format_utc_iso(gtt.expires_ms), created = format_utc_iso(gtt.created_ms),
      updated = format_utc_iso(gtt.updated_ms);
  sql_ << "INSERT INTO sandbox_gtt (gtt_id, user_id, strategy, trigger_type, symbol, exchange, last_price, "
          "status, margin_blocked_paise, expires_at, created_at, updated_at) VALUES (:gtt_id, :user_id, "
          ":strategy, :trigger_type, :symbol, :exchange, :last_price, :status, :margin, :expires_at, "
          ":created_at, :updated_at)",
      soci::use(gtt.gtt_id), soci::use(gtt.user_id), soci::use(gtt.strategy), soci::use(type),
      soci::use(gtt.symbol), soci::use(gtt.exchange), soci::use(gtt.last_price), soci::use(status),
      soci::use(gtt.margin_blocked), soci::use(expires), soci::use(created), soci::use(updated);
  insert_legs(sql_, gtt);
}

void SandboxTables::update_gtt(const Gtt& gtt) {
  const std::string status(to_string(gtt.status)), updated = format_utc_iso(gtt.updated_ms);
  sql_ << "UPDATE sandbox_gtt SET strategy = :strategy, last_price = :last_price, status = :status, "
          "margin_blocked_paise = :margin, updated_at = :updated_at WHERE gtt_id = :gtt_id",
      soci::use(gtt.strategy), soci::use(gtt.last_price), soci::use(status), soci::use(gtt.margin_blocked),
      soci::use(updated), soci::use(gtt.gtt_id);
  sql_ << "DELETE FROM sandbox_gtt_legs WHERE gtt_id = :gtt_id", soci::use(gtt.gtt_id);
  insert_legs(sql_, gtt);
}

std::optional<Gtt> SandboxTables::find_gtt(const std::string& gtt_id) {
  return first(select_gtts(sql_, "WHERE gtt_id = :gtt_id", gtt_id));
}

std::vector<Gtt> SandboxTables::active_gtts() {
  return select_gtts(sql_, "WHERE status = 'active' ORDER BY id");
}

std::vector<Gtt> SandboxTables::user_gtts(std::int64_t user_id, bool active_only) {
  return select_gtts(sql_,
                     active_only ? "WHERE user_id = :user_id AND status = 'active' ORDER BY id DESC"
                                 : "WHERE user_id = :user_id ORDER BY id DESC",
                     user_id);
}

std::optional<std::string> SandboxTables::last_gtt_id_with_prefix(const std::string& prefix) {
  const std::string low = prefix, high = prefix + "~";
  std::string gtt_id;
  soci::indicator indicator = soci::i_null;
  sql_ << "SELECT MAX(gtt_id) FROM sandbox_gtt WHERE gtt_id >= :low AND gtt_id < :high", soci::use(low),
      soci::use(high), soci::into(gtt_id, indicator);
  if (indicator != soci::i_ok) return std::nullopt;
  return gtt_id;
}

void SandboxTables::delete_user_activity(std::int64_t user_id) {
  forget_positions();
  // Children first: trades reference orders.
  for (const char* table : {"sandbox_trades", "sandbox_orders", "sandbox_gtt", "sandbox_positions",
                            "sandbox_holdings", "sandbox_daily_pnl"}) {
    sql_ << "DELETE FROM " << table << " WHERE user_id = :user_id", soci::use(user_id);
  }
}

std::optional<std::int64_t> SandboxTables::last_run(const std::string& job) {
  std::string at;
  soci::indicator indicator = soci::i_null;
  sql_ << "SELECT last_run_at FROM sandbox_schedule WHERE job = :job", soci::use(job),
      soci::into(at, indicator);
  if (!sql_.got_data() || indicator != soci::i_ok) return std::nullopt;
  return instant(at);
}

void SandboxTables::set_last_run(const std::string& job, std::int64_t at_ms) {
  const std::string at = format_utc_iso(at_ms);
  sql_ << "INSERT INTO sandbox_schedule (job, last_run_at) VALUES (:job, :at) "
          "ON CONFLICT (job) DO UPDATE SET last_run_at = excluded.last_run_at",
      soci::use(job), soci::use(at);
}

// The group's connection and transaction, open from its first write to its commit.
struct SandboxStore::Group {
  // On the kept connection. The transaction ends (commit or rollback) before
  // the statements are finalised: PostgreSQL cannot deallocate them inside a
  // failed transaction.
  std::optional<store::Transaction> transaction;
  // The group must not commit: a savepoint could not be rolled back, so
  // what it did is no longer known to be whole (SQLite, for one, may have
  // rolled the whole transaction back by itself), or spoil_group() asked.
  bool broken = false;
  std::vector<std::function<void(bool)>> after_commit;
  GroupMemo memo;
};

namespace {

// Runs `work` between SAVEPOINT and RELEASE, undoing only its own changes
// when it throws; `broken` is set when even that undo failed.
template <typename Work>
void in_savepoint(store::StatementCache& statements, bool& broken, Work&& work) {
  statements.run("SAVEPOINT sandbox_event");
  try {
    work();
  } catch (...) {
    try {
      statements.session() << "ROLLBACK TO SAVEPOINT sandbox_event";
      statements.session() << "RELEASE SAVEPOINT sandbox_event";
    } catch (...) {
      broken = true;
    }
    throw;
  }
  statements.run("RELEASE SAVEPOINT sandbox_event");
}

}  // namespace

SandboxStore::SandboxStore(store::Store& store, std::function<void(const Order&)> on_order_written)
    : store_(store), on_order_written_(std::move(on_order_written)) {}

SandboxStore::~SandboxStore() = default;

template <typename Use>
void SandboxStore::with_connection(Use&& use) {
  if (kept_.connection) {
    try {
      return use(kept_.connection->lease, kept_.connection->statements);
    } catch (...) {
      release_connection();  // a lost connection is reconnected by the next lease
      throw;
    }
  }
  auto lease = store_.lease();
  store::StatementCache statements(*lease);  // outlives the transaction, as in Group
  use(lease, statements);
}

void SandboxStore::write(const std::function<void(SandboxTables&)>& work) {
  if (group_) {
    SandboxTables tables(group_statements(), &group_->memo);
    try {
      in_savepoint(kept_.connection->statements, group_->broken, [&] { work(tables); });
    } catch (...) {
      group_->memo.clear();  // it may hold what the savepoint just undid
      throw;
    }
    return after_group_write(tables);
  }
  std::vector<Order> written;
  with_connection([&](store::Store::Lease& lease, store::StatementCache& statements) {
    store::Transaction transaction(lease);
    SandboxTables tables(statements);
    work(tables);
    transaction.commit();
    written = tables.written_orders();
  });
  if (!on_order_written_) return;
  for (const Order& order : written) on_order_written_(order);
}

void SandboxStore::write_or_spoil(const std::function<void(SandboxTables&)>& work) {
  if (!group_) return write(work);
  try {
    SandboxTables tables(group_statements(), &group_->memo);
    work(tables);
    after_group_write(tables);
  } catch (...) {
    spoil_group();
    throw;
  }
}

void SandboxStore::after_group_write(const SandboxTables& tables) {
  if (!on_order_written_) return;
  for (const Order& order : tables.written_orders()) {
    group_->after_commit.emplace_back([this, order](bool committed) {
      if (committed) on_order_written_(order);
    });
  }
}

void SandboxStore::read(const std::function<void(SandboxTables&)>& work) {
  if (group_ && group_->transaction) {
    // A savepoint keeps a failed read from aborting the group (PostgreSQL
    // refuses every later statement of a transaction after an error).
    SandboxTables tables(kept_.connection->statements);
    in_savepoint(kept_.connection->statements, group_->broken, [&] { work(tables); });
    return;
  }
  with_connection([&](store::Store::Lease& lease, store::StatementCache& statements) {
    store::Transaction transaction(lease, store::Transaction::Kind::Snapshot);
    SandboxTables tables(statements);
    work(tables);
    transaction.commit();
  });
}

void SandboxStore::begin_group() {
  if (group_) throw std::logic_error("sandbox store: a group is already open");
  group_ = std::make_unique<Group>();
}

void SandboxStore::keep_connection() {
  if (kept_.connection) return;
  kept_.connection.emplace(store_.lease());
  kept_.groups = 0;
}

void SandboxStore::release_connection() {
  kept_.connection.reset();
}

void SandboxStore::idle() {
  if (shares_connection()) release_connection();
}

store::StatementCache& SandboxStore::group_statements() {
  if (group_->broken) throw std::runtime_error("an earlier store error in this group keeps it from committing");
  if (!group_->transaction) {
    keep_connection();
    try {
      group_->transaction.emplace(kept_.connection->lease);
    } catch (...) {
      release_connection();  // a lost connection is reconnected by the next lease
      throw;
    }
  }
  return kept_.connection->statements;
}

bool SandboxStore::commit_group() {
  if (!group_) return true;
  std::unique_ptr<Group> group = std::move(group_);
  bool committed = true;
  if (group->transaction) {
    try {
      if (group->broken) throw std::runtime_error("an earlier store error in this group keeps it from committing");
      group->transaction->commit();
    } catch (const std::exception& error) {
      spdlog::error("sandbox: committing a group of events failed, none of them is stored: {}",
                    error.what());
      committed = false;
    }
    group->transaction.reset();  // rolls back unless committed
    // A pool of one connection is the engine's only between groups: what
    // runs after the commit (a composite request's journal, say) may need it.
    const bool turn_over = shares_connection() && (++kept_.groups >= kKeptGroups || store_.pool_size() < 2);
    if (!committed || turn_over) release_connection();
  }
  for (auto& then : group->after_commit) {
    try {
      then(committed);
    } catch (const std::exception& error) {
      spdlog::error("sandbox: after a group commit: {}", error.what());
    }
  }
  return committed;
}

void SandboxStore::spoil_group() {
  if (group_) group_->broken = true;
}

void SandboxStore::after_commit(std::function<void(bool committed)> then) {
  if (group_) return group_->after_commit.push_back(std::move(then));
  then(true);
}

}  // namespace oa::sandbox
