#pragma once
// The sandbox's vocabulary: requests and replies as the REST layer hands them
// over, and the rows the engine keeps (orders, trades, positions, holdings,
// funds). Money on the ledger is whole paise, so every transfer between
// available cash, blocked margin and realised P&L is exact; prices and
// quantities are doubles as OpenAlgo's clients send them.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

namespace oa::sandbox {

using Paise = std::int64_t;

// Rounds half away from zero to the nearest paisa.
Paise to_paise(double rupees);
double to_rupees(Paise amount);

// Quantities are whole numbers except on CRYPTO; sums of fractional doubles
// are rounded to 1e-8 so that a closed position is exactly 0.
double normalize_quantity(double quantity);

// What the active broker's master contract says about one symbol.
struct Instrument {
  std::string symbol;
  std::string exchange;
  std::string instrument_type;  // FUT, CE, PE, PERPFUT, EQ, "" ...
  std::string expiry;           // DD-MMM-YY, empty when the contract does not expire
  double lot_size = 1;
  double tick_size = 0.05;
  double contract_value = 1;  // P&L multiplier: 1 except for some crypto contracts
};

struct Quote {
  double ltp = 0, bid = 0, ask = 0;
  std::int64_t at_ms = 0;  // when the price was current; 0 means "now"
};

// The lowest and highest LTP since a symbol's price was last looked at: when
// ticks arrive faster than they are handled they are merged, and the range
// keeps the crossings of the ticks that were merged away.
struct PriceRange {
  double low = 0, high = 0;
  static PriceRange of(const Quote& quote) { return {quote.ltp, quote.ltp}; }
  void widen(double ltp) {
    low = std::min(low, ltp);
    high = std::max(high, ltp);
  }
};

struct OrderRequest {
  std::string strategy, symbol, exchange, action, pricetype = "MARKET", product = "MIS";
  double quantity = 0;
  double price = 0, trigger_price = 0;
  std::int64_t disclosed_quantity = 0;
};

// Only quantity, price and trigger_price change an order; OpenAlgo ignores
// the other modify fields in analyze mode. Zero means "leave as it is".
struct ModifyRequest {
  std::string orderid;
  double quantity = 0, price = 0, trigger_price = 0;
};

// The answer as OpenAlgo gives it in analyze mode: HTTP status and body.
struct Reply {
  int status = 200;
  boost::json::object body;
};

enum class Action { Buy, Sell };
enum class PriceType { Market, Limit, StopLimit, StopMarket };
enum class Product { Cnc, Nrml, Mis };
enum class OrderStatus { Open, TriggerPending, Complete, Cancelled, Rejected };

// OpenAlgo's spellings: BUY, SELL; MARKET, LIMIT, SL, SL-M; CNC, NRML, MIS;
// open, trigger pending, complete, cancelled, rejected.
std::string_view to_string(Action action);
std::string_view to_string(PriceType type);
std::string_view to_string(Product product);
std::string_view to_string(OrderStatus status);
std::optional<Action> parse_action(std::string_view text);
std::optional<PriceType> parse_price_type(std::string_view text);
std::optional<Product> parse_product(std::string_view text);
std::optional<OrderStatus> parse_order_status(std::string_view text);

inline bool is_pending(OrderStatus status) {
  return status == OrderStatus::Open || status == OrderStatus::TriggerPending;
}
inline double signed_quantity(Action action, double quantity) {
  return action == Action::Buy ? quantity : -quantity;
}

struct Order {
  std::string orderid;
  std::int64_t user_id = 0;
  std::string strategy, symbol, exchange;
  Action action = Action::Buy;
  double quantity = 0;
  double price = 0;  // the limit; for MARKET the reference price margin was computed on
  double trigger_price = 0;
  PriceType price_type = PriceType::Market;
  Product product = Product::Mis;
  OrderStatus status = OrderStatus::Open;
  double average_price = 0;
  double filled_quantity = 0;
  double pending_quantity = 0;
  std::string rejection_reason;
  Paise margin_blocked = 0;  // exactly what this order holds on the ledger
  std::int64_t created_ms = 0;
  std::int64_t updated_ms = 0;
};

struct Trade {
  std::string tradeid, orderid;
  std::int64_t user_id = 0;
  std::string symbol, exchange;
  Action action = Action::Buy;
  double quantity = 0;
  double price = 0;
  Product product = Product::Mis;
  std::string strategy;
  std::int64_t created_ms = 0;
};

struct PositionKey {
  std::int64_t user_id = 0;
  std::string symbol, exchange;
  Product product = Product::Mis;
  friend auto operator<=>(const PositionKey&, const PositionKey&) = default;
};

struct Position {
  PositionKey key;
  double quantity = 0;  // signed: negative is short
  double average_price = 0;
  double ltp = 0;            // last price seen, kept for settlement when no quote comes
  Paise margin_blocked = 0;  // exactly what this position holds on the ledger
  Paise realized_pnl = 0;    // all-time
  Paise today_realized_pnl = 0;
  std::int64_t opened_ms = 0;  // when the quantity last left zero
  std::int64_t updated_ms = 0;
};

struct Holding {
  std::int64_t user_id = 0;
  std::string symbol, exchange;
  double quantity = 0;
  double average_price = 0;
  Paise invested = 0;  // what the ledger moved into this holding
  double ltp = 0;
  std::string settlement_date;  // YYYY-MM-DD (IST)
  std::int64_t created_ms = 0;
  std::int64_t updated_ms = 0;
};

// available + used_margin + (money in holdings) == total_capital + realized_pnl.
struct Funds {
  std::int64_t user_id = 0;
  Paise total_capital = 0;
  Paise available = 0;
  Paise used_margin = 0;
  Paise realized_pnl = 0;  // all-time
  Paise today_realized_pnl = 0;
  std::int64_t last_reset_ms = 0;
  std::int64_t reset_count = 0;
};

struct DailyPnl {
  std::int64_t user_id = 0;
  std::string date;  // YYYY-MM-DD (IST)
  Paise realized_pnl = 0, positions_unrealized_pnl = 0, holdings_unrealized_pnl = 0, total_mtm = 0;
  Paise available = 0, used_margin = 0, portfolio_value = 0;
};

}  // namespace oa::sandbox
