// Orders through the engine: placement, fills, rejections, modify, cancel,
// closing positions and the account views.
#include <set>
#include <string>

#include <doctest/doctest.h>

#include "sandbox_fixture.hpp"
#include "sandbox/books.hpp"

using namespace oa::sandbox;
using namespace oa::sandbox::test;

namespace {

const boost::json::object& first_order(const Reply& book) {
  return book.body.at("data").at("orders").as_array().at(0).as_object();
}

double number(const boost::json::value& value) { return value.to_number<double>(); }
std::string text(const boost::json::value& value) { return std::string(value.as_string()); }

}  // namespace

TEST_SUITE("sandbox") {
  TEST_CASE("a MARKET buy fills at once at the ask and answers with an order id") {
    Harness h;
    h.market().set_quote("SBIN", "NSE", {800, 799.9, 800.1, 0});
    const Reply reply = h.place("SBIN", "NSE", "BUY", 10);
    CHECK(reply.status == 200);
    CHECK(reply.body.at("status") == "success");
    CHECK(reply.body.at("mode") == "analyze");
    const std::string orderid = orderid_of(reply);
    CHECK(orderid.size() == 14);
    CHECK(orderid.starts_with("250822"));

    const auto order = h.stored_order(orderid);
    REQUIRE(order.has_value());
    CHECK(order->status == OrderStatus::Complete);
    CHECK(order->average_price == 800.1);
    CHECK(h.trade_count() == 1);
    const auto position = h.stored_position("SBIN", "NSE", "MIS");
    REQUIRE(position.has_value());
    CHECK(position->quantity == 10);
    CHECK(h.stored_funds().used_margin == to_paise(800.1 * 10 / 5));
    CHECK(h.stored_funds().used_margin == h.margin_held_by_orders_and_positions());
  }

  TEST_CASE("an unknown symbol is refused without an order row") {
    Harness h;
    const Reply reply = h.place("SBINX", "NSE", "BUY", 1);
    CHECK(reply.status == 400);
    CHECK(message_of(reply) == "Symbol SBINX not found on NSE");
    CHECK(h.order_book().body.at("data").at("orders").as_array().empty());
  }

  TEST_CASE("a rejected order is recorded as rejected in the order book") {
    Harness h;
    h.market().set_quote("RELIANCE", "NSE", {3000, 0, 0, 0});
    const Reply reply = h.place("RELIANCE", "NSE", "BUY", 100000, "MARKET", "CNC");
    CHECK(reply.status == 400);
    CHECK(message_of(reply).starts_with("Insufficient funds. Required: ₹300000000.00"));
    const std::string orderid = orderid_of(reply);
    REQUIRE_FALSE(orderid.empty());

    const Reply book = h.order_book();
    const auto& row = first_order(book);
    CHECK(text(row.at("orderid")) == orderid);
    CHECK(row.at("order_status") == "rejected");
    CHECK(text(row.at("rejection_reason")) == message_of(reply));
    CHECK(book.body.at("data").at("statistics").at("total_rejected_orders") == 1);
    CHECK(h.stored_order(orderid)->margin_blocked == 0);
    CHECK(number(h.funds().body.at("data").at("utiliseddebits")) == 0);
  }

  TEST_CASE("the engine's checks run in OpenAlgo's order: lot size, MIS cut-off, CNC shares, price, then funds") {
    Harness h(EngineOptions{}, ist(2025, 8, 22, 15, 30));  // past the NSE and NFO MIS cut-off
    // Lot size before the cut-off.
    CHECK(message_of(h.place("NIFTY28AUG25FUT", "NFO", "BUY", 100, "MARKET", "MIS")) ==
          "Quantity must be in multiples of lot size 75");
    // The cut-off before the price: no quote for SBIN at all.
    CHECK(message_of(h.place("SBIN", "NSE", "BUY", 1, "MARKET", "MIS")).starts_with("MIS orders cannot be placed"));
    // CNC shares before the price. (OpenAlgo asked for the price first and
    // so answered "unable to fetch current price" to a sell it would refuse.)
    CHECK(message_of(h.place("SBIN", "NSE", "SELL", 1, "MARKET", "CNC")).starts_with("Cannot sell SBIN in CNC"));
    CHECK(message_of(h.place("SBIN", "NSE", "BUY", 1, "MARKET", "CNC")).starts_with("Cannot place MARKET order"));
    // Lot size before funds.
    h.market().set_quote("NIFTY28AUG25FUT", "NFO", {24000, 0, 0, 0});
    CHECK(message_of(h.place("NIFTY28AUG25FUT", "NFO", "BUY", 7500001, "MARKET", "NRML")) ==
          "Quantity must be in multiples of lot size 75");
    CHECK(message_of(h.place("NIFTY28AUG25FUT", "NFO", "BUY", 750000, "MARKET", "NRML")).starts_with("Insufficient funds"));
  }

  TEST_CASE("a MARKET order without any price is rejected after three attempts") {
    Harness h;
    const Reply reply = h.place("SBIN", "NSE", "BUY", 1);
    CHECK(reply.status == 400);
    CHECK(message_of(reply) ==
          "Cannot place MARKET order for SBIN - unable to fetch current price. Please try again "
          "later or use LIMIT order with a specific price.");
    CHECK(h.market().fetch_count() == 3);
  }

  TEST_CASE("a quote that never comes times out instead of holding the order forever") {
    Harness h;
    h.market().set_mode(FakeMarket::Mode::Manual);
    int replies = 0;
    Reply reply;
    h.engine().place_order(h.user(),
                           OrderRequest{"s", "SBIN", "NSE", "BUY", "MARKET", "MIS", 1, 0, 0, 0},
                           [&](Reply r) { ++replies, reply = std::move(r); });
    h.settle();
    CHECK(replies == 0);
    for (int attempt = 0; attempt < 3; ++attempt) {
      h.clock().advance(10'000);
      h.settle();
    }
    CHECK(replies == 1);
    CHECK(reply.status == 400);
    // Answers arriving after the deadline change nothing.
    while (h.market().waiting_fetches() > 0) h.market().answer_next(Quote{800, 0, 0, 0});
    h.settle();
    CHECK(replies == 1);
    CHECK(h.trade_count() == 0);
  }

  TEST_CASE("a LIMIT order rests, is watched, fills at its limit on a crossing tick and is released") {
    Harness h;
    h.market().set_quote("SBIN", "NSE", {800, 799.9, 800.1, 0});
    const std::string orderid = orderid_of(h.place("SBIN", "NSE", "BUY", 10, "LIMIT", "MIS", 795));
    CHECK(h.stored_order(orderid)->status == OrderStatus::Open);
    CHECK(h.stored_order(orderid)->margin_blocked == to_paise(795 * 10 / 5.0));
    CHECK(h.market().watching("SBIN", "NSE"));

    h.tick("SBIN", "NSE", 796);
    CHECK(h.stored_order(orderid)->status == OrderStatus::Open);
    h.tick("SBIN", "NSE", 794.5);
    const auto order = h.stored_order(orderid);
    CHECK(order->status == OrderStatus::Complete);
    CHECK(order->average_price == 795);
    CHECK(h.stored_funds().used_margin == h.margin_held_by_orders_and_positions());
    // The open position keeps the symbol watched; closing it releases it.
    CHECK(h.market().watching("SBIN", "NSE"));
    h.market().set_quote("SBIN", "NSE", {800, 0, 0, 0});
    h.place("SBIN", "NSE", "SELL", 10);
    CHECK_FALSE(h.market().watching("SBIN", "NSE"));
  }

  TEST_CASE("a resting order fills from a polled quote when ticks stop coming") {
    Harness h;
    h.market().set_quote("SBIN", "NSE", {800, 0, 0, 0});
    const std::string orderid = orderid_of(h.place("SBIN", "NSE", "BUY", 10, "LIMIT", "CNC", 795));
    h.market().set_quote("SBIN", "NSE", {794, 0, 0, 0});  // the broker has it; no tick says so
    h.clock().advance(10'000);
    h.run_schedules();
    CHECK(h.stored_order(orderid)->status == OrderStatus::Open);
    h.clock().advance(25'000);  // 35 s without a tick: the feed counts as down
    h.run_schedules();
    CHECK(h.stored_order(orderid)->status == OrderStatus::Complete);
    CHECK(h.stored_order(orderid)->average_price == 795);
  }

  TEST_CASE("an order waiting on a silent broker's quote holds up no other order, tick or book") {
    Harness h;
    h.market().set_quote("ZEEL", "NSE", {100, 0, 0, 0});
    const std::string resting = orderid_of(h.place("ZEEL", "NSE", "BUY", 10, "LIMIT", "CNC", 99));
    h.market().set_mode(FakeMarket::Mode::Manual);
    int replies = 0;
    Reply reply;
    place_without_waiting(h, replies, reply);
    h.tick("ZEEL", "NSE", 98.5);
    CHECK(h.stored_order(resting)->status == OrderStatus::Complete);
    CHECK(h.order_book().status == 200);
    CHECK(h.trade_book().status == 200);
    CHECK(replies == 0);
    h.market().answer_next(Quote{800, 0, 0, 0});
    h.settle();
    CHECK(replies == 1);
  }

  TEST_CASE("a burst of ticks that dips through a limit and back still fills it") {
    Harness h;
    const std::string orderid = orderid_of(h.place("SBIN", "NSE", "BUY", 10, "LIMIT", "MIS", 795));
    for (double ltp : {800.0, 797.0, 794.0, 799.0, 801.0}) {
      h.engine().on_tick("SBIN", "NSE", Quote{ltp, 0, 0, h.clock().now()});
    }
    h.settle();
    CHECK(h.stored_order(orderid)->status == OrderStatus::Complete);
    CHECK(h.stored_order(orderid)->average_price == 795);
  }

  TEST_CASE("a marketable LIMIT fills at once at the better price") {
    Harness h;
    h.market().set_quote("SBIN", "NSE", {800, 799.9, 800.1, 0});
    const std::string orderid = orderid_of(h.place("SBIN", "NSE", "BUY", 10, "LIMIT", "MIS", 805));
    CHECK(h.stored_order(orderid)->average_price == 800.1);
    // Margin trued up to the fill: 10 x 800.1 / 5, not 10 x 805 / 5.
    CHECK(h.stored_funds().used_margin == to_paise(1600.2));
  }

  TEST_CASE("a stop-loss sell waits in trigger pending and fills when the LTP falls to its trigger") {
    Harness h;
    h.market().set_quote("SBIN", "NSE", {800, 0, 0, 0});
    h.place("SBIN", "NSE", "BUY", 10);
    const std::string orderid = orderid_of(h.place("SBIN", "NSE", "SELL", 10, "SL-M", "MIS", 0, 790));
    CHECK(h.stored_order(orderid)->status == OrderStatus::TriggerPending);
    CHECK(h.stored_order(orderid)->margin_blocked == 0);  // it only closes the long
    h.tick("SBIN", "NSE", 791);
    CHECK(h.stored_order(orderid)->status == OrderStatus::TriggerPending);
    h.tick("SBIN", "NSE", 789);
    CHECK(h.stored_order(orderid)->status == OrderStatus::Complete);
    CHECK(h.stored_position("SBIN", "NSE", "MIS")->quantity == 0);
    CHECK(h.stored_funds().realized_pnl == to_paise(-110));
  }

  TEST_CASE("positions flip from long to short in one fill") {
    Harness h;
    h.market().set_quote("SBIN", "NSE", {800, 0, 0, 0});
    h.place("SBIN", "NSE", "BUY", 10);
    h.market().set_quote("SBIN", "NSE", {810, 0, 0, 0});
    h.place("SBIN", "NSE", "SELL", 25);
    const auto position = h.stored_position("SBIN", "NSE", "MIS");
    CHECK(position->quantity == -15);
    CHECK(position->average_price == 810);
    CHECK(position->margin_blocked == to_paise(15 * 810 / 5.0));
    const Funds funds = h.stored_funds();
    CHECK(funds.realized_pnl == to_paise(100));
    CHECK(funds.used_margin == position->margin_blocked);
    CHECK(funds.available + funds.used_margin == funds.total_capital + funds.realized_pnl);
    CHECK(h.open_quantity("SBIN", "NSE", "MIS") == -15);
  }

  TEST_CASE("modify changes quantity and price and re-prices the margin") {
    Harness h;
    h.market().set_quote("SBIN", "NSE", {800, 0, 0, 0});
    const std::string orderid = orderid_of(h.place("SBIN", "NSE", "BUY", 10, "LIMIT", "MIS", 790));
    const Reply reply = h.modify({orderid, 20, 780, 0});
    CHECK(reply.status == 200);
    CHECK(message_of(reply) == "Order modified successfully");
    const auto order = h.stored_order(orderid);
    CHECK(order->quantity == 20);
    CHECK(order->pending_quantity == 20);
    CHECK(order->price == 780);
    CHECK(order->margin_blocked == to_paise(20 * 780 / 5.0));
    CHECK(h.stored_funds().used_margin == order->margin_blocked);
  }

  TEST_CASE("modify refuses fields the order type does not take") {
    Harness h;
    h.market().set_quote("SBIN", "NSE", {800, 0, 0, 0});
    const std::string limit = orderid_of(h.place("SBIN", "NSE", "BUY", 10, "LIMIT", "MIS", 790));
    CHECK(message_of(h.modify({limit, 0, 0, 785})) == "LIMIT orders do not accept a trigger_price");
    const std::string stop = orderid_of(h.place("SBIN", "NSE", "BUY", 10, "SL-M", "MIS", 0, 810));
    CHECK(message_of(h.modify({stop, 0, 812, 0})) == "SL-M orders do not accept a price");
    const std::string future = orderid_of(h.place("NIFTY28AUG25FUT", "NFO", "BUY", 75, "LIMIT", "NRML", 24000));
    CHECK(message_of(h.modify({future, 100, 0, 0})) == "Quantity must be in multiples of lot size 75");
  }

  TEST_CASE("modify is refused beyond available funds and leaves the order as it was") {
    EngineOptions options;
    options.starting_capital = 100000;
    Harness h(options);
    const std::string orderid = orderid_of(h.place("SBIN", "NSE", "BUY", 100, "LIMIT", "CNC", 800));
    const Reply reply = h.modify({orderid, 200, 0, 0});
    CHECK(reply.status == 400);
    CHECK(message_of(reply).starts_with("Insufficient funds."));
    CHECK(h.stored_order(orderid)->quantity == 100);
    CHECK(h.stored_funds().used_margin == to_paise(80000));
  }

  TEST_CASE("a filled order cannot be modified and the refusal names its status") {
    Harness h;
    h.market().set_quote("SBIN", "NSE", {800, 0, 0, 0});
    const std::string orderid = orderid_of(h.place("SBIN", "NSE", "BUY", 10, "MARKET", "CNC"));
    const Reply reply = h.modify({orderid, 20, 0, 0});
    CHECK(reply.status == 400);
    CHECK(message_of(reply) == "Cannot modify order in complete status");
    CHECK(h.stored_order(orderid)->quantity == 10);
  }

  TEST_CASE("modify cannot raise a resting CNC sell beyond the shares held") {
    Harness h;
    h.market().set_quote("SBIN", "NSE", {800, 0, 0, 0});
    h.place("SBIN", "NSE", "BUY", 10, "MARKET", "CNC");
    const std::string sell = orderid_of(h.place("SBIN", "NSE", "SELL", 10, "LIMIT", "CNC", 900));
    const Reply reply = h.modify({sell, 11, 0, 0});
    CHECK(reply.status == 400);
    CHECK(message_of(reply).find("Only 10 shares available") != std::string::npos);
    CHECK(h.stored_order(sell)->quantity == 10);
  }

  TEST_CASE("cancel releases the order's margin exactly once") {
    Harness h;
    const std::string orderid = orderid_of(h.place("SBIN", "NSE", "BUY", 10, "LIMIT", "MIS", 790));
    CHECK(h.stored_funds().used_margin == to_paise(1580));
    const Reply reply = h.cancel(orderid);
    CHECK(reply.status == 200);
    CHECK(message_of(reply) == "Order cancelled successfully");
    CHECK(h.stored_funds().used_margin == 0);
    CHECK(h.stored_funds().available == to_paise(10000000));
    const Reply again = h.cancel(orderid);
    CHECK(again.status == 400);
    CHECK(message_of(again) == "Cannot cancel order in cancelled status");
    CHECK(h.stored_funds().available == to_paise(10000000));
    CHECK_FALSE(h.market().watching("SBIN", "NSE"));
  }

  TEST_CASE("another user's order is not found") {
    Harness h;
    const std::string orderid = orderid_of(h.place("SBIN", "NSE", "BUY", 10, "LIMIT", "MIS", 790));
    h.set_user(h.database().add_user("someone else"));
    CHECK(h.cancel(orderid).status == 404);
    CHECK(message_of(h.order_status(orderid)) == "Order " + orderid + " not found");
  }

  TEST_CASE("cancel all cancels trigger pending orders too") {
    Harness h;
    h.market().set_quote("SBIN", "NSE", {800, 0, 0, 0});
    const std::string limit = orderid_of(h.place("SBIN", "NSE", "BUY", 10, "LIMIT", "MIS", 790));
    const std::string stop = orderid_of(h.place("SBIN", "NSE", "BUY", 10, "SL", "MIS", 812, 810));
    CHECK(h.stored_order(stop)->status == OrderStatus::TriggerPending);
    const Reply reply = h.cancel_all();
    CHECK(message_of(reply) == "Canceled 2 orders. Failed to cancel 0 orders.");
    CHECK(reply.body.at("canceled_orders").as_array().size() == 2);
    CHECK(h.stored_order(limit)->status == OrderStatus::Cancelled);
    CHECK(h.stored_order(stop)->status == OrderStatus::Cancelled);
    CHECK(h.stored_funds().used_margin == 0);
    CHECK(message_of(h.cancel_all()) == "No open orders to cancel");
  }

  TEST_CASE("close all squares off every open position with MARKET orders") {
    Harness h;
    h.market().set_quote("SBIN", "NSE", {800, 0, 0, 0});
    h.market().set_quote("ZEEL", "NSE", {112, 0, 0, 0});
    CHECK(message_of(h.close_all()) == "No open positions to close");
    h.place("SBIN", "NSE", "BUY", 10);
    h.place("ZEEL", "NSE", "SELL", 100);
    const Reply reply = h.close_all();
    CHECK(message_of(reply) == "Closed 2 positions");
    CHECK(reply.body.at("closed_positions") == 2);
    CHECK(h.stored_position("SBIN", "NSE", "MIS")->quantity == 0);
    CHECK(h.stored_position("ZEEL", "NSE", "MIS")->quantity == 0);
    CHECK(h.stored_funds().used_margin == 0);
  }

  TEST_CASE("the order book lists this session's orders newest first with statistics") {
    Harness h;
    h.market().set_quote("SBIN", "NSE", {800, 0, 0, 0});
    h.place("SBIN", "NSE", "BUY", 10);
    h.clock().advance(1000);
    const std::string second = orderid_of(h.place("SBIN", "NSE", "SELL", 5, "LIMIT", "MIS", 900));
    const Reply book = h.order_book();
    const auto& row = first_order(book);
    CHECK(text(row.at("orderid")) == second);
    CHECK(row.at("quantity").is_int64());
    CHECK(row.at("pricetype") == "LIMIT");
    CHECK(row.at("timestamp") == "2025-08-22 10:00:01");
    const auto& statistics = book.body.at("data").at("statistics");
    CHECK(statistics.at("total_buy_orders") == 1);
    CHECK(statistics.at("total_sell_orders") == 1);
    CHECK(statistics.at("total_completed_orders") == 1);
    CHECK(statistics.at("total_open_orders") == 1);

    h.clock().set(ist(2025, 8, 23, 10, 0));
    CHECK(h.order_book().body.at("data").at("orders").as_array().empty());
  }

  TEST_CASE("the trade book, order status and funds answer in OpenAlgo's shapes") {
    Harness h;
    h.market().set_quote("SBIN", "NSE", {800, 0, 0, 0});
    const std::string orderid = orderid_of(h.place("SBIN", "NSE", "BUY", 10));
    const Reply trades = h.trade_book();
    const auto& trade = trades.body.at("data").as_array().at(0).as_object();
    CHECK(text(trade.at("orderid")) == orderid);
    CHECK(number(trade.at("trade_value")) == 8000);
    CHECK(std::string(trade.at("tradeid").as_string()).starts_with("TRADE-20250822-100000-"));

    const Reply status = h.order_status(orderid);
    CHECK(status.body.at("data").at("price_type") == "MARKET");
    CHECK(status.body.at("data").at("order_status") == "complete");

    h.market().set_quote("SBIN", "NSE", {810, 0, 0, 0});
    h.clock().advance(10'000);  // the tick-fed price is stale: the view fetches one
    const Reply view = h.funds();
    const auto& funds = view.body.at("data");
    CHECK(number(funds.at("availablecash")) == 10000000 - 1600);
    CHECK(number(funds.at("utiliseddebits")) == 1600);
    CHECK(number(funds.at("m2munrealized")) == 100);
    CHECK(funds.at("reset_count") == 0);
    CHECK(number(funds.at("collateral")) == 0);
  }

  TEST_CASE("the position book shows open positions and today's closed ones with P&L, and NRML ones carry forward") {
    Harness h;
    h.market().set_quote("SBIN", "NSE", {800, 0, 0, 0});
    h.place("SBIN", "NSE", "BUY", 10, "MARKET", "CNC");
    h.market().set_quote("SBIN", "NSE", {810, 0, 0, 0});
    h.place("SBIN", "NSE", "SELL", 10, "MARKET", "CNC");  // closed with P&L
    h.market().set_quote("ZEEL", "NSE", {100, 0, 0, 0});
    h.place("ZEEL", "NSE", "BUY", 10, "MARKET", "MIS");
    h.place("ZEEL", "NSE", "SELL", 10, "MARKET", "MIS");  // closed without P&L
    h.market().set_quote("NIFTY28AUG25FUT", "NFO", {24000, 0, 0, 0});
    h.place("NIFTY28AUG25FUT", "NFO", "BUY", 75, "MARKET", "NRML");
    auto symbols = [&h] {
      std::set<std::string> shown;
      const Reply book = h.position_book();
      for (const auto& row : book.body.at("data").as_array()) shown.insert(text(row.at("symbol")));
      return shown;
    };
    CHECK(symbols() == std::set<std::string>{"SBIN", "NIFTY28AUG25FUT"});
    h.clock().set(ist(2025, 8, 25, 10, 0));  // the next trading day
    h.run_schedules();
    CHECK(symbols() == std::set<std::string>{"NIFTY28AUG25FUT"});
  }

  TEST_CASE("the position book marks open positions and totals today's P&L") {
    Harness h;
    h.market().set_quote("SBIN", "NSE", {800, 0, 0, 0});
    h.place("SBIN", "NSE", "BUY", 10);
    h.tick("SBIN", "NSE", 805);
    const Reply book = h.position_book();
    const auto& row = book.body.at("data").as_array().at(0).as_object();
    CHECK(row.at("quantity") == 10);
    CHECK(number(row.at("ltp")) == 805);
    CHECK(number(row.at("unrealized_pnl")) == 50);
    CHECK(number(book.body.at("total_pnl")) == 50);
  }
}

TEST_SUITE("sandbox") {
  TEST_CASE("the order listener hears each stored status change once it is committed") {
    std::vector<std::string> heard;
    EngineOptions options;
    options.on_order_event = [&heard](const Order& order) {
      heard.push_back(order.orderid + " " + std::string(to_string(order.status)));
    };
    Harness h(options);
    h.market().set_quote("SBIN", "NSE", {800, 799.9, 800.1, 0});
    const std::string orderid = orderid_of(h.place("SBIN", "NSE", "BUY", 10, "LIMIT", "MIS", 790));
    CHECK(heard == std::vector<std::string>{orderid + " open"});
    h.tick("SBIN", "NSE", 789, 788.9, 789.0);
    CHECK(heard == std::vector<std::string>{orderid + " open", orderid + " complete"});
    CHECK(order_update_fields(*h.stored_order(orderid)).at("order_status") == "complete");
  }
}
