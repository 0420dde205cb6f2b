// Books and funds in OpenAlgo's shapes (brokers.md §1.6, §3.1).
#include "zerodha_fixture.hpp"

using namespace oa::test;

namespace {

json::object place(ZerodhaPlugin& zerodha, const std::string& pricetype) {
  return zerodha.answer(Operation::PlaceOrder,
                        json::object{{"symbol", "SBIN"}, {"exchange", "NSE"}, {"action", "SELL"}, {"quantity", 5},
                                     {"pricetype", pricetype}, {"product", "CNC"}, {"price", 0}});
}

const json::object& by_id(const json::array& rows, std::string_view id) {
  for (const auto& row : rows)
    if (row.as_object().at("orderid").as_string() == id) return row.as_object();
  FAIL("no row for order " << id);
  static json::object none;
  return none;
}

}  // namespace

TEST_SUITE("zerodha books") {
  TEST_CASE("the order book maps symbols back to OpenAlgo's and every Kite status to OpenAlgo's") {
    ZerodhaPlugin zerodha;
    auto market = std::string(place(zerodha, "MARKET").at("orderid").as_string());
    auto orders = zerodha.answer(Operation::OrderBook, {}).at("orders").as_array();
    CHECK(by_id(orders, market).at("order_status") == "complete");
    CHECK(by_id(orders, market).at("price") == 0.0);
    CHECK(by_id(orders, market).at("action") == "SELL");
    CHECK(by_id(orders, "241125000009001").at("order_status") == "open");  // VALIDATION PENDING
    const auto& amo = by_id(orders, "241125000009002");                      // AMO REQ RECEIVED
    CHECK(amo.at("order_status") == "open");
    CHECK(amo.at("symbol") == "NIFTY05DEC2424000CE");
    CHECK(amo.at("pricetype") == "SL");
    CHECK(amo.at("trigger_price") == 120.0);
  }

  TEST_CASE("the trade book lists filled orders with their value") {
    ZerodhaPlugin zerodha;
    place(zerodha, "MARKET");
    auto trades = zerodha.answer_value(Operation::TradeBook, {}).as_array();
    REQUIRE(trades.size() == 1);
    CHECK(trades[0].at("symbol") == "SBIN");
    CHECK(trades[0].at("quantity") == 5);
    CHECK(trades[0].at("trade_value") == 4062.0);
  }

  TEST_CASE("positions and holdings come from Kite's net positions and holdings") {
    ZerodhaPlugin zerodha;
    auto positions = zerodha.answer_value(Operation::Positions, {}).as_array();
    REQUIRE(positions.size() == 3);
    CHECK(positions[2].at("symbol") == "NIFTY26DEC24FUT");
    CHECK(positions[2].at("quantity") == -25);
    CHECK(positions[0].at("ltp") == 812.4);
    auto holdings = zerodha.answer(Operation::Holdings, {}).at("holdings").as_array();
    REQUIRE(holdings.size() == 1);
    CHECK(holdings[0].at("symbol") == "RELIANCE");
    CHECK(holdings[0].at("pnlpercent") == 8.03);
  }

  TEST_CASE("funds add equity and commodity, computing cash rather than trusting Kite's available.cash") {
    ZerodhaPlugin zerodha;
    auto funds = zerodha.answer(Operation::Funds, {});
    CHECK(funds.at("availablecash") == "117500.00");  // 120000 net + 2500 debits - 5000 collateral
    CHECK(funds.at("collateral") == "5000.00");
    CHECK(funds.at("utiliseddebits") == "2500.00");
    CHECK(funds.at("m2mrealized") == "100.00");
    CHECK(funds.at("m2munrealized") == "1374.00");  // (812.4-800)*10 + (24350-24400)*-25
  }
}

TEST_SUITE("zerodha margin") {
  json::object position(const std::string& symbol, const std::string& exchange, const std::string& action) {
    return {{"symbol", symbol}, {"exchange", exchange}, {"action", action}, {"quantity", "25"},
            {"product", "NRML"}, {"pricetype", "LIMIT"}, {"price", "100"}, {"trigger_price", "0"}};
  }

  TEST_CASE("one position is priced by Kite's order calculator with Kite's own symbol") {
    ZerodhaPlugin zerodha;
    auto margin = zerodha.answer(Operation::Margin,
                                 {{"positions", json::array{position("NIFTY05DEC2424000CE", "NFO", "BUY")}}});
    CHECK(margin.at("span_margin").to_number<double>() == doctest::Approx(225.0));
    CHECK(margin.at("exposure_margin").to_number<double>() == doctest::Approx(75.0));
    CHECK(margin.at("total_margin_required").to_number<double>() == doctest::Approx(300.0));
    auto sent = zerodha.fake.requests_to("POST", "/margins/orders");
    REQUIRE(sent.size() == 1);
    auto orders = json::parse(sent[0].body).as_array();
    CHECK(orders[0].at("tradingsymbol") == "NIFTY24D0524000CE");
    CHECK(orders[0].at("quantity") == 25);
  }

  TEST_CASE("a basket is priced as a whole, with the offsets Kite gives for hedged sides") {
    ZerodhaPlugin zerodha;
    json::array basket{position("NIFTY05DEC2424000CE", "NFO", "BUY"), position("NIFTY05DEC2424000PE", "NFO", "SELL")};
    auto margin = zerodha.answer(Operation::Margin, {{"positions", basket}});
    CHECK(margin.at("total_margin_required").to_number<double>() == doctest::Approx(510.0));  // 600 - 20% of 450 span
    CHECK(zerodha.fake.requests_to("POST", "/margins/basket").size() == 1);
  }
}
