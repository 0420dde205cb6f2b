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

// Every book agrees with every other one.
void check_books_agree(Sandbox& sandbox) {
  auto orders = sandbox.data("orderbook").at("orders").as_array();
  auto trades = sandbox.data("tradebook").as_array();
  auto positions = sandbox.data("positionbook").as_array();
  auto funds = sandbox.data("funds").as_object();

  std::map<std::string, double> traded_per_order;
  std::map<PositionKey, double> traded_per_position;
  for (const auto& trade : trades) {
    double quantity = trade.at("quantity").to_number<double>();
    traded_per_order[text(trade.at("orderid"))] += quantity;
    double sign = trade.at("action") == "BUY" ? 1 : -1;
    traded_per_position[{text(trade.at("symbol")), text(trade.at("exchange")), text(trade.at("product"))}] +=
        sign * quantity;
  }
  for (const auto& order : orders) {
    CAPTURE(json::serialize(order));
    const double filled = order.at("order_status") == "complete" ? order.at("quantity").to_number<double>() : 0;
    CHECK(traded_per_order[text(order.at("orderid"))] == filled);
  }
  std::map<PositionKey, double> held;
  for (const auto& position : positions)
    held[{text(position.at("symbol")), text(position.at("exchange")), text(position.at("product"))}] =
        position.at("quantity").to_number<double>();
  for (const auto& [key, quantity] : traded_per_position) {
    CAPTURE(std::get<0>(key));
    CHECK(held[key] == quantity);
  }
  CHECK(sandbox.data("holdings").at("holdings").as_array().empty());
  // No holdings yet (CNC buys settle T+1): cash + blocked margin = capital + realised P&L.
  CHECK(paise(funds.at("availablecash")) + paise(funds.at("utiliseddebits")) ==
        kStartingCapitalPaise + paise(funds.at("total_realized_pnl")));
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
