// Margin: leverage, what holds margin, and the price it is computed on.
#include <doctest/doctest.h>

#include "sandbox/margin.hpp"
#include "sandbox/segments.hpp"

using namespace oa::sandbox;

namespace {

Instrument equity(const std::string& symbol = "SBIN") { return {symbol, "NSE", "EQ", "", 1, 0.05, 1}; }

Instrument nifty_future() { return {"NIFTY28AUG25FUT", "NFO", "FUT", "28-AUG-25", 75, 0.1, 1}; }

Instrument nifty_call() { return {"NIFTY28AUG2524000CE", "NFO", "CE", "28-AUG-25", 75, 0.05, 1}; }

}  // namespace

TEST_SUITE("sandbox") {
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

  TEST_CASE("an order holds margin only for the exposure it opens") {
    const Leverage leverage;
    CHECK(margin_to_hold(leverage, equity(), Product::Mis, Action::Sell, 100, 40, 100) == 0);
    CHECK(margin_to_hold(leverage, equity(), Product::Mis, Action::Sell, 100, 150, 100) == to_paise(1000));
    CHECK(margin_to_hold(leverage, equity(), Product::Cnc, Action::Sell, 0, 150, 100) == 0);
    CHECK(margin_to_hold(leverage, nifty_future(), Product::Nrml, Action::Sell, 0, 75, 24000) ==
          to_paise(180000));
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
}
