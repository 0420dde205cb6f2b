// Smart, basket, split and options orders in analyzer mode against the
// default daemon (simulator prices, sandbox engine), and the books after
// them: positions are the sum of the trades, every filled order has its
// trades, and funds balance to the paisa. Equity orders are CNC and options
// NRML so that no intraday cut-off applies whatever the hour of the run.
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <tuple>

#include <boost/json.hpp>

#include "support/account.hpp"
#include "support/daemon_process.hpp"
#include "support/http_client.hpp"

namespace json = boost::json;
namespace chrono = std::chrono;
using namespace oa::test;

namespace {

constexpr long long kStartingCapitalPaise = 10'000'000LL * 100;

struct Sandbox {
  Account account;
  Daemon daemon{account.dir.path(), {"--set", "API_RATE_LIMIT=1000 per second", "--set", "ORDER_RATE_LIMIT=1000 per second"}};

  HttpReply post(const std::string& path, json::object body) {
    body["apikey"] = account.api_key;
    return http(daemon.port(), "POST", "/api/v1/" + path, json::serialize(body));
  }
  json::object ok(const std::string& path, json::object body) {
    auto reply = post(path, std::move(body));
    REQUIRE_MESSAGE(reply.status == 200, path << ": " << reply.body);
    auto parsed = json::parse(reply.body).as_object();
    CHECK(parsed.at("mode") == "analyze");
    return parsed;
  }
  json::value data(const std::string& path) { return ok(path, {}).at("data"); }
  json::value data_of(const std::string& path, json::object body) { return ok(path, std::move(body)).at("data"); }
};

// The next Tuesday after today (IST): a NIFTY weekly the simulator lists.
std::string nifty_expiry() {
  static const char* const months[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                       "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
  auto day = chrono::floor<chrono::days>(chrono::system_clock::now() + chrono::minutes(330)) + chrono::days(1);
  while (chrono::weekday(day) != chrono::Tuesday) day += chrono::days(1);
  chrono::year_month_day date{day};
  char text[16];
  std::snprintf(text, sizeof text, "%02u%s%02d", static_cast<unsigned>(date.day()),
                months[static_cast<unsigned>(date.month()) - 1], static_cast<int>(date.year()) % 100);
  return text;
}

long long paise(const json::value& rupees) { return std::llround(rupees.to_number<double>() * 100); }

std::string text(const json::value& value) { return std::string(value.as_string()); }

using PositionKey = std::tuple<std::string, std::string, std::string>;  // symbol, exchange, product

// What the trade book says about one position.
struct Traded {
  double quantity = 0;  // signed
  long long bought_paise = 0, sold_paise = 0;
  bool bought = false, sold = false;
};

// Every book agrees with every other one, to the paisa: each filled order
// has one trade at its average price; each position is the sum of its
// trades, a one-sided one at their average price and a flat one having
// realised exactly what was sold less what was bought; funds' realised P&L
// is the positions'; and, with nothing yet in holdings (CNC buys settle
// T+1), cash plus blocked margin is the capital plus realised P&L.
void check_books_agree(Sandbox& sandbox) {
  auto orders = sandbox.data("orderbook").at("orders").as_array();
  auto trades = sandbox.data("tradebook").as_array();
  auto positions = sandbox.data("positionbook").as_array();
  auto funds = sandbox.data("funds").as_object();

  std::map<std::string, double> traded_per_order;
  std::map<std::string, long long> price_per_order;
  std::map<PositionKey, Traded> traded_per_position;
  for (const auto& trade : trades) {
    CAPTURE(json::serialize(trade));
    const double quantity = trade.at("quantity").to_number<double>();
    const long long price = paise(trade.at("price"));
    const long long value = price * std::llround(quantity);
    CHECK(paise(trade.at("trade_value")) == value);
    traded_per_order[text(trade.at("orderid"))] += quantity;
    price_per_order[text(trade.at("orderid"))] = price;
    Traded& position =
        traded_per_position[{text(trade.at("symbol")), text(trade.at("exchange")), text(trade.at("product"))}];
    if (trade.at("action") == "BUY") {
      position.quantity += quantity, position.bought_paise += value, position.bought = true;
    } else {
      position.quantity -= quantity, position.sold_paise += value, position.sold = true;
    }
  }
  for (const auto& order : orders) {
    CAPTURE(json::serialize(order));
    const std::string orderid = text(order.at("orderid"));
    const bool complete = order.at("order_status") == "complete";
    CHECK(traded_per_order[orderid] == (complete ? order.at("quantity").to_number<double>() : 0));
    if (complete) CHECK(paise(order.at("average_price")) == price_per_order[orderid]);
  }
  long long positions_realized = 0;
  std::map<PositionKey, json::object> held;
  for (const auto& position : positions) {
    const auto& row = position.as_object();
    held[{text(row.at("symbol")), text(row.at("exchange")), text(row.at("product"))}] = row;
    positions_realized += paise(row.at("today_realized_pnl"));
  }
  for (const auto& [key, traded] : traded_per_position) {
    CAPTURE(std::get<0>(key));
    if (!held.contains(key)) {  // the book leaves out a position closed without P&L, as OpenAlgo's does
      CHECK(traded.quantity == 0);
      CHECK(traded.sold_paise == traded.bought_paise);
      continue;
    }
    const json::object& row = held[key];
    CHECK(row.at("quantity").to_number<double>() == traded.quantity);
    if (traded.quantity == 0) {
      CHECK(paise(row.at("today_realized_pnl")) == traded.sold_paise - traded.bought_paise);
    } else if (traded.bought != traded.sold) {
      // The average is the traded value over the quantity, rounded to the paisa (either way on a half).
      const double value = static_cast<double>(traded.bought ? traded.bought_paise : traded.sold_paise);
      CHECK(std::fabs(paise(row.at("average_price")) * std::fabs(traded.quantity) - value) <=
            std::fabs(traded.quantity) / 2);
      CHECK(paise(row.at("today_realized_pnl")) == 0);
    }
  }
  CHECK(paise(funds.at("today_realized_pnl")) == positions_realized);
  CHECK(paise(funds.at("total_realized_pnl")) == positions_realized);
  CHECK(sandbox.data("holdings").at("holdings").as_array().empty());
  CHECK(paise(funds.at("availablecash")) + paise(funds.at("utiliseddebits")) ==
        kStartingCapitalPaise + paise(funds.at("total_realized_pnl")));
}

long long used_margin(Sandbox& sandbox) { return paise(sandbox.data("funds").at("utiliseddebits")); }

std::string status_of(Sandbox& sandbox, const std::string& orderid) {
  return text(sandbox.data_of("orderstatus", {{"strategy", "t"}, {"orderid", orderid}}).at("order_status"));
}

json::object equity(const std::string& symbol, const std::string& action, int quantity) {
  return {{"exchange", "NSE"}, {"symbol", symbol}, {"action", action}, {"quantity", quantity}, {"product", "CNC"}};
}

}  // namespace

TEST_SUITE("sandbox composite orders") {
  TEST_CASE("smart orders reach their target position in the sandbox, and the books agree") {
    Sandbox sandbox;
    auto smart = [&sandbox](int target) {
      return sandbox.ok("placesmartorder", {{"strategy", "t"}, {"exchange", "NSE"}, {"symbol", "SBIN"},
                                            {"action", "BUY"}, {"quantity", "5"}, {"product", "CNC"},
                                            {"position_size", std::to_string(target)}});
    };
    CHECK(smart(20).at("status") == "success");
    CHECK(smart(20).at("message") == "Positions Already Matched. No Action needed.");
    smart(8);
    auto open = sandbox.ok("openposition", {{"strategy", "t"}, {"symbol", "SBIN"}, {"exchange", "NSE"}, {"product", "CNC"}});
    CHECK(open.at("quantity").to_number<double>() == 8);
    check_books_agree(sandbox);
  }

  TEST_CASE("basket and split orders fill in the sandbox, and the books agree") {
    Sandbox sandbox;
    auto basket = sandbox.ok("basketorder", {{"strategy", "t"},
                                             {"orders", json::array{equity("INFY", "SELL", 1), equity("INFY", "BUY", 3),
                                                                    equity("TCS", "BUY", 2)}}});
    auto results = basket.at("results").as_array();
    REQUIRE(results.size() == 3);
    CHECK(results[0].at("symbol") == "INFY");
    CHECK(results[0].at("status") == "success");
    CHECK(results[1].at("is_last_order") == false);
    CHECK(results[2].at("status") == "success");  // the SELL went last, against the INFY bought first
    CHECK(results[2].at("is_last_order") == true);
    auto split = sandbox.ok("splitorder", {{"strategy", "t"}, {"exchange", "NSE"}, {"symbol", "ITC"}, {"action", "BUY"},
                                           {"quantity", "45"}, {"splitsize", "20"}, {"product", "CNC"}});
    CHECK(split.at("results").as_array().size() == 3);
    CHECK(split.at("results").at(2).at("quantity") == 5);
    check_books_agree(sandbox);
  }

  TEST_CASE("options orders resolve their contracts and fill in the sandbox, and the books agree") {
    Sandbox sandbox;
    auto single = sandbox.ok("optionsorder", {{"strategy", "t"}, {"underlying", "NIFTY"}, {"exchange", "NSE_INDEX"},
                                              {"expiry_date", nifty_expiry()}, {"offset", "ATM"},
                                              {"option_type", "ce"}, {"action", "BUY"}, {"quantity", "75"},
                                              {"product", "NRML"}});
    CHECK(single.at("exchange") == "NFO");
    CHECK(single.at("option_type") == "CE");
    CHECK(text(single.at("symbol")).starts_with("NIFTY" + nifty_expiry()));
    auto multi = sandbox.ok(
        "optionsmultiorder",
        {{"strategy", "t"}, {"underlying", "NIFTY"}, {"exchange", "NSE_INDEX"}, {"expiry_date", nifty_expiry()},
         {"legs", json::array{json::object{{"offset", "OTM2"}, {"option_type", "CE"}, {"action", "SELL"},
                                           {"quantity", 75}, {"product", "NRML"}},
                              json::object{{"offset", "OTM4"}, {"option_type", "CE"}, {"action", "BUY"},
                                           {"quantity", 150}, {"splitsize", 75}, {"product", "NRML"}}}}});
    auto legs = multi.at("results").as_array();
    REQUIRE(legs.size() == 2);
    CHECK(legs[0].at("leg") == 1);
    CHECK(legs[0].at("status") == "success");
    CHECK(legs[1].at("split_results").as_array().size() == 2);
    CHECK(legs[0].at("orderid").as_string() > legs[1].at("split_results").at(0).at("orderid").as_string());  // BUY first
    check_books_agree(sandbox);
    auto pnl = sandbox.ok("pnl/symbols", {});
    double total = 0;
    for (const auto& row : pnl.at("data").as_array()) total += row.at("pnl").to_number<double>();
    CHECK(std::llround(total * 100) == paise(pnl.at("total_pnl")));
  }

  TEST_CASE("closeposition after composite orders leaves every position flat and no margin blocked") {
    Sandbox sandbox;
    sandbox.ok("basketorder", {{"strategy", "t"}, {"orders", json::array{equity("SBIN", "BUY", 4), equity("TCS", "BUY", 1)}}});
    sandbox.ok("splitorder", {{"strategy", "t"}, {"exchange", "NSE"}, {"symbol", "ITC"}, {"action", "BUY"},
                              {"quantity", "7"}, {"splitsize", "3"}, {"product", "CNC"}});
    auto closed = sandbox.ok("closeposition", {{"strategy", "t"}});
    CHECK(closed.at("closed_positions") == 3);
    auto positions = sandbox.data("positionbook");
    for (const auto& position : positions.as_array()) CHECK(position.at("quantity") == 0);
    CHECK(paise(sandbox.data("funds").at("utiliseddebits")) == 0);
    check_books_agree(sandbox);
  }

  TEST_CASE("place, modify and cancel orders fill or rest as the rules say, and the books agree to the paisa") {
    Sandbox sandbox;
    auto quote = sandbox.post("quotes", {{"symbol", "SBIN"}, {"exchange", "NSE"}});  // live prices, not simulated
    REQUIRE_MESSAGE(quote.status == 200, quote.body);
    const double ltp = json::parse(quote.body).at("data").at("ltp").to_number<double>();
    REQUIRE(ltp > 0);
    // Prices far from the market, so that nothing fills or triggers during the test.
    const long long limit = static_cast<long long>(ltp * 0.5), lower = static_cast<long long>(ltp * 0.6);
    const long long trigger = static_cast<long long>(ltp * 1.5);

    auto resting = text(sandbox.ok("placeorder", {{"strategy", "t"}, {"exchange", "NSE"}, {"symbol", "SBIN"},
                                                  {"action", "BUY"}, {"quantity", "10"}, {"product", "CNC"},
                                                  {"pricetype", "LIMIT"}, {"price", std::to_string(limit)}})
                             .at("orderid"));
    CHECK(status_of(sandbox, resting) == "open");
    CHECK(used_margin(sandbox) == 10 * limit * 100);

    auto modified = sandbox.ok("modifyorder", {{"strategy", "t"}, {"exchange", "NSE"}, {"symbol", "SBIN"},
                                               {"orderid", resting}, {"action", "BUY"}, {"product", "CNC"},
                                               {"pricetype", "LIMIT"}, {"price", std::to_string(lower)},
                                               {"quantity", "20"}, {"disclosed_quantity", "0"},
                                               {"trigger_price", "0"}});
    CHECK(modified.at("message") == "Order modified successfully");
    CHECK(used_margin(sandbox) == 20 * lower * 100);

    auto stop = text(sandbox.ok("placeorder", {{"strategy", "t"}, {"exchange", "NSE"}, {"symbol", "SBIN"},
                                               {"action", "BUY"}, {"quantity", "5"}, {"product", "CNC"},
                                               {"pricetype", "SL"}, {"price", std::to_string(trigger)},
                                               {"trigger_price", std::to_string(trigger)}})
                         .at("orderid"));
    CHECK(status_of(sandbox, stop) == "trigger pending");
    CHECK(used_margin(sandbox) == (20 * lower + 5 * trigger) * 100);

    sandbox.ok("cancelorder", {{"strategy", "t"}, {"orderid", resting}});
    CHECK(status_of(sandbox, resting) == "cancelled");
    CHECK(used_margin(sandbox) == 5 * trigger * 100);

    auto bought = text(sandbox.ok("placeorder", {{"strategy", "t"}, {"exchange", "NSE"}, {"symbol", "INFY"},
                                                 {"action", "BUY"}, {"quantity", "3"}, {"product", "CNC"}})
                           .at("orderid"));
    CHECK(status_of(sandbox, bought) == "complete");
    const long long fill = paise(sandbox.data_of("orderstatus", {{"strategy", "t"}, {"orderid", bought}}).at("average_price"));
    CHECK(used_margin(sandbox) == 5 * trigger * 100 + 3 * fill);  // CNC: 1x, priced where it filled
    sandbox.ok("placeorder", {{"strategy", "t"}, {"exchange", "NSE"}, {"symbol", "INFY"}, {"action", "SELL"},
                              {"quantity", "1"}, {"product", "CNC"}});
    CHECK(used_margin(sandbox) == 5 * trigger * 100 + 2 * fill);  // a third released with the third sold
    check_books_agree(sandbox);

    sandbox.ok("cancelallorder", {{"strategy", "t"}});
    CHECK(status_of(sandbox, stop) == "cancelled");  // trigger pending orders too
    CHECK(used_margin(sandbox) == 2 * fill);
    auto closed = sandbox.ok("closeposition", {{"strategy", "t"}});
    CHECK(closed.at("closed_positions") == 1);
    CHECK(used_margin(sandbox) == 0);
    check_books_agree(sandbox);
  }

  TEST_CASE("margin asks the active broker's calculator in analyzer mode too (the simulator's)") {
    Sandbox sandbox;
    auto reply = sandbox.post("margin", {{"positions", json::array{json::object{
                                             {"symbol", "SBIN"}, {"exchange", "NSE"}, {"action", "BUY"},
                                             {"quantity", "10"}, {"product", "CNC"}, {"pricetype", "LIMIT"},
                                             {"price", "100"}}}}});
    REQUIRE_MESSAGE(reply.status == 200, reply.body);
    auto body = json::parse(reply.body);
    CHECK(body.at("status") == "success");
    CHECK(body.at("data").at("total_margin_required") == 1000.0);
  }
}
