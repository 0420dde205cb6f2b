#pragma once
// The account answers in OpenAlgo's analyze-mode shapes (rest_api.md C.3,
// C.4): order book, trade book, position book, holdings, funds, order
// status. Pure functions of the rows and the prices to mark them at.
#include <cstdint>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "sandbox/gtt.hpp"
#include "sandbox/sandbox_types.hpp"

namespace oa::sandbox {

// A quantity the way OpenAlgo's formatter writes it: an integer when whole.
boost::json::value quantity_json(double quantity);
double round2(double value);

// {"data":{"orders":[...],"statistics":{...}},"mode":"analyze","status":"success"}, newest first.
boost::json::object order_book_body(const std::vector<Order>& orders);

// {"data":[...],"mode":"analyze","status":"success"}, newest first.
boost::json::object trade_book_body(const std::vector<Trade>& trades);

struct MarkedPosition {
  Position position;
  double ltp = 0;  // 0 when no price is known
  double contract_value = 1;
};
// Open positions, and closed ones that realised P&L in this session.
bool shown_in_position_book(const Position& position, std::int64_t session_start_ms);
boost::json::object position_book_body(const std::vector<MarkedPosition>& positions);

struct MarkedHolding {
  Holding holding;
  double ltp = 0;
};
boost::json::object holdings_body(const std::vector<MarkedHolding>& holdings);

boost::json::object funds_body(const Funds& funds, double unrealized_pnl);

boost::json::object order_status_body(const Order& order);
// The order's part of an order_update event (websocket.md §2.3.6), keys in its order.
boost::json::object order_update_fields(const Order& order);

// {"data":[...],"mode":"analyze","status":"success"}: active GTTs, newest first,
// as gttorderbook lists them with the sandbox's strategy and margin_blocked.
boost::json::object gtt_book_body(const std::vector<Gtt>& gtts);

// {"status":"error","message":...,"mode":"analyze"}
boost::json::object error_body(const std::string& message);

}  // namespace oa::sandbox
