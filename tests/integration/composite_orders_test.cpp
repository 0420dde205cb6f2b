// placesmartorder, basketorder, splitorder, cancelallorder, closeposition and
// margin in live mode, against test broker plugins: "ordersbroker" (orders
// and books only: the daemon computes smart orders and loops cancel-all and
// close-all itself) and "nativebroker" (its own smart-order call and a margin
// calculator). Both net every order not cancelled into their position book.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>

#include <boost/json.hpp>

#include "support/account.hpp"
#include "support/daemon_process.hpp"
#include "support/http_client.hpp"

namespace json = boost::json;
using namespace oa::test;

namespace {

std::vector<std::string> broker_flags(const std::string& broker) {
  return {"--set", std::string("PLUGIN_DIRS=") + OPENALGOD_PLUGIN_DIR + ":" + TEST_PLUGIN_DIR,
          "--set", "VALID_BROKERS=zerodha,ordersbroker,nativebroker",
          "--set", "ACTIVE_BROKER=" + broker,
          "--set", "SMART_ORDER_DELAY=0.05",
          "--set", "ORDER_RATE_LIMIT=100 per second"};
}

struct Live {
  Account account;
  Daemon daemon;
  explicit Live(const std::string& broker = "ordersbroker") : daemon(account.dir.path(), broker_flags(broker)) {}

  HttpReply post(const std::string& path, json::object body) {
    body["apikey"] = account.api_key;
    return http(daemon.port(), "POST", "/api/v1/" + path, json::serialize(body));
  }
  json::object ok(const std::string& path, json::object body) {
    auto reply = post(path, std::move(body));
    REQUIRE_MESSAGE(reply.status == 200, reply.body);
    return json::parse(reply.body).as_object();
  }
  json::array orders() { return ok("orderbook", {}).at("data").at("orders").as_array(); }
  double position(const std::string& symbol) {
    auto reply = ok("openposition", {{"strategy", "t"}, {"symbol", symbol}, {"exchange", "NSE"}, {"product", "MIS"}});
    return reply.at("quantity").to_number<double>();
  }
};

json::object smart(const std::string& action, int quantity, int target) {
  return {{"strategy", "t"},        {"exchange", "NSE"},        {"symbol", "SBIN"},
          {"action", action},       {"quantity", std::to_string(quantity)}, {"product", "MIS"},
          {"position_size", std::to_string(target)}};
}

json::object item(const std::string& symbol, const std::string& action, int quantity) {
  return {{"exchange", "NSE"}, {"symbol", symbol}, {"action", action}, {"quantity", quantity}, {"product", "MIS"}};
}

// The test brokers list NIFTY options of the first Tuesday after today (UTC).
std::string next_tuesday() {
  static const char* const months[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                       "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
  auto day = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()) + std::chrono::days(1);
  while (std::chrono::weekday(day) != std::chrono::Tuesday) day += std::chrono::days(1);
  std::chrono::year_month_day date{day};
  char code[16];
  std::snprintf(code, sizeof code, "%02u%s%02d", static_cast<unsigned>(date.day()),
                months[static_cast<unsigned>(date.month()) - 1], static_cast<int>(date.year()) % 100);
  return code;
}

json::object option_leg(const std::string& offset, const std::string& action) {
  return {{"offset", offset}, {"option_type", "CE"}, {"action", action}, {"quantity", 75}, {"product", "NRML"}};
}

std::string message(const HttpReply& reply) {
  return std::string(json::parse(reply.body).at("message").as_string());
}

}  // namespace

TEST_SUITE("composite orders") {
  TEST_CASE("placesmartorder trades a live position to its target from the broker's position book") {
    Live live;
    CHECK(live.ok("placesmartorder", smart("BUY", 10, 10)).at("orderid") == "OB1");
    CHECK(live.position("SBIN") == 10);
    auto matched = live.ok("placesmartorder", smart("BUY", 10, 10));
    CHECK(matched == json::parse(R"({"message":"Positions Already Matched. No Action needed.","status":"success"})"));
    live.ok("placesmartorder", smart("BUY", 1, -5));
    CHECK(live.orders().at(1).at("action") == "SELL");
    CHECK(live.orders().at(1).at("quantity") == 15);
    CHECK(live.position("SBIN") == -5);
    auto exit_none = live.ok("placesmartorder", smart("SELL", 0, -5));
    CHECK(exit_none.at("message") == "No OpenPosition Found. Not placing Exit order.");
    CHECK(live.orders().size() == 2);
  }

  TEST_CASE("a broker with its own smart-order call gets the smart order as sent") {
    Live live("nativebroker");
    live.ok("placesmartorder", smart("BUY", 10, 30));
    auto sent = live.orders().at(0).as_object();
    CHECK(sent.at("position_size") == 30.0);
  }

  TEST_CASE("a repeated smart order with the same client_order_id answers the first result and trades once") {
    Live live;
    auto request = smart("BUY", 10, 10);
    request["client_order_id"] = "smart-1";
    auto first = live.ok("placesmartorder", request);
    live.ok("placesmartorder", smart("BUY", 0, 0));  // flat again
    auto again = live.ok("placesmartorder", request);
    CHECK(again == first);
    CHECK(live.orders().size() == 2);
  }

  TEST_CASE("basketorder sends BUY items before SELL items and reports each one") {
    Live live;
    auto body = live.ok("basketorder", {{"strategy", "t"},
                                        {"orders", json::array{item("INFY", "SELL", 1), item("TCS", "buy", 2),
                                                               item("REJECTME", "BUY", 1)}}});
    auto results = body.at("results").as_array();
    REQUIRE(results.size() == 3);
    CHECK(results[0] == json::parse(
                            R"({"exchange":"NSE","orderid":"OB1","product":"MIS","status":"success","symbol":"TCS"})"));
    CHECK(results[1].at("status") == "error");
    CHECK(results[1].at("symbol") == "REJECTME");
    CHECK(results[1].at("message") == "Symbol REJECTME is not tradable");
    CHECK(results[2].at("symbol") == "INFY");
    auto book = live.orders();
    CHECK(book.at(0).at("symbol") == "TCS");
    CHECK(book.at(0).at("action") == "BUY");
    CHECK(book.at(1).at("symbol") == "INFY");
  }

  TEST_CASE("basketorder validates every item before anything reaches the broker") {
    Live live;
    auto bad_item = item("SBIN", "BUY", 1);
    bad_item.erase("symbol");
    bad_item["apikey"] = "k";
    auto refused = live.post("basketorder", {{"strategy", "t"}, {"orders", json::array{item("INFY", "BUY", 1), bad_item}}});
    CHECK(refused.status == 400);
    CHECK(message(refused) == "{'orders': {1: {'symbol': ['Missing data for required field.'], 'apikey': ['Unknown field.']}}}");
    auto fractional = live.post("basketorder", {{"strategy", "t"}, {"orders", json::array{item("INFY", "BUY", 1)}}});
    CHECK(fractional.status == 200);
    auto half = item("INFY", "BUY", 1);
    half["quantity"] = 1.5;
    auto refused_half = live.post("basketorder", {{"strategy", "t"}, {"orders", json::array{half}}});
    CHECK(message(refused_half) ==
          "{'orders': {0: {'quantity': ['Fractional quantity (1.5) is not allowed for non-crypto exchanges.']}}}");
    CHECK(live.orders().size() == 1);
  }

  TEST_CASE("splitorder places full orders then the remainder, numbered, and refuses more than 100 orders") {
    Live live;
    json::object request{{"strategy", "t"}, {"exchange", "NSE"}, {"symbol", "SBIN"}, {"action", "BUY"},
                         {"quantity", "25"}, {"splitsize", "10"}};
    auto body = live.ok("splitorder", request);
    CHECK(body == json::parse(R"({"results":[
      {"order_num":1,"orderid":"OB1","quantity":10,"status":"success"},
      {"order_num":2,"orderid":"OB2","quantity":10,"status":"success"},
      {"order_num":3,"orderid":"OB3","quantity":5,"status":"success"}],
      "split_size":10,"status":"success","total_quantity":25})"));
    request["quantity"] = "1001";
    auto refused = live.post("splitorder", request);
    CHECK(refused.status == 400);
    CHECK(message(refused) == "Total number of orders would exceed maximum limit of 100");
    request["splitsize"] = 0;
    request["extra"] = 1;
    CHECK(message(live.post("splitorder", request)) ==
          "{'splitsize': ['Split size must be a positive integer.'], 'extra': ['Unknown field.']}");
    CHECK(live.orders().size() == 3);
  }

  TEST_CASE("a repeated split with the same client_order_id sends none of its orders again") {
    Live live;
    json::object request{{"strategy", "t"}, {"exchange", "NSE"}, {"symbol", "SBIN"}, {"action", "BUY"},
                         {"quantity", "20"}, {"splitsize", "10"}, {"client_order_id", "split-1"}};
    auto first = live.ok("splitorder", request);
    CHECK(live.ok("splitorder", request) == first);
    CHECK(live.orders().size() == 2);
  }

  TEST_CASE("cancelallorder cancels each open order through the broker when it has no bulk call") {
    Live live;
    live.ok("placeorder", {{"strategy", "t"}, {"exchange", "NSE"}, {"symbol", "SBIN"}, {"action", "BUY"}, {"quantity", 1}});
    live.ok("placeorder", {{"strategy", "t"}, {"exchange", "NSE"}, {"symbol", "INFY"}, {"action", "BUY"}, {"quantity", 1}});
    auto body = live.ok("cancelallorder", {{"strategy", "t"}});
    CHECK(body == json::parse(R"({"canceled_orders":["OB1","OB2"],"failed_cancellations":[],
      "message":"Canceled 2 orders. Failed to cancel 0 orders.","status":"success"})"));
    for (const auto& order : live.orders()) CHECK(order.at("order_status") == "cancelled");
    auto none = live.ok("cancelallorder", {{"strategy", "t"}});
    CHECK(none.at("message") == "Canceled 0 orders. Failed to cancel 0 orders.");
  }

  TEST_CASE("closeposition places an exit order for each open position when the broker has no bulk call") {
    Live live;
    live.ok("placeorder", {{"strategy", "t"}, {"exchange", "NSE"}, {"symbol", "SBIN"}, {"action", "BUY"}, {"quantity", 4}});
    live.ok("placeorder", {{"strategy", "t"}, {"exchange", "NSE"}, {"symbol", "INFY"}, {"action", "SELL"}, {"quantity", 3}});
    auto body = live.ok("closeposition", {{"strategy", "t"}});
    CHECK(body == json::parse(R"({"closed_positions":2,"failed_closures":0,
      "message":"All Open Positions Squared Off","status":"success"})"));
    CHECK(live.position("SBIN") == 0);
    CHECK(live.position("INFY") == 0);
    auto exits = live.orders();
    CHECK(exits.at(2).at("action") == "SELL");
    CHECK(exits.at(2).at("pricetype") == "MARKET");
    CHECK(exits.at(3).at("action") == "BUY");
    CHECK(live.ok("closeposition", {{"strategy", "t"}}).at("closed_positions") == 0);
  }

  TEST_CASE("cancelallorder and closeposition take only apikey and strategy") {
    Live live;
    auto refused = live.post("closeposition", {{"strategy", "t"}, {"symbol", "SBIN"}});
    CHECK(refused.status == 400);
    CHECK(message(refused) == "{'symbol': ['Unknown field.']}");
  }

  TEST_CASE("margin asks the broker's calculator, with positions checked first") {
    Live live("nativebroker");
    json::object position{{"symbol", "SBIN"}, {"exchange", "NSE"}, {"action", "buy"}, {"quantity", "3"},
                          {"product", "MIS"}, {"pricetype", "MARKET"}};
    auto body = live.ok("margin", {{"positions", json::array{position}}});
    CHECK(body.at("data").at("total_margin_required") == 300.0);
    position["quantity"] = 3;
    CHECK(message(live.post("margin", {{"positions", json::array{position}}})) ==
          "{'positions': {0: {'quantity': ['Not a valid string.']}}}");
    position["quantity"] = "0";
    CHECK(message(live.post("margin", {{"positions", json::array{position}}})) ==
          "Position 1: Quantity must be a positive number");
    CHECK(message(live.post("margin", {{"positions", json::array{}}})) ==
          "{'positions': ['Positions must contain 1 to 50 items.']}");
  }

  TEST_CASE("margin answers 501 naming the broker when its plugin has no calculator") {
    Live live;
    auto refused = live.post("margin", {{"positions", json::array{json::object{{"symbol", "SBIN"}, {"exchange", "NSE"},
                                                                               {"action", "BUY"}, {"quantity", "1"},
                                                                               {"product", "MIS"}, {"pricetype", "MARKET"}}}}});
    CHECK(refused.status == 501);
    CHECK(message(refused).find("ordersbroker") != std::string::npos);
  }

  TEST_CASE("pnl/symbols is refused outside analyzer mode, before validation") {
    Live live;
    auto refused = http(live.daemon.port(), "POST", "/api/v1/pnl/symbols", R"({"bogus":1})");
    CHECK(refused.status == 400);
    CHECK(message(refused) == "This endpoint is only available in sandbox/analyzer mode");
  }

  TEST_CASE("a fractional quantity is refused before the API key is looked at") {
    Live live;
    auto request = smart("BUY", 1, 1);
    request["quantity"] = "2.5";
    request["apikey"] = "not-a-key";
    auto refused = http(live.daemon.port(), "POST", "/api/v1/placesmartorder", json::serialize(request));
    CHECK(refused.status == 400);
    CHECK(message(refused) == "{'quantity': ['Fractional quantity (2.5) is not allowed for non-crypto exchanges.']}");
  }

  TEST_CASE("optionsorder resolves the contract from the broker's master and quote, then places it live") {
    Live live;
    auto body = live.ok("optionsorder", {{"strategy", "t"}, {"underlying", "NIFTY"}, {"exchange", "NSE_INDEX"},
                                         {"expiry_date", next_tuesday()}, {"offset", "ITM1"}, {"option_type", "ce"},
                                         {"action", "BUY"}, {"quantity", "150"}, {"splitsize", "75"},
                                         {"product", "NRML"}});
    const std::string symbol = "NIFTY" + next_tuesday() + "24950CE";
    CHECK(body.at("symbol").as_string() == symbol);
    CHECK(body.at("underlying_ltp") == 25010.0);
    CHECK(body.at("results").as_array().size() == 2);
    auto book = live.orders();
    REQUIRE(book.size() == 2);
    CHECK(book.at(0).at("symbol").as_string() == symbol);
    CHECK(book.at(0).at("exchange") == "NFO");
    CHECK(book.at(0).at("quantity") == 75);
  }

  TEST_CASE("optionsmultiorder places BUY legs before SELL legs live and answers in leg order") {
    Live live;
    auto body = live.ok("optionsmultiorder",
                        {{"strategy", "t"}, {"underlying", "NIFTY"}, {"exchange", "NSE_INDEX"},
                         {"expiry_date", next_tuesday()},
                         {"legs", json::array{option_leg("OTM2", "SELL"), option_leg("OTM4", "BUY"),
                                              option_leg("OTM99", "BUY")}}});
    auto legs = body.at("results").as_array();
    REQUIRE(legs.size() == 3);
    CHECK(legs[0].at("leg") == 1);
    CHECK(legs[0].at("orderid") == "OB2");
    CHECK(legs[0].at("mode") == "live");
    CHECK(legs[1].at("orderid") == "OB1");
    CHECK(legs[1].at("symbol").as_string() == "NIFTY" + next_tuesday() + "25200CE");
    CHECK(legs[2].at("status") == "error");
    CHECK(body.at("underlying_ltp") == 25010.0);
    CHECK(live.orders().size() == 2);
  }
}
