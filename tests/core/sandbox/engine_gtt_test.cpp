// GTT orders in the engine: margin, firing exactly once, OCO, modify,
// cancel, expiry, restart, the GTT book and the manual reset (reference
// sandbox.md §7.4, §8 and test_gtt_manager.py in §11).
#include <doctest/doctest.h>

#include "sandbox_fixture.hpp"

using namespace oa::sandbox;
using namespace oa::sandbox::test;

namespace {

constexpr Paise kCapital = 1'000'000'000;  // ₹1 crore in paise

std::size_t orders_in_book(Harness& h) { return h.order_book().body.at("data").at("orders").as_array().size(); }

const boost::json::array& gtt_rows(const Reply& book) { return book.body.at("data").as_array(); }

// Places a SINGLE BUY GTT on ZEEL firing at or above 105, limit 106, with ZEEL at 100.
std::string place_breakout(Harness& h, double quantity = 10) {
  h.market().set_quote("ZEEL", "NSE", {100, 0, 0, 0});
  const Reply placed = h.place_gtt(single_gtt("ZEEL", "BUY", quantity, 106, 0, 105));
  REQUIRE(placed.status == 200);
  return trigger_id_of(placed);
}

}  // namespace

TEST_SUITE("sandbox") {
  TEST_CASE("placing a GTT answers with its trigger id and blocks its margin") {
    Harness h;
    h.market().set_quote("ZEEL", "NSE", {100, 0, 0, 0});
    const Reply placed = h.place_gtt(single_gtt("ZEEL", "BUY", 10, 106, 0, 105));
    CHECK(placed.status == 200);
    CHECK(placed.body.at("mode") == "analyze");
    CHECK(placed.body.at("status") == "success");
    CHECK(h.stored_funds().used_margin == to_paise(10 * 106));
    CHECK(h.stored_funds().available == kCapital - to_paise(10 * 106));
    CHECK(h.stored_funds().used_margin == h.margin_held_by_orders_and_positions());
    CHECK(h.market().watching("ZEEL", "NSE"));
  }

  TEST_CASE("a GTT on an unknown symbol or beyond available funds is refused and blocks nothing") {
    Harness h;
    const Reply unknown = h.place_gtt(single_gtt("NOSUCH", "BUY", 1, 10, 0, 11));
    CHECK(unknown.status == 400);
    CHECK(message_of(unknown) == "Symbol NOSUCH not found on NSE");
    h.market().set_quote("ZEEL", "NSE", {100, 0, 0, 0});
    const Reply broke = h.place_gtt(single_gtt("ZEEL", "BUY", 200000, 106, 0, 105));
    CHECK(broke.status == 400);
    CHECK(message_of(broke).starts_with("Insufficient funds"));
    CHECK(h.funds().body.at("data").at("utiliseddebits").to_number<double>() == 0);
    CHECK(gtt_rows(h.gtt_book()).empty());
  }

  TEST_CASE("a GTT needs a whole number of lots and the product its segment allows") {
    Harness h;
    h.market().set_quote("NIFTY28AUG25FUT", "NFO", {24000, 0, 0, 0});
    GttRequest odd = single_gtt("NIFTY28AUG25FUT", "BUY", 10, 24100, 0, 24050, "NRML");
    odd.exchange = "NFO";
    CHECK(message_of(h.place_gtt(odd)) == "Quantity must be in multiples of lot size 75");
    CHECK(h.place_gtt(single_gtt("ZEEL", "BUY", 1, 100, 0, 105, "NRML")).status == 400);
  }

  TEST_CASE("two GTTs placed one after the other both reserve their margin") {
    Harness h;
    place_breakout(h);
    place_breakout(h);
    CHECK(h.stored_funds().used_margin == 2 * to_paise(10 * 106));
    CHECK(h.stored_funds().used_margin == h.margin_held_by_orders_and_positions());
  }

  TEST_CASE("a GTT fires once when a tick touches its trigger and its order fills") {
    Harness h;
    const std::string id = place_breakout(h);
    h.tick("ZEEL", "NSE", 104.95);
    CHECK(h.stored_gtt(id)->status == GttStatus::Active);
    h.tick("ZEEL", "NSE", 105);
    const auto fired = h.stored_gtt(id);
    CHECK(fired->status == GttStatus::Triggered);
    CHECK(fired->margin_blocked == 0);
    const std::string orderid = fired->legs[0].orderid;
    REQUIRE_FALSE(orderid.empty());
    CHECK(h.stored_order(orderid)->status == OrderStatus::Complete);
    CHECK(h.stored_order(orderid)->strategy == "gtt-test");
    h.tick("ZEEL", "NSE", 106);
    h.tick("ZEEL", "NSE", 105);
    CHECK(orders_in_book(h) == 1);
    CHECK(h.trade_count() == 1);
    CHECK(h.open_quantity("ZEEL", "NSE", "CNC") == 10);
    CHECK(h.stored_funds().used_margin == h.margin_held_by_orders_and_positions());
  }

  TEST_CASE("a fired LIMIT leg whose limit the price has passed rests until it crosses") {
    Harness h;
    h.market().set_quote("ZEEL", "NSE", {100, 0, 0, 0});
    const std::string id = trigger_id_of(h.place_gtt(single_gtt("ZEEL", "BUY", 10, 104, 0, 105)));
    h.tick("ZEEL", "NSE", 105.5);
    const std::string orderid = h.stored_gtt(id)->legs[0].orderid;
    CHECK(h.stored_order(orderid)->status == OrderStatus::Open);
    CHECK(h.stored_funds().used_margin == to_paise(10 * 104));
    h.tick("ZEEL", "NSE", 103.9);
    CHECK(h.stored_order(orderid)->status == OrderStatus::Complete);
    CHECK(h.stored_order(orderid)->average_price == 104);
  }

  TEST_CASE("a MARKET leg reserves margin at its trigger and fills at the price it fires on") {
    Harness h;
    h.market().set_quote("ZEEL", "NSE", {100, 0, 0, 0});
    GttRequest request = single_gtt("ZEEL", "BUY", 10, 0, 0, 105);
    request.pricetype = "MARKET";
    const std::string id = trigger_id_of(h.place_gtt(request));
    CHECK(h.stored_funds().used_margin == to_paise(10 * 105));
    h.tick("ZEEL", "NSE", 105.5);
    CHECK(h.stored_order(h.stored_gtt(id)->legs[0].orderid)->average_price == 105.5);
  }

  TEST_CASE("only one leg of an OCO fires, even when the price later crosses the other") {
    Harness h;
    h.market().set_quote("ZEEL", "NSE", {100, 0, 0, 0});
    h.place("ZEEL", "NSE", "BUY", 10, "MARKET", "CNC");
    const std::string id = trigger_id_of(h.place_gtt(oco_gtt("ZEEL", "SELL", 10, 95, 94, 105, 106)));
    h.tick("ZEEL", "NSE", 94.5);
    const auto fired = h.stored_gtt(id);
    CHECK(fired->status == GttStatus::Triggered);
    CHECK_FALSE(fired->legs[0].orderid.empty());
    CHECK(fired->legs[1].orderid.empty());
    h.tick("ZEEL", "NSE", 107);
    CHECK(orders_in_book(h) == 2);  // the buy and the stop-loss sell
    CHECK(h.open_quantity("ZEEL", "NSE", "CNC") == 0);
  }

  TEST_CASE("a burst of merged ticks through both OCO legs fires one leg") {
    Harness h;
    h.market().set_quote("ZEEL", "NSE", {100, 0, 0, 0});
    const std::string id = trigger_id_of(h.place_gtt(oco_gtt("ZEEL", "BUY", 10, 95, 96, 105, 106)));
    h.engine().on_tick("ZEEL", "NSE", Quote{94, 0, 0, 0});
    h.engine().on_tick("ZEEL", "NSE", Quote{106, 0, 0, 0});
    h.settle();
    const auto fired = h.stored_gtt(id);
    CHECK(fired->status == GttStatus::Triggered);
    CHECK(fired->legs[0].orderid.empty() != fired->legs[1].orderid.empty());
    CHECK(orders_in_book(h) == 1);
  }

  TEST_CASE("cancel returns exactly the GTT's margin, and a second cancel is 404 with no second refund") {
    Harness h;
    const std::string id = place_breakout(h);
    const Reply cancelled = h.cancel_gtt(id);
    CHECK(cancelled.status == 200);
    CHECK(trigger_id_of(cancelled) == id);
    CHECK(h.stored_funds().available == kCapital);
    CHECK(h.stored_funds().used_margin == 0);
    const Reply again = h.cancel_gtt(id);
    CHECK(again.status == 404);
    CHECK(message_of(again) == "No active GTT with trigger_id '" + id + "'");
    CHECK(h.stored_funds().available == kCapital);
  }

  TEST_CASE("a cancelled GTT never fires") {
    Harness h;
    const std::string id = place_breakout(h);
    h.cancel_gtt(id);
    h.tick("ZEEL", "NSE", 110);
    CHECK(orders_in_book(h) == 0);
    CHECK(h.stored_gtt(id)->status == GttStatus::Cancelled);
    CHECK_FALSE(h.market().watching("ZEEL", "NSE"));
  }

  TEST_CASE("a GTT that has fired can be neither cancelled nor modified") {
    Harness h;
    const std::string id = place_breakout(h);
    h.tick("ZEEL", "NSE", 105);
    REQUIRE(h.stored_gtt(id)->status == GttStatus::Triggered);
    CHECK(h.cancel_gtt(id).status == 404);
    GttRequest bigger = single_gtt("ZEEL", "BUY", 20, 106, 0, 105);
    bigger.trigger_id = id;
    CHECK(h.modify_gtt(bigger).status == 404);
    CHECK(h.stored_gtt(id)->status == GttStatus::Triggered);
    CHECK(h.stored_gtt(id)->legs[0].quantity == 10);
    CHECK(h.stored_funds().used_margin == h.margin_held_by_orders_and_positions());
  }

  TEST_CASE("used margin is what orders, positions and active GTTs hold as GTTs are placed, cancelled and fired") {
    Harness h;
    const std::string first = place_breakout(h);
    const std::string second = place_breakout(h, 20);
    CHECK(h.stored_funds().used_margin == to_paise(30 * 106));
    CHECK(h.stored_funds().used_margin == h.margin_held_by_orders_and_positions());
    h.cancel_gtt(first);
    CHECK(h.stored_funds().used_margin == to_paise(20 * 106));
    CHECK(h.stored_funds().used_margin == h.margin_held_by_orders_and_positions());
    h.tick("ZEEL", "NSE", 105);
    REQUIRE(h.stored_gtt(second)->status == GttStatus::Triggered);
    CHECK(h.stored_funds().used_margin == h.margin_held_by_orders_and_positions());
    CHECK(h.stored_funds().available + h.stored_funds().used_margin == kCapital);
  }

  TEST_CASE("a fired GTT whose order rests holds its margin once across a restart") {
    Harness h;
    h.market().set_quote("ZEEL", "NSE", {100, 0, 0, 0});
    const std::string id = trigger_id_of(h.place_gtt(single_gtt("ZEEL", "BUY", 10, 104, 0, 105)));
    h.tick("ZEEL", "NSE", 105.5);
    const std::string orderid = h.stored_gtt(id)->legs[0].orderid;
    REQUIRE(h.stored_order(orderid)->status == OrderStatus::Open);
    h.restart();
    h.run_schedules();
    CHECK(h.stored_funds().used_margin == to_paise(10 * 104));
    CHECK(h.stored_funds().used_margin == h.margin_held_by_orders_and_positions());
    h.tick("ZEEL", "NSE", 103.9);
    CHECK(h.stored_order(orderid)->status == OrderStatus::Complete);
    CHECK(h.trade_count() == 1);
    CHECK(orders_in_book(h) == 1);
  }

  TEST_CASE("the schedules' catch-up with no GTTs changes nothing") {
    Harness h;
    h.clock().advance(7 * kDayMs);
    h.run_schedules();
    CHECK(gtt_rows(h.gtt_book()).empty());
    const Reply reply = h.funds();
    const auto& funds = reply.body.at("data");
    CHECK(funds.at("availablecash").to_number<double>() == 10000000.0);
    CHECK(funds.at("utiliseddebits").to_number<double>() == 0);
  }

  TEST_CASE("another user's GTT is not found") {
    Harness h;
    const std::string id = place_breakout(h);
    h.set_user(h.database().add_user("other"));
    CHECK(h.cancel_gtt(id).status == 404);
  }

  TEST_CASE("modify reprices the legs and moves only the margin difference") {
    Harness h;
    const std::string id = place_breakout(h);
    GttRequest change = single_gtt("ZEEL", "BUY", 20, 108, 0, 107);
    change.trigger_id = id;
    const Reply modified = h.modify_gtt(change);
    CHECK(modified.status == 200);
    CHECK(h.stored_funds().used_margin == to_paise(20 * 108));
    CHECK(h.stored_funds().available == kCapital - to_paise(20 * 108));
    h.tick("ZEEL", "NSE", 106);
    CHECK(h.stored_gtt(id)->status == GttStatus::Active);
    h.tick("ZEEL", "NSE", 107);
    CHECK(h.stored_gtt(id)->status == GttStatus::Triggered);
  }

  TEST_CASE("modify cannot change the symbol, action or trigger type") {
    Harness h;
    const std::string id = place_breakout(h);
    GttRequest symbol = single_gtt("SBIN", "BUY", 10, 106, 0, 105);
    symbol.trigger_id = id;
    CHECK(message_of(h.modify_gtt(symbol)) ==
          "The symbol of a GTT cannot be modified; cancel it and place a new one");
    GttRequest action = single_gtt("ZEEL", "SELL", 10, 106, 0, 105);
    action.trigger_id = id;
    CHECK(h.modify_gtt(action).status == 400);
    GttRequest type = oco_gtt("ZEEL", "BUY", 10, 95, 96, 105, 106);
    type.trigger_id = id;
    CHECK(h.modify_gtt(type).status == 400);
    CHECK(h.stored_funds().used_margin == to_paise(10 * 106));
  }

  TEST_CASE("modify beyond available funds is refused and leaves the GTT as it was") {
    Harness h;
    const std::string id = place_breakout(h);
    GttRequest huge = single_gtt("ZEEL", "BUY", 200000, 106, 0, 105);
    huge.trigger_id = id;
    CHECK(message_of(h.modify_gtt(huge)).starts_with("Insufficient funds"));
    CHECK(h.stored_gtt(id)->legs[0].quantity == 10);
    CHECK(h.stored_funds().used_margin == to_paise(10 * 106));
  }

  TEST_CASE("a GTT whose order is refused ends rejected and does not fire again") {
    Harness h;
    h.market().set_quote("ZEEL", "NSE", {100, 0, 0, 0});
    // A CNC sell of shares the user does not have.
    const std::string id = trigger_id_of(h.place_gtt(single_gtt("ZEEL", "SELL", 10, 94, 95, 0)));
    h.tick("ZEEL", "NSE", 94.5);
    const auto gtt = h.stored_gtt(id);
    CHECK(gtt->status == GttStatus::Rejected);
    const auto order = h.stored_order(gtt->legs[0].orderid);
    CHECK(order->status == OrderStatus::Rejected);
    CHECK(order->rejection_reason.find("No positions or holdings available") != std::string::npos);
    h.tick("ZEEL", "NSE", 94);
    CHECK(orders_in_book(h) == 1);
  }

  TEST_CASE("a GTT expires at its expiry and releases its margin") {
    Harness h;
    h.market().set_quote("ZEEL", "NSE", {100, 0, 0, 0});
    GttRequest request = single_gtt("ZEEL", "BUY", 10, 106, 0, 105);
    request.expires_at = "2025-08-25 10:00:00";
    const std::string id = trigger_id_of(h.place_gtt(request));
    h.clock().set(ist(2025, 8, 25, 10, 1));
    h.run_schedules();
    CHECK(h.stored_gtt(id)->status == GttStatus::Expired);
    CHECK(h.stored_funds().used_margin == 0);
    CHECK(h.stored_funds().available == kCapital);
    CHECK(h.cancel_gtt(id).status == 404);
  }

  TEST_CASE("an active GTT survives a restart and fires once after it") {
    Harness h;
    const std::string id = place_breakout(h);
    h.restart();
    CHECK(h.market().watching("ZEEL", "NSE"));
    h.tick("ZEEL", "NSE", 105);
    CHECK(h.stored_gtt(id)->status == GttStatus::Triggered);
    h.restart();
    h.tick("ZEEL", "NSE", 105);
    CHECK(orders_in_book(h) == 1);
    CHECK(h.stored_funds().used_margin == h.margin_held_by_orders_and_positions());
  }

  TEST_CASE("the GTT book lists active GTTs with their trigger prices and legs, cancelled ones hidden") {
    Harness h;
    h.market().set_quote("ZEEL", "NSE", {100, 0, 0, 0});
    const std::string oco = trigger_id_of(h.place_gtt(oco_gtt("ZEEL", "SELL", 5, 95, 94, 105, 106)));
    const std::string single = place_breakout(h);
    h.cancel_gtt(single);
    const Reply book = h.gtt_book();
    CHECK(book.body.at("mode") == "analyze");
    REQUIRE(gtt_rows(book).size() == 1);
    const auto& row = gtt_rows(book)[0].as_object();
    CHECK(row.at("trigger_id").as_string() == oco);
    CHECK(row.at("trigger_type") == "two-leg");
    CHECK(row.at("status") == "active");
    CHECK(row.at("symbol") == "ZEEL");
    CHECK(row.at("exchange") == "NSE");
    CHECK(row.at("strategy") == "gtt-test");
    CHECK(row.at("last_price").to_number<double>() == 100);
    CHECK(row.at("trigger_prices") == boost::json::array{95.0, 105.0});
    CHECK(row.at("legs").as_array().size() == 2);
    CHECK(row.at("legs").at(0).at("price").to_number<double>() == 94);
    CHECK(row.at("legs").at(1).at("action") == "SELL");
    CHECK(row.at("created_at") == "2025-08-22T10:00:00");
    CHECK(row.at("margin_blocked").to_number<double>() == 0);
  }

  TEST_CASE("the weekly fund reset keeps active GTTs and their margin") {
    EngineOptions options;
    options.schedule.reset_weekday = 6;  // Sunday
    Harness h(options);
    const std::string id = place_breakout(h);
    h.clock().set(ist(2025, 8, 24, 0, 5));
    h.run_schedules();
    CHECK(h.stored_funds().reset_count == 1);
    CHECK(h.stored_gtt(id)->status == GttStatus::Active);
    CHECK(h.stored_funds().used_margin == to_paise(10 * 106));
    CHECK(h.stored_funds().used_margin == h.margin_held_by_orders_and_positions());
  }

  TEST_CASE("the manual reset deletes the user's activity and restores the capital") {
    Harness h;
    h.market().set_quote("ZEEL", "NSE", {100, 0, 0, 0});
    h.place("ZEEL", "NSE", "BUY", 10, "MARKET", "CNC");
    h.place("ZEEL", "NSE", "BUY", 10, "LIMIT", "CNC", 90);
    const std::string id = place_breakout(h);
    const std::int64_t mine = h.user();
    const std::int64_t other = h.database().add_user("other");
    h.set_user(other);
    h.place("ZEEL", "NSE", "BUY", 1, "MARKET", "CNC");
    h.set_user(mine);

    const Reply reset = h.reset();
    CHECK(reset.status == 200);
    CHECK(reset.body.at("reset_count") == 1);
    CHECK(orders_in_book(h) == 0);
    CHECK(h.trade_count() == 0);
    CHECK_FALSE(h.stored_position("ZEEL", "NSE", "CNC").has_value());
    CHECK_FALSE(h.stored_gtt(id).has_value());
    CHECK(h.stored_funds().available == kCapital);
    CHECK(h.stored_funds().used_margin == 0);
    h.tick("ZEEL", "NSE", 89);
    h.tick("ZEEL", "NSE", 110);
    CHECK(orders_in_book(h) == 0);

    h.set_user(other);
    CHECK(orders_in_book(h) == 1);  // the other user's order is untouched
  }
}
