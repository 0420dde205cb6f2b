// Order validation: OpenAlgo's checks, in its order, with its messages.
#include <doctest/doctest.h>

#include "sandbox/order_validation.hpp"
#include "sandbox_fixture.hpp"

using namespace oa::sandbox;
using oa::sandbox::test::ist;

namespace {

Instrument equity(const std::string& symbol = "SBIN") { return {symbol, "NSE", "EQ", "", 1, 0.05, 1}; }

Instrument nifty_future() { return {"NIFTY28AUG25FUT", "NFO", "FUT", "28-AUG-25", 75, 0.1, 1}; }

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

}  // namespace

TEST_SUITE("sandbox") {
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
}
