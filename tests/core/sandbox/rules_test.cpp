// The sandbox's pure rules: IST time, margin, validation, fills, netting,
// the funds ledger and schedules.
#include <doctest/doctest.h>

#include "sandbox/fill_rules.hpp"
#include "sandbox/funds.hpp"
#include "sandbox/ist_time.hpp"
#include "sandbox/margin.hpp"
#include "sandbox/order_validation.hpp"
#include "sandbox/positions.hpp"
#include "sandbox/schedules.hpp"
#include "sandbox_fixture.hpp"

using namespace oa::sandbox;
using oa::sandbox::test::ist;

namespace {

Instrument equity(const std::string& symbol = "SBIN") { return {symbol, "NSE", "EQ", "", 1, 0.05, 1}; }
Instrument nifty_future() { return {"NIFTY28AUG25FUT", "NFO", "FUT", "28-AUG-25", 75, 0.1, 1}; }
Instrument nifty_call() { return {"NIFTY28AUG2524000CE", "NFO", "CE", "28-AUG-25", 75, 0.05, 1}; }

OrderRequest request(const std::string& action, double quantity, const std::string& pricetype = "MARKET",
                     const std::string& product = "MIS", const std::string& exchange = "NSE") {
  OrderRequest r;
  r.strategy = "s";
  r.symbol = "SBIN";
  r.exchange = exchange;
  r.action = action;
  r.quantity = quantity;
  r.pricetype = pricetype;
  r.product = product;
  return r;
}

std::string refusal(const OrderRequest& r) {
  const auto checked = check_request(r);
  const auto* error = std::get_if<RequestError>(&checked);
  return error ? error->message : "";
}

Order resting(Action action, PriceType type, double price, double trigger = 0,
              OrderStatus status = OrderStatus::Open) {
  Order order;
  order.action = action;
  order.price_type = type;
  order.price = price;
  order.trigger_price = trigger;
  order.status = status;
  order.quantity = 1;
  return order;
}

Position position_of(double quantity, double average, Paise margin) {
  Position p;
  p.key = {1, "SBIN", "NSE", Product::Mis};
  p.quantity = quantity;
  p.average_price = average;
  p.margin_blocked = margin;
  return p;
}

}  // namespace

TEST_SUITE("sandbox") {
  // --- IST time --------------------------------------------------------------

  TEST_CASE("IST is UTC plus five and a half hours with no daylight saving") {
    const std::int64_t at = ist(2025, 8, 22, 15, 15);
    CHECK(format_utc_iso(at) == "2025-08-22T09:45:00.000Z");
    CHECK(format_ist_timestamp(at) == "2025-08-22 15:15:00");
    CHECK(ist_minute_of_day(at) == 915);
    CHECK(ist_day(at).weekday == 4);  // a Friday
    CHECK(ist_midnight(at) == ist(2025, 8, 22, 0, 0));
  }

  TEST_CASE("the last daily boundary is today's when passed, else yesterday's") {
    CHECK(last_daily_boundary(ist(2025, 8, 22, 2, 0), at(3, 0)) == ist(2025, 8, 21, 3, 0));
    CHECK(last_daily_boundary(ist(2025, 8, 22, 3, 0), at(3, 0)) == ist(2025, 8, 22, 3, 0));
  }

  TEST_CASE("store timestamps read back to the millisecond") {
    const std::int64_t at = ist(2025, 1, 31, 9, 15) + 123;
    CHECK(parse_utc_iso(format_utc_iso(at)) == at);
    CHECK_FALSE(parse_utc_iso("yesterday").has_value());
  }

  TEST_CASE("clock times are HH:MM in 24 hours") {
    CHECK(parse_clock_time("15:15") == 915);
    CHECK_FALSE(parse_clock_time("24:00").has_value());
    CHECK_FALSE(parse_clock_time("9:15").has_value());
    CHECK(format_clock_time(at(9, 5)) == "09:05");
  }

  // --- Margin ----------------------------------------------------------------

  TEST_CASE("leverage follows segment, product and side with OpenAlgo's defaults") {
    const Leverage leverage;
    CHECK(leverage_for(leverage, ContractKind::Equity, Product::Mis, Action::Buy) == 5);
    CHECK(leverage_for(leverage, ContractKind::Equity, Product::Cnc, Action::Buy) == 1);
    CHECK(leverage_for(leverage, ContractKind::Future, Product::Nrml, Action::Sell) == 10);
    CHECK(leverage_for(leverage, ContractKind::Option, Product::Mis, Action::Buy) == 1);
    CHECK(leverage_for(leverage, ContractKind::Option, Product::Mis, Action::Sell) == 1);
    CHECK(leverage_for(leverage, ContractKind::Other, Product::Mis, Action::Buy) == 1);
  }

  TEST_CASE("RELIANCE MIS at 100 x 1500 needs a fifth of the notional and CNC all of it") {
    const Leverage leverage;
    CHECK(margin_for(100, 1500, leverage_for(leverage, ContractKind::Equity, Product::Mis, Action::Buy)) ==
          to_paise(30000));
    CHECK(margin_for(100, 1500, leverage_for(leverage, ContractKind::Equity, Product::Cnc, Action::Buy)) ==
          to_paise(150000));
  }

  TEST_CASE("leverage outside 1 to 50 is refused") {
    Leverage leverage;
    leverage.futures = 51;
    CHECK(check_leverage(leverage).value_or("").find("futures_leverage") != std::string::npos);
    CHECK_FALSE(check_leverage(Leverage{}).has_value());
  }

  TEST_CASE("contracts are classified by instrument type, else by symbol suffix") {
    CHECK(contract_kind(equity()) == ContractKind::Equity);
    CHECK(contract_kind(nifty_future()) == ContractKind::Future);
    CHECK(contract_kind(nifty_call()) == ContractKind::Option);
    CHECK(contract_kind({"BANKNIFTY25SEP25FUT", "NFO", "", "", 1, 1, 1}) == ContractKind::Future);
    CHECK(contract_kind({"BTCUSDFUT", "CRYPTO", "PERPFUT", "", 1, 1, 1}) == ContractKind::Future);
    CHECK(contract_kind({"BTCUSDT", "CRYPTO", "", "", 1, 1, 1}) == ContractKind::Future);
    CHECK(contract_kind({"NIFTY", "NSE_INDEX", "", "", 1, 1, 1}) == ContractKind::Other);
  }

  TEST_CASE("a CNC sell of equity blocks no margin while every other order does") {
    CHECK_FALSE(requires_margin(ContractKind::Equity, Product::Cnc, Action::Sell));
    CHECK(requires_margin(ContractKind::Equity, Product::Mis, Action::Sell));
    CHECK(requires_margin(ContractKind::Equity, Product::Cnc, Action::Buy));
    CHECK(requires_margin(ContractKind::Option, Product::Nrml, Action::Sell));
  }

  TEST_CASE("margin is priced at the side a MARKET order fills on, the limit, or the stop") {
    const Quote quote{100, 99.9, 100.2, 0};
    CHECK(margin_price(PriceType::Market, Action::Buy, 0, 0, quote) == 100.2);
    CHECK(margin_price(PriceType::Market, Action::Sell, 0, 0, quote) == 99.9);
    CHECK(margin_price(PriceType::Market, Action::Buy, 0, 0, Quote{100, 0, 0, 0}) == 100);
    CHECK_FALSE(margin_price(PriceType::Market, Action::Buy, 0, 0, std::nullopt).has_value());
    CHECK(margin_price(PriceType::Limit, Action::Buy, 98, 0, quote) == 98);
    CHECK(margin_price(PriceType::StopLimit, Action::Buy, 102, 101, quote) == 102);
    CHECK(margin_price(PriceType::StopLimit, Action::Sell, 97, 98, quote) == 98);
    CHECK(margin_price(PriceType::StopMarket, Action::Sell, 0, 95, quote) == 95);
  }

  TEST_CASE("the insufficient funds message names required, available and shortage") {
    CHECK(insufficient_funds_message(to_paise(1500), to_paise(1000.5)) ==
          "Insufficient funds. Required: ₹1500.00, Available: ₹1000.50, Shortage: ₹499.50");
  }

  // --- Validation --------------------------------------------------------------

  TEST_CASE("request checks run in OpenAlgo's order with its messages") {
    OrderRequest r = request("BUY", 1);
    r.symbol = "";
    CHECK(refusal(r) == "Missing required field: symbol");
    CHECK(refusal(request("BUY", 0)) == "Missing required field: quantity");
    CHECK(refusal(request("HOLD", 1)) == "Invalid action. Must be BUY or SELL");
    CHECK(refusal(request("BUY", 1, "STOP")) == "Invalid price_type. Must be MARKET, LIMIT, SL, or SL-M");
    CHECK(refusal(request("BUY", 1, "MARKET", "BO")) == "Invalid product. Must be CNC, NRML, or MIS");
    CHECK(refusal(request("BUY", 1, "MARKET", "NRML")) ==
          "NRML product not allowed for NSE equity segment. Use CNC for delivery or MIS for intraday.");
    CHECK(refusal(request("BUY", 1, "MARKET", "CNC", "NFO")) ==
          "CNC product not allowed for NFO derivatives segment. Use NRML for carryforward or MIS for intraday.");
    CHECK(refusal(request("BUY", -5)) == "Quantity must be positive");
    CHECK(refusal(request("BUY", 1.5)) == "Fractional quantity (1.5) is not allowed for non-crypto exchanges.");
    CHECK(refusal(request("BUY", 1, "LIMIT")) == "LIMIT orders require price");
    CHECK(refusal(request("BUY", 1, "SL-M")) == "SL-M orders require trigger_price");
    OrderRequest sl = request("BUY", 1, "SL");
    sl.price = 100;
    CHECK(refusal(sl) == "SL orders require trigger_price");
    CHECK(refusal(request("BUY", 1, "MARKET", "MIS", "NSE_INDEX")) ==
          "Invalid exchange. Must be one of NSE, BSE, NFO, BFO, CDS, BCD, MCX, NCDEX, NCO, CRYPTO");
  }

  TEST_CASE("a valid request is upper-cased and keeps only the prices its type uses") {
    OrderRequest r = request("buy", 2, "market", "cnc");
    r.price = 101;
    r.trigger_price = 99;
    const auto valid = std::get<ValidRequest>(check_request(r));
    CHECK(valid.action == Action::Buy);
    CHECK(valid.product == Product::Cnc);
    CHECK(valid.price == 0);
    CHECK(valid.trigger_price == 0);
  }

  TEST_CASE("crypto accepts fractional quantities") {
    OrderRequest r = request("BUY", 0.002, "MARKET", "NRML", "CRYPTO");
    CHECK(std::holds_alternative<ValidRequest>(check_request(r)));
  }

  TEST_CASE("derivatives trade in whole lots") {
    CHECK(check_lot_size(150, nifty_future()) == std::nullopt);
    CHECK(check_lot_size(100, nifty_future()) == "Quantity must be in multiples of lot size 75");
    CHECK(check_lot_size(7, equity()) == std::nullopt);
    CHECK(check_lot_size(0.003, {"BTCUSDFUT", "CRYPTO", "PERPFUT", "", 0.001, 0.5, 1}) == std::nullopt);
  }

  TEST_CASE("new MIS exposure is refused after square-off and before the open") {
    const ScheduleOptions schedule;
    const auto valid = std::get<ValidRequest>(check_request(request("BUY", 10)));
    const std::string message =
        "MIS orders cannot be placed after square-off time (15:15 IST). Trading resumes at 09:00 AM IST.";
    CHECK(check_mis_blackout(schedule, valid, 0, ist(2025, 8, 22, 15, 14)) == std::nullopt);
    CHECK(check_mis_blackout(schedule, valid, 0, ist(2025, 8, 22, 15, 15)) == message);
    CHECK(check_mis_blackout(schedule, valid, 0, ist(2025, 8, 23, 8, 59)) == message);
    CHECK(check_mis_blackout(schedule, valid, -10, ist(2025, 8, 22, 15, 30)) == std::nullopt);
  }

  TEST_CASE("after square-off an opposite MIS order may reduce a position but not reverse it") {
    const auto buy = std::get<ValidRequest>(check_request(request("BUY", 20)));
    CHECK(check_mis_blackout(ScheduleOptions{}, buy, -10, ist(2025, 8, 22, 15, 30)).has_value());
  }

  TEST_CASE("a CNC sell needs shares in the day position or holdings") {
    const auto sell = [](double quantity) {
      return std::get<ValidRequest>(check_request(request("SELL", quantity, "MARKET", "CNC")));
    };
    CHECK(check_cnc_sell(sell(100), 0, 0, 0).value_or("").find("No positions or holdings available") !=
          std::string::npos);
    CHECK(check_cnc_sell(sell(50), 100, 0, 0) == std::nullopt);
    CHECK(check_cnc_sell(sell(100), 50, 0, 0) ==
          "Cannot sell 100 shares of SBIN in CNC. Only 50 shares available (Position: 50, Holdings: 0)");
    CHECK(check_cnc_sell(sell(150), 0, 200, 0) == std::nullopt);
    CHECK(check_cnc_sell(sell(120), 50, 100, 0) == std::nullopt);
    // Sold from holdings today: the negative day position counts, so the same
    // shares cannot be sold twice before T+1.
    CHECK(check_cnc_sell(sell(100), -150, 200, 0).has_value());
    CHECK(check_cnc_sell(sell(60), 100, 0, 50).value_or("").find("Only 50 shares available") !=
          std::string::npos);
  }

  // --- Fill rules --------------------------------------------------------------

  TEST_CASE("a MARKET order takes the ask or bid, or the LTP when there is no depth") {
    const Order buy = resting(Action::Buy, PriceType::Market, 0);
    CHECK(on_arrival(buy, {100, 99.95, 100.05, 0}).price == 100.05);
    CHECK(on_arrival(resting(Action::Sell, PriceType::Market, 0), {100, 99.95, 100.05, 0}).price == 99.95);
    CHECK(on_arrival(buy, {100, 0, 0, 0}).price == 100);
    CHECK(on_quote(buy, {100, 99.95, 100.05, 0}).price == 100.05);
  }

  TEST_CASE("a marketable LIMIT fills at the taker price and a resting one at its limit") {
    const Order buy = resting(Action::Buy, PriceType::Limit, 101);
    const FillDecision arriving = on_arrival(buy, {100, 99.9, 100.1, 0});
    CHECK(arriving.kind == FillDecision::Kind::Fill);
    CHECK(arriving.price == 100.1);
    CHECK(on_arrival(buy, {102, 101.9, 102.1, 0}).kind == FillDecision::Kind::None);
    CHECK(on_quote(buy, {102, 0, 0, 0}).kind == FillDecision::Kind::None);
    const FillDecision crossed = on_quote(buy, {100.5, 0, 0, 0});
    CHECK(crossed.kind == FillDecision::Kind::Fill);
    CHECK(crossed.price == 101);
    CHECK(on_quote(resting(Action::Sell, PriceType::Limit, 105), {105, 0, 0, 0}).price == 105);
  }

  TEST_CASE("an SL-M waits for its trigger and then fills at market") {
    const Order stop = resting(Action::Sell, PriceType::StopMarket, 0, 95, OrderStatus::TriggerPending);
    CHECK(on_quote(stop, {96, 0, 0, 0}).kind == FillDecision::Kind::None);
    const FillDecision hit = on_quote(stop, {94.5, 94.4, 94.6, 0});
    CHECK(hit.kind == FillDecision::Kind::Fill);
    CHECK(hit.price == 94.4);
  }

  TEST_CASE("an SL fills when trigger and limit allow, else rests as a LIMIT") {
    const Order stop = resting(Action::Buy, PriceType::StopLimit, 101, 100, OrderStatus::TriggerPending);
    CHECK(on_quote(stop, {99, 0, 0, 0}).kind == FillDecision::Kind::None);
    CHECK(on_quote(stop, {100.5, 0, 0, 0}).price == 100.5);
    CHECK(on_quote(stop, {102, 0, 0, 0}).kind == FillDecision::Kind::Triggered);
    Order triggered = stop;
    triggered.status = OrderStatus::Open;
    // Once triggered it is a resting LIMIT, whatever the trigger says now.
    CHECK(on_quote(triggered, {99, 0, 0, 0}).price == 101);
  }

  TEST_CASE("a quote without an LTP fills nothing") {
    CHECK(on_quote(resting(Action::Buy, PriceType::Market, 0), {0, 0, 0, 0}).kind ==
          FillDecision::Kind::None);
  }

  // --- Positions ---------------------------------------------------------------

  TEST_CASE("a first fill opens a position at the fill price with the order's margin") {
    const FillEffect effect = apply_fill(position_of(0, 0, 0), Action::Buy, 100, 112.5, 1, 5000, 7);
    CHECK(effect.after.quantity == 100);
    CHECK(effect.after.average_price == 112.5);
    CHECK(effect.after.margin_blocked == 5000);
    CHECK(effect.after.opened_ms == 7);
    CHECK(effect.realized == 0);
  }

  TEST_CASE("adding averages the price and adds the margin") {
    const FillEffect effect = apply_fill(position_of(100, 100, 2000), Action::Buy, 100, 110, 1, 2200, 7);
    CHECK(effect.after.quantity == 200);
    CHECK(effect.after.average_price == doctest::Approx(105));
    CHECK(effect.after.margin_blocked == 4200);
  }

  TEST_CASE("reducing realises P&L and releases margin in proportion") {
    const FillEffect effect = apply_fill(position_of(100, 100, 2000), Action::Sell, 40, 110, 1, 0, 7);
    CHECK(effect.after.quantity == 60);
    CHECK(effect.realized == to_paise(400));
    CHECK(effect.margin_released == 800);
    CHECK(effect.after.margin_blocked == 1200);
    CHECK(effect.after.today_realized_pnl == to_paise(400));
  }

  TEST_CASE("a short gains when the price falls") {
    const FillEffect effect = apply_fill(position_of(-50, 200, 2000), Action::Buy, 50, 190, 1, 0, 7);
    CHECK(effect.after.quantity == 0);
    CHECK(effect.realized == to_paise(500));
    CHECK(effect.margin_released == 2000);
    CHECK(effect.after.margin_blocked == 0);
  }

  TEST_CASE("one fill can flip a long into a short at the fill price") {
    const FillEffect effect = apply_fill(position_of(100, 100, 2000), Action::Sell, 150, 90, 1, 900, 7);
    CHECK(effect.after.quantity == -50);
    CHECK(effect.after.average_price == 90);
    CHECK(effect.realized == to_paise(-1000));
    CHECK(effect.margin_released == 2000);
    CHECK(effect.after.margin_blocked == 900);
    CHECK(effect.after.opened_ms == 7);
  }

  TEST_CASE("netting splits an order into its closing and opening parts") {
    CHECK(net_against(100, Action::Sell, 150).closing == 100);
    CHECK(net_against(100, Action::Sell, 150).opening == 50);
    CHECK(net_against(100, Action::Buy, 10).opening == 10);
    CHECK(net_against(-30, Action::Buy, 10).opening == 0);
  }

  TEST_CASE("contract value scales P&L") {
    Position p = position_of(10, 60000, 0);
    CHECK(unrealized_pnl(p, 61000, 0.001) == doctest::Approx(10));
    CHECK(apply_fill(p, Action::Sell, 10, 61000, 0.001, 0, 1).realized == to_paise(10));
  }

  TEST_CASE("unrealised P&L and its percent flip sign for shorts") {
    CHECK(unrealized_pnl(position_of(-10, 100, 0), 90, 1) == doctest::Approx(100));
    CHECK(pnl_percent(100, 90, -10) == doctest::Approx(10));
    CHECK(pnl_percent(100, 90, 10) == doctest::Approx(-10));
    CHECK(unrealized_pnl(position_of(10, 100, 0), 0, 1) == 0);
  }

  // --- Funds ledger --------------------------------------------------------------

  TEST_CASE("test_fund_manager: a new user starts with one crore available") {
    const Funds funds = opening_funds(1, to_paise(10000000), 0);
    CHECK(funds.available == to_paise(10000000));
    CHECK(funds.used_margin == 0);
  }

  TEST_CASE("test_fund_manager: block then release with profit credits the profit") {
    Funds funds = opening_funds(1, to_paise(10000000), 0);
    CHECK_FALSE(block(funds, to_paise(100000)).has_value());
    CHECK(funds.available == to_paise(9900000));
    CHECK(funds.used_margin == to_paise(100000));
    CHECK_FALSE(release(funds, to_paise(100000), to_paise(5000)).has_value());
    CHECK(funds.available == to_paise(10005000));
    CHECK(funds.today_realized_pnl == to_paise(5000));
  }

  TEST_CASE("test_fund_manager: blocking more than is available is refused") {
    Funds funds = opening_funds(1, to_paise(10000000), 0);
    CHECK(block(funds, to_paise(15000000)).value_or("").find("Insufficient funds") == 0);
    CHECK(funds.available == to_paise(10000000));
  }

  TEST_CASE("the ledger refuses zero blocks, negative releases and releasing more than is reserved") {
    Funds funds = opening_funds(1, to_paise(1000), 0);
    CHECK(block(funds, 0).has_value());
    CHECK(release(funds, -1, 0).has_value());
    CHECK(release(funds, 1, 0).has_value());
    CHECK(move_to_holdings(funds, 1, 0).has_value());
    CHECK(credit_sale(funds, 0, 0).has_value());
    CHECK(funds.used_margin == 0);
    CHECK(funds.available == to_paise(1000));
  }

  TEST_CASE("a loss on a position that held no margin still reaches the ledger") {
    Funds funds = opening_funds(1, to_paise(1000), 0);
    CHECK_FALSE(release(funds, 0, to_paise(-50)).has_value());
    CHECK(funds.available == to_paise(950));
    CHECK(funds.realized_pnl == to_paise(-50));
  }

  TEST_CASE("only OpenAlgo's capital choices are accepted") {
    CHECK(is_allowed_starting_capital(10000000));
    CHECK(is_allowed_starting_capital(100000));
    CHECK_FALSE(is_allowed_starting_capital(123456));
  }

  TEST_CASE("a fund reset restores capital and counts the reset") {
    Funds funds = opening_funds(1, to_paise(1000), 0);
    CHECK_FALSE(block(funds, 100).has_value());
    reset(funds, to_paise(500000), 9);
    CHECK(funds.available == to_paise(500000));
    CHECK(funds.used_margin == 0);
    CHECK(funds.reset_count == 1);
    CHECK(funds.last_reset_ms == 9);
  }

  // --- Schedules ---------------------------------------------------------------

  TEST_CASE("every exchange with MIS has a square-off time, NCO and CRYPTO included") {
    const ScheduleOptions schedule;
    CHECK(square_off_time(schedule, "NFO") == at(15, 15));
    CHECK(square_off_time(schedule, "CDS") == at(16, 45));
    CHECK(square_off_time(schedule, "MCX") == at(23, 30));
    CHECK(square_off_time(schedule, "NCDEX") == at(17, 0));
    CHECK(square_off_time(schedule, "NCO") == at(23, 30));
    CHECK(square_off_time(schedule, "CRYPTO").has_value());
    CHECK_FALSE(in_mis_blackout(schedule, "CRYPTO", ist(2025, 8, 22, 3, 0)));
  }

  TEST_CASE("expiry comes from the symbol's date, else the master contract's") {
    CHECK(contract_expiry(nifty_call())->day == 28);
    const auto from_master = contract_expiry({"726GS2033FUT", "NFO", "FUT", "25-APR-2024", 1, 1, 1});
    REQUIRE(from_master.has_value());
    CHECK(from_master->year == 2024);
    CHECK(from_master->month == 4);
    CHECK_FALSE(contract_expiry(equity()).has_value());
  }

  TEST_CASE("NFO contracts expire at 15:40 IST on expiry day, or the next day if configured") {
    ScheduleOptions schedule;
    CHECK(expired_from(schedule, nifty_future()) == ist(2025, 8, 28, 15, 40));
    CHECK(expired_from(schedule, {"USDINR29AUG25FUT", "CDS", "FUT", "", 1, 1, 1}) ==
          ist(2025, 8, 29, 17, 0));
    schedule.expire_next_day = true;
    CHECK(expired_from(schedule, nifty_future()) == ist(2025, 8, 29, 0, 0));
    CHECK_FALSE(expired_from(schedule, equity()).has_value());
  }

  TEST_CASE("a daily job is due once per boundary however long the gap") {
    const std::int64_t last = ist(2025, 8, 20, 0, 0);
    CHECK_FALSE(daily_due(last, ist(2025, 8, 20, 23, 59), at(0, 0)));
    CHECK(daily_due(last, ist(2025, 8, 21, 0, 0), at(0, 0)));
    CHECK(daily_due(last, ist(2025, 8, 25, 10, 0), at(0, 0)));
  }

  TEST_CASE("the weekly reset is due after the configured weekday and time") {
    // 2025-08-24 is a Sunday (weekday 6).
    CHECK(last_weekly_boundary(ist(2025, 8, 26, 12, 0), 6, at(0, 0)) == ist(2025, 8, 24, 0, 0));
    CHECK(weekly_due(ist(2025, 8, 23, 12, 0), ist(2025, 8, 24, 0, 1), 6, at(0, 0)));
    CHECK_FALSE(weekly_due(ist(2025, 8, 24, 0, 1), ist(2025, 8, 30, 23, 0), 6, at(0, 0)));
  }

  TEST_CASE("the trading session starts at SESSION_EXPIRY_TIME in IST") {
    const ScheduleOptions schedule;
    CHECK(session_start(schedule, ist(2025, 8, 22, 2, 59)) == ist(2025, 8, 21, 3, 0));
    CHECK(session_start(schedule, ist(2025, 8, 22, 10, 0)) == ist(2025, 8, 22, 3, 0));
  }
}
