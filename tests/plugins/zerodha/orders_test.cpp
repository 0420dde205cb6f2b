// Orders through Kite's regular variety: OpenAlgo's fields mapped through the
// value tables, Kite's refusals surfaced with its text.
#include "zerodha_fixture.hpp"

using namespace oa::test;

namespace {

json::object order(std::string symbol = "SBIN", std::string exchange = "NSE") {
  return {{"strategy", "s1"},   {"symbol", symbol}, {"exchange", exchange}, {"action", "BUY"},
          {"quantity", "10"},   {"pricetype", "LIMIT"}, {"product", "MIS"}, {"price", "812.5"},
          {"trigger_price", "0"}, {"disclosed_quantity", "0"}};
}

}  // namespace

TEST_SUITE("zerodha orders") {
  TEST_CASE("placeorder sends Kite's form with the broker symbol, authorised, and answers its order id") {
    ZerodhaPlugin zerodha;
    auto placed = zerodha.answer(Operation::PlaceOrder, order());
    auto sent = zerodha.fake.requests_to("POST", "/orders/regular");
    REQUIRE(sent.size() == 1);
    CHECK(placed.at("orderid") == "241125000010001");
    CHECK(sent[0].headers.at("authorization") == "token kite-key-1:access-1");
    CHECK(sent[0].headers.at("x-kite-version") == "3");
    CHECK(field(sent[0], "tradingsymbol") == "SBIN");
    CHECK(field(sent[0], "exchange") == "NSE");
    CHECK(field(sent[0], "transaction_type") == "BUY");
    CHECK(field(sent[0], "order_type") == "LIMIT");
    CHECK(field(sent[0], "product") == "MIS");
    CHECK(field(sent[0], "quantity") == "10");
    CHECK(field(sent[0], "price") == "812.5");
    CHECK(field(sent[0], "validity") == "DAY");
    CHECK(field(sent[0], "tag") == "openalgo");
  }

  TEST_CASE("an option is ordered under Kite's tradingsymbol") {
    ZerodhaPlugin zerodha;
    auto request = order("NIFTY05DEC2424000CE", "NFO");
    request["product"] = "NRML";
    zerodha.answer(Operation::PlaceOrder, request);
    CHECK(field(zerodha.fake.requests_to("POST", "/orders/regular").at(0), "tradingsymbol") == "NIFTY24D0524000CE");
  }

  TEST_CASE("Kite's refusal comes back as a broker error with Kite's text") {
    ZerodhaPlugin zerodha;
    auto request = order("NIFTY26DEC24FUT", "NFO");
    request["product"] = "CNC";
    auto refused = zerodha.call(Operation::PlaceOrder, request);
    CHECK(refused.status == OA_ERR_BROKER);
    CHECK(refused.message == "CNC is not allowed for F&O; use NRML or MIS.");
  }

  TEST_CASE("a value Kite does not take is refused by name, and nothing is sent") {
    ZerodhaPlugin zerodha;
    auto request = order();
    request["pricetype"] = "STOPLIMIT";
    auto refused = zerodha.call(Operation::PlaceOrder, request);
    CHECK(refused.status == OA_ERR_INVALID_ARGUMENT);
    CHECK(refused.message == "this broker does not accept price type 'STOPLIMIT'");
    CHECK(zerodha.fake.requests_to("POST", "/orders/regular").empty());
  }

  TEST_CASE("an unknown symbol is not found, and nothing is sent") {
    ZerodhaPlugin zerodha;
    auto refused = zerodha.call(Operation::PlaceOrder, order("NOSUCH"));
    CHECK(refused.status == OA_ERR_NOT_FOUND);
    CHECK(refused.message == "Symbol NOSUCH not found on NSE");
  }

  TEST_CASE("modifyorder and cancelorder address the order by id - an unknown id is Kite's error") {
    ZerodhaPlugin zerodha;
    auto id = std::string(zerodha.answer(Operation::PlaceOrder, order()).at("orderid").as_string());
    auto modify = order();
    modify["orderid"] = id;
    modify["quantity"] = 20;
    CHECK(zerodha.answer(Operation::ModifyOrder, modify).at("orderid").as_string() == id);
    auto sent = zerodha.fake.requests_to("PUT", "/orders/regular/" + id);
    REQUIRE(sent.size() == 1);
    CHECK(field(sent[0], "quantity") == "20");
    CHECK(field(sent[0], "trigger_price") == "<absent>");
    CHECK(zerodha.answer(Operation::CancelOrder, json::object{{"orderid", id}}).at("orderid").as_string() == id);
    auto unknown = zerodha.call(Operation::CancelOrder, json::object{{"orderid", "999"}});
    CHECK(unknown.status == OA_ERR_BROKER);
    CHECK(unknown.message == "Couldn't find that `order_id`.");
  }
}
