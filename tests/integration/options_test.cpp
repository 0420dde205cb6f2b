// The options analytics endpoints (rest_api.md C.7) against the simulator:
// optionsymbol, optionchain, syntheticfuture, optiongreeks, multioptiongreeks
// in OpenAlgo's shapes, and their errors. The simulator lists NIFTY weeklies
// (Tuesdays, step 50, 40 strikes each side), SENSEX weeklies (Thursdays, BFO)
// and USDINR monthlies (CDS, step 0.25), all dated from today.
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>

#include <boost/json.hpp>

#include "support/account.hpp"
#include "support/daemon_process.hpp"
#include "support/http_client.hpp"

namespace json = boost::json;
namespace chrono = std::chrono;
using namespace oa::test;

namespace {

struct Reply {
  int status = 0;
  std::string text;
  json::object body;
};

Reply post(const Daemon& daemon, const std::string& path, const json::object& request) {
  auto reply = http(daemon.port(), "POST", path, json::serialize(request));
  Reply out{reply.status, reply.body, {}};
  auto value = json::parse(reply.body);
  if (value.is_object()) out.body = value.as_object();
  return out;
}

// Every request here may ask as often as it likes.
Daemon start(const Account& account) {
  return Daemon(account.dir.path(),
                {"--set", "API_RATE_LIMIT=1000 per second", "--set", "GREEKS_RATE_LIMIT=1000 per minute"});
}

chrono::sys_days ist_today() {
  return chrono::floor<chrono::days>(chrono::system_clock::now() + chrono::hours(5) + chrono::minutes(30));
}

// "DDMMMYY", as in symbols and requests.
std::string expiry_code(chrono::sys_days day) {
  static const char* const months[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                       "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
  chrono::year_month_day date{day};
  char text[16];
  std::snprintf(text, sizeof text, "%02u%s%02d", static_cast<unsigned>(date.day()),
                months[static_cast<unsigned>(date.month()) - 1], static_cast<int>(date.year()) % 100);
  return text;
}

// The first `weekday` after today: a weekly expiry with time left whatever the hour.
std::string next_weekly(chrono::weekday weekday) {
  auto day = ist_today() + chrono::days(1);
  while (chrono::weekday(day) != weekday) day += chrono::days(1);
  return expiry_code(day);
}

std::string nifty_expiry() { return next_weekly(chrono::Tuesday); }
std::string sensex_expiry() { return next_weekly(chrono::Thursday); }

bool is_weekend(chrono::sys_days day) {
  auto weekday = chrono::weekday(day);
  return weekday == chrono::Saturday || weekday == chrono::Sunday;
}

// The simulator's CDS rule: two trading days before the month's last trading
// day; the first such expiry on or after today.
std::string usdinr_expiry() {
  chrono::year_month month{chrono::year_month_day(ist_today()).year(), chrono::year_month_day(ist_today()).month()};
  for (;; month += chrono::months(1)) {
    chrono::sys_days day = chrono::year_month_day_last(month.year(), chrono::month_day_last(month.month()));
    while (is_weekend(day)) day -= chrono::days(1);
    for (int i = 0; i < 2; ++i) do
        day -= chrono::days(1);
      while (is_weekend(day));
    if (day >= ist_today()) return expiry_code(day);
  }
}

double strike_of(const std::string& symbol, const std::string& prefix) {
  return std::stod(symbol.substr(prefix.size(), symbol.size() - prefix.size() - 2));
}

double number(const json::value& value) { return value.to_number<double>(); }

std::string text(const json::value& value) { return value.is_string() ? std::string(value.get_string()) : ""; }

json::object symbol_request(const std::string& key, const std::string& offset, const std::string& type) {
  return {{"apikey", key},    {"underlying", "NIFTY"}, {"exchange", "NSE_INDEX"}, {"expiry_date", nifty_expiry()},
          {"offset", offset}, {"option_type", type}};
}

// The ATM call or put of the NIFTY weekly, through the daemon itself.
std::string atm_symbol(const Daemon& daemon, const Account& account, const std::string& type) {
  auto reply = post(daemon, "/api/v1/optionsymbol", symbol_request(account.api_key, "ATM", type));
  REQUIRE_MESSAGE(reply.status == 200, reply.text);
  return std::string(reply.body.at("symbol").as_string());
}

}  // namespace

TEST_SUITE("options") {
  TEST_CASE("optionsymbol walks the listed strikes from the one nearest the underlying's price") {
    Account account;
    auto daemon = start(account);
    const std::string prefix = "NIFTY" + nifty_expiry();

    auto atm = post(daemon, "/api/v1/optionsymbol", symbol_request(account.api_key, "ATM", "CE"));
    REQUIRE_MESSAGE(atm.status == 200, atm.text);
    // flask-restx writes this dict in insertion order.
    CHECK(atm.text.starts_with(R"({"status":"success","symbol":")"));
    const std::string symbol(atm.body.at("symbol").as_string());
    CHECK(symbol.starts_with(prefix));
    CHECK(symbol.ends_with("CE"));
    CHECK(atm.body.at("exchange") == "NFO");
    CHECK(atm.body.at("lotsize") == 75);
    CHECK(number(atm.body.at("tick_size")) == 0.05);
    CHECK(atm.body.at("freeze_qty") == 1);
    const double ltp = number(atm.body.at("underlying_ltp"));
    const double atm_strike = strike_of(symbol, prefix);
    CHECK(std::fabs(atm_strike - ltp) <= 25);

    auto itm = post(daemon, "/api/v1/optionsymbol", symbol_request(account.api_key, "itm2", "ce"));
    REQUIRE(itm.status == 200);
    CHECK(strike_of(std::string(itm.body.at("symbol").as_string()), prefix) == atm_strike - 100);
    auto otm_put = post(daemon, "/api/v1/optionsymbol", symbol_request(account.api_key, "OTM3", "PE"));
    REQUIRE(otm_put.status == 200);
    CHECK(text(otm_put.body.at("symbol")) == prefix + std::to_string(static_cast<long>(atm_strike - 150)) + "PE");

    // The options exchange, an expiry inside the underlying, a lower-case expiry.
    auto via_nfo = symbol_request(account.api_key, "ATM", "CE");
    via_nfo["exchange"] = "NFO";
    CHECK(post(daemon, "/api/v1/optionsymbol", via_nfo).status == 200);
    auto embedded = symbol_request(account.api_key, "ATM", "CE");
    embedded.erase("expiry_date");
    embedded["underlying"] = "NIFTY" + nifty_expiry() + "FUT";
    CHECK(post(daemon, "/api/v1/optionsymbol", embedded).status == 200);
    auto lower = symbol_request(account.api_key, "ATM", "CE");
    std::string lower_expiry = nifty_expiry();
    for (auto& c : lower_expiry) c = static_cast<char>(std::tolower(c));
    lower["expiry_date"] = lower_expiry;
    CHECK(post(daemon, "/api/v1/optionsymbol", lower).status == 200);

    // OpenAlgo's legacy strike_int rounds the price to that interval.
    auto legacy = symbol_request(account.api_key, "ATM", "PE");
    legacy["strike_int"] = 100;
    legacy["strategy"] = nullptr;
    auto by_interval = post(daemon, "/api/v1/optionsymbol", legacy);
    REQUIRE_MESSAGE(by_interval.status == 200, by_interval.text);
    CHECK(std::fmod(strike_of(std::string(by_interval.body.at("symbol").as_string()), prefix), 100) == 0);

    auto sensex = post(daemon, "/api/v1/optionsymbol",
                       {{"apikey", account.api_key},
                        {"underlying", "SENSEX"},
                        {"exchange", "BSE_INDEX"},
                        {"expiry_date", sensex_expiry()},
                        {"offset", "OTM1"},
                        {"option_type", "CE"}});
    REQUIRE_MESSAGE(sensex.status == 200, sensex.text);
    CHECK(sensex.body.at("exchange") == "BFO");
  }

  TEST_CASE("optionsymbol answers its errors in OpenAlgo's words and statuses") {
    Account account;
    auto daemon = start(account);

    auto invalid = symbol_request(account.api_key, "ITM51", "XX");
    invalid["strike_int"] = 0;
    invalid["colour"] = "red";
    auto refused = post(daemon, "/api/v1/optionsymbol", invalid);
    CHECK(refused.status == 400);
    CHECK(refused.text == R"({"status":"error","message":"Validation error","errors":{)"
                          R"("strike_int":["Must be greater than or equal to 1."],)"
                          R"("offset":["Offset must be ATM, ITM1-ITM50, or OTM1-OTM50"],)"
                          R"("option_type":["Must be one of: CE, PE, ce, pe."],"colour":["Unknown field."]}})"
                          "\n");

    auto no_expiry = symbol_request(account.api_key, "ATM", "CE");
    no_expiry.erase("expiry_date");
    auto missing = post(daemon, "/api/v1/optionsymbol", no_expiry);
    CHECK(missing.status == 400);
    CHECK(missing.body.at("message") ==
          "Expiry date required. Provide via expiry_date parameter or embed in underlying (e.g., NIFTY28OCT25FUT).");

    // 81 strikes: 50 steps one way or the other runs off the end.
    const bool low_atm =
        post(daemon, "/api/v1/optionsymbol", symbol_request(account.api_key, "ITM50", "CE")).status != 200;
    const std::string offset = low_atm ? "ITM50" : "OTM50";
    auto far = post(daemon, "/api/v1/optionsymbol", symbol_request(account.api_key, offset, "CE"));
    CHECK(far.status == 400);
    CHECK(text(far.body.at("message")) ==
          "Offset " + offset + " is out of range for available strikes. Please use a smaller offset.");

    auto old = symbol_request(account.api_key, "ATM", "CE");
    old["expiry_date"] = "01JAN20";
    auto none = post(daemon, "/api/v1/optionsymbol", old);
    CHECK(none.status == 404);
    CHECK(none.body.at("message") ==
          "No strikes found for NIFTY expiring 01JAN20. Please check expiry date or update master contract.");

    // Strikes are listed at multiples of 50: a prime interval this large puts the ATM strike on one of
    // its own multiples (19946, 29919, ...), never on a listed one, wherever the simulator's price is.
    auto odd_interval = symbol_request(account.api_key, "ATM", "CE");
    odd_interval["strike_int"] = 9973;
    auto unlisted = post(daemon, "/api/v1/optionsymbol", odd_interval);
    CHECK(unlisted.status == 404);
    CHECK(std::string(unlisted.body.at("message").as_string())
              .ends_with(" not found in NFO. Symbol may not exist or master contract needs update."));

    auto unknown = symbol_request(account.api_key, "ATM", "CE");
    unknown["underlying"] = "NOSUCH";
    unknown["exchange"] = "NSE";
    auto not_quoted = post(daemon, "/api/v1/optionsymbol", unknown);
    CHECK(not_quoted.status == 400);
    CHECK(not_quoted.body.at("message") ==
          "Failed to fetch LTP for NOSUCH. Symbol 'NOSUCH' not found for exchange 'NSE'. Please verify the symbol name "
          "and ensure master contracts are downloaded.");

    auto bad_key = post(daemon, "/api/v1/optionsymbol", symbol_request("not-a-key", "ATM", "CE"));
    CHECK(bad_key.status == 403);
    CHECK(bad_key.text == R"({"status":"error","message":"Failed to fetch LTP for NIFTY. Invalid openalgo apikey"})"
                          "\n");
  }

  TEST_CASE("optionchain lists labelled, quoted strikes around the money, with Greeks on request") {
    Account account;
    auto daemon = start(account);
    json::object request{{"apikey", account.api_key},
                         {"underlying", "NIFTY"},
                         {"exchange", "NSE_INDEX"},
                         {"expiry_date", nifty_expiry()},
                         {"strike_count", 2}};
    auto plain = post(daemon, "/api/v1/optionchain", request);
    REQUIRE_MESSAGE(plain.status == 200, plain.text);
    CHECK(plain.text.starts_with(
        R"({"status":"success","underlying":"NIFTY","underlying_symbol":"NIFTY","underlying_exchange":"NSE_INDEX",)"));
    const auto& body = plain.body;
    CHECK(text(body.at("expiry_date")) == nifty_expiry());
    CHECK(body.at("quotes_included") == true);
    CHECK(body.at("greeks_included") == false);
    CHECK(body.at("forward_price").is_null());
    CHECK(body.at("expiry_ts").as_int64() > body.at("server_ts").as_int64());
    const auto& chain = body.at("chain").as_array();
    REQUIRE(chain.size() == 5);
    CHECK(number(chain[2].at("strike")) == number(body.at("atm_strike")));
    CHECK(number(chain[1].at("strike")) == number(body.at("atm_strike")) - 50);
    CHECK(chain[0].at("ce").at("label") == "ITM2");
    CHECK(chain[0].at("pe").at("label") == "OTM2");
    CHECK(chain[2].at("ce").at("label") == "ATM");
    CHECK(chain[4].at("pe").at("label") == "ITM2");
    const auto& call = chain[2].at("ce").as_object();
    for (const char* field : {"symbol", "label", "ltp", "bid", "ask", "bid_qty", "ask_qty", "open", "high", "low",
                              "prev_close", "volume", "oi", "lotsize", "tick_size"}) {
      CAPTURE(field);
      CHECK(call.contains(field));
    }
    CHECK(number(call.at("ltp")) > 0);
    CHECK_FALSE(call.contains("implied_volatility"));

    request["with_greeks"] = true;
    request["interest_rate"] = nullptr;
    auto greeks = post(daemon, "/api/v1/optionchain", request);
    REQUIRE_MESSAGE(greeks.status == 200, greeks.text);
    CHECK(greeks.body.at("greeks_included") == true);
    const double forward = number(greeks.body.at("forward_price"));
    CHECK(std::fabs(forward / number(greeks.body.at("underlying_ltp")) - 1) < 0.02);
    const auto& atm_call = greeks.body.at("chain").at(2).at("ce").as_object();
    const auto& atm_put = greeks.body.at("chain").at(2).at("pe").as_object();
    // The simulator prices its NIFTY options at 12 % volatility.
    CHECK(number(atm_call.at("implied_volatility")) > 6);
    CHECK(number(atm_call.at("implied_volatility")) < 24);
    CHECK(number(atm_call.at("delta")) > 0.2);
    CHECK(number(atm_call.at("delta")) < 0.8);
    CHECK(number(atm_put.at("delta")) < 0);
    CHECK(number(atm_put.at("theta")) < 0);
    CHECK(number(atm_put.at("vega")) > 0);
  }

  TEST_CASE("optionchain prices currency options against the near-month future, and says when there are none") {
    Account account;
    auto daemon = start(account);
    auto usdinr = post(daemon, "/api/v1/optionchain",
                       {{"apikey", account.api_key},
                        {"underlying", "USDINR"},
                        {"exchange", "CDS"},
                        {"expiry_date", usdinr_expiry()},
                        {"strike_count", 1}});
    REQUIRE_MESSAGE(usdinr.status == 200, usdinr.text);
    CHECK(std::string(usdinr.body.at("underlying_symbol").as_string()).starts_with("USDINR"));
    CHECK(std::string(usdinr.body.at("underlying_symbol").as_string()).ends_with("FUT"));
    CHECK(usdinr.body.at("underlying_exchange") == "CDS");
    const auto& chain = usdinr.body.at("chain").as_array();
    REQUIRE(chain.size() == 3);
    CHECK(number(chain[1].at("strike")) - number(chain[0].at("strike")) == 0.25);

    // MCX lists CRUDEOIL futures but no options in the simulator.
    auto crude = post(
        daemon, "/api/v1/optionchain",
        {{"apikey", account.api_key}, {"underlying", "CRUDEOIL"}, {"exchange", "MCX"}, {"expiry_date", "19JAN30"}});
    CHECK(crude.status == 404);
    CHECK(crude.body.at("message") ==
          "No strikes found for CRUDEOIL expiring 19JAN30. Please check expiry date or update master contract.");
  }

  TEST_CASE("optionchain answers its errors in OpenAlgo's words and statuses") {
    Account account;
    auto daemon = start(account);
    json::object request{{"apikey", account.api_key},     {"underlying", "NIFTY"}, {"exchange", "NSE_INDEX"},
                         {"expiry_date", nifty_expiry()}, {"strike_count", 0},     {"with_greeks", "maybe"}};
    auto refused = post(daemon, "/api/v1/optionchain", request);
    CHECK(refused.status == 400);
    CHECK(refused.text == R"({"status":"error","message":"Validation error","errors":{)"
                          R"("strike_count":["Must be greater than or equal to 1 and less than or equal to 100."],)"
                          R"("with_greeks":["Not a valid boolean."]}})"
                          "\n");

    request.erase("with_greeks");
    request["strike_count"] = 3;
    request["expiry_date"] = "";
    auto empty = post(daemon, "/api/v1/optionchain", request);
    CHECK(empty.status == 400);
    CHECK(empty.body.at("message") == "Expiry date is required.");

    request["expiry_date"] = "01JAN20";
    auto none = post(daemon, "/api/v1/optionchain", request);
    CHECK(none.status == 404);
    CHECK(none.body.at("message") ==
          "No strikes found for NIFTY expiring 01JAN20. Please check expiry date or update master contract.");

    request["expiry_date"] = nifty_expiry();
    request["apikey"] = "not-a-key";
    auto bad_key = post(daemon, "/api/v1/optionchain", request);
    CHECK(bad_key.status == 403);
    CHECK(bad_key.body.at("message") == "Failed to fetch LTP for NIFTY: Invalid openalgo apikey");
  }

  TEST_CASE("syntheticfuture is the ATM strike plus the call less the put, echoing the request") {
    Account account;
    auto daemon = start(account);
    json::object request{{"apikey", account.api_key},
                         {"underlying", "NIFTY"},
                         {"exchange", "NSE_INDEX"},
                         {"expiry_date", nifty_expiry()}};
    auto synthetic = post(daemon, "/api/v1/syntheticfuture", request);
    REQUIRE_MESSAGE(synthetic.status == 200, synthetic.text);
    // Flask's jsonify: keys sorted.
    CHECK(synthetic.text.starts_with(R"({"atm_strike":)"));
    CHECK(synthetic.body.at("status") == "success");
    CHECK(synthetic.body.at("underlying") == "NIFTY");
    CHECK(text(synthetic.body.at("expiry")) == nifty_expiry());
    const double ltp = number(synthetic.body.at("underlying_ltp"));
    CHECK(std::fabs(number(synthetic.body.at("atm_strike")) - ltp) <= 25);
    CHECK(std::fabs(number(synthetic.body.at("synthetic_future_price")) / ltp - 1) < 0.02);

    request.erase("expiry_date");
    auto refused = post(daemon, "/api/v1/syntheticfuture", request);
    CHECK(refused.status == 400);
    CHECK(
        refused.text ==
        R"({"errors":{"expiry_date":["Missing data for required field."]},"message":"Validation error","status":"error"})"
        "\n");

    request["expiry_date"] = "01JAN20";
    auto none = post(daemon, "/api/v1/syntheticfuture", request);
    CHECK(none.status == 404);
    CHECK(
        none.text ==
        R"({"message":"No strikes found for NIFTY expiring 01JAN20. Please check expiry date or update master contract.","status":"error"})"
        "\n");
  }

  TEST_CASE("optiongreeks gives the IV and Greeks of an option priced off the synthetic future") {
    Account account;
    auto daemon = start(account);
    const auto call = atm_symbol(daemon, account, "CE");
    auto reply =
        post(daemon, "/api/v1/optiongreeks", {{"apikey", account.api_key}, {"symbol", call}, {"exchange", "NFO"}});
    REQUIRE_MESSAGE(reply.status == 200, reply.text);
    CHECK(reply.text.starts_with(R"({"days_to_expiry":)"));
    const auto& body = reply.body;
    CHECK(body.at("status") == "success");
    CHECK(text(body.at("symbol")) == call);
    CHECK(body.at("underlying") == "NIFTY");
    CHECK(body.at("option_type") == "CE");
    CHECK(body.at("interest_rate") == 0);
    CHECK(number(body.at("days_to_expiry")) > 0);
    CHECK(number(body.at("days_to_expiry")) <= 7);
    CHECK(number(body.at("implied_volatility")) > 6);
    CHECK(number(body.at("implied_volatility")) < 24);
    const auto& greeks = body.at("greeks").as_object();
    CHECK(number(greeks.at("delta")) > 0.2);
    CHECK(number(greeks.at("delta")) < 0.8);
    CHECK(number(greeks.at("gamma")) > 0);
    CHECK(number(greeks.at("theta")) < 0);
    CHECK(number(greeks.at("vega")) > 0);
    CHECK(greeks.contains("rho"));

    auto forward = post(daemon, "/api/v1/optiongreeks",
                        {{"apikey", account.api_key},
                         {"symbol", call},
                         {"exchange", "NFO"},
                         {"forward_price", number(body.at("spot_price")) + 10},
                         {"interest_rate", "6.5"}});
    REQUIRE_MESSAGE(forward.status == 200, forward.text);
    CHECK(number(forward.body.at("spot_price")) == doctest::Approx(number(body.at("spot_price")) + 10));
    CHECK(number(forward.body.at("interest_rate")) == 6.5);
    CHECK(number(forward.body.at("greeks").at("delta")) > number(greeks.at("delta")));

    // A client's own underlying is quoted as it is, with no synthetic future:
    // against BANKNIFTY the NIFTY call is deep in the money with no time value.
    auto custom = post(daemon, "/api/v1/optiongreeks",
                       {{"apikey", account.api_key},
                        {"symbol", call},
                        {"exchange", "NFO"},
                        {"underlying_symbol", "BANKNIFTY"},
                        {"underlying_exchange", "NSE_INDEX"}});
    REQUIRE_MESSAGE(custom.status == 200, custom.text);
    CHECK(number(custom.body.at("spot_price")) > 40000);
    CHECK(custom.body.at("implied_volatility") == 0);
    CHECK(number(custom.body.at("greeks").at("delta")) == 1.0);
    CHECK(custom.body.at("note") == "Deep ITM option with no time value - theoretical Greeks returned");
  }

  TEST_CASE("optiongreeks answers its errors in OpenAlgo's words and statuses") {
    Account account;
    auto daemon = start(account);
    auto wrong_exchange =
        post(daemon, "/api/v1/optiongreeks",
             {{"apikey", account.api_key}, {"symbol", "X"}, {"exchange", "NSE"}, {"interest_rate", 101}});
    CHECK(wrong_exchange.status == 400);
    CHECK(wrong_exchange.text ==
          R"({"errors":{"exchange":["Must be one of: NFO, BFO, MCX, CDS, NCO, BCD, NCDEX, CRYPTO."],)"
          R"("interest_rate":["Must be greater than or equal to 0 and less than or equal to 100."]},)"
          R"("message":"Validation failed","status":"error"})"
          "\n");

    auto null_body = http(daemon.port(), "POST", "/api/v1/optiongreeks", "null");
    CHECK(null_body.status == 400);
    CHECK(null_body.body == R"({"message":"Request body is missing or invalid JSON","status":"error"})"
                            "\n");

    auto bad_key =
        post(daemon, "/api/v1/optiongreeks", {{"apikey", "not-a-key"}, {"symbol", "X"}, {"exchange", "NFO"}});
    CHECK(bad_key.status == 401);
    CHECK(bad_key.text == R"({"message":"Invalid openalgo apikey","status":"error"})"
                          "\n");

    auto bad_symbol =
        post(daemon, "/api/v1/optiongreeks", {{"apikey", account.api_key}, {"symbol", "NIFTY"}, {"exchange", "NFO"}});
    CHECK(bad_symbol.status == 400);
    CHECK(bad_symbol.body.at("message") == "Failed to parse option symbol NIFTY: Invalid option symbol format: NIFTY");

    const auto call = atm_symbol(daemon, account, "CE");
    auto bad_time =
        post(daemon, "/api/v1/optiongreeks",
             {{"apikey", account.api_key}, {"symbol", call}, {"exchange", "NFO"}, {"expiry_time", "25:00"}});
    CHECK(bad_time.status == 400);
    CHECK(text(bad_time.body.at("message")) ==
          "Failed to parse option symbol " + call +
              ": Invalid expiry_time values: 25:00. Hour must be 0-23, minute must be 0-59");

    auto unlisted = post(daemon, "/api/v1/optiongreeks",
                         {{"apikey", account.api_key}, {"symbol", "NIFTY01JAN2024000CE"}, {"exchange", "NFO"}});
    CHECK(unlisted.status == 400);
    CHECK(unlisted.body.at("message") ==
          "Failed to fetch option price: Symbol 'NIFTY01JAN2024000CE' not found for exchange 'NFO'. Please verify the "
          "symbol name and ensure master contracts are downloaded.");
  }

  TEST_CASE("multioptiongreeks reports each symbol in request order with a summary, always with 200") {
    Account account;
    auto daemon = start(account);
    const auto call = atm_symbol(daemon, account, "CE");
    const auto put = atm_symbol(daemon, account, "PE");
    json::array symbols{json::object{{"symbol", call}, {"exchange", "NFO"}},
                        json::object{{"symbol", "NIFTY"}, {"exchange", "NFO"}},
                        json::object{{"symbol", put}, {"exchange", "NFO"}, {"underlying_symbol", "NIFTY"}}};
    auto partial = post(daemon, "/api/v1/multioptiongreeks",
                        {{"apikey", account.api_key}, {"symbols", symbols}, {"interest_rate", 5}});
    REQUIRE_MESSAGE(partial.status == 200, partial.text);
    CHECK(partial.text.starts_with(R"({"data":[)"));
    CHECK(partial.body.at("status") == "partial");
    CHECK(json::serialize(partial.body.at("summary")) == R"({"failed":1,"success":2,"total":3})");
    CHECK(partial.body.at("message") ==
          "1 option Greeks calculation(s) failed: Failed to parse option symbol NIFTY: Invalid option symbol format: "
          "NIFTY");
    const auto& data = partial.body.at("data").as_array();
    REQUIRE(data.size() == 3);
    CHECK(text(data[0].at("symbol")) == call);
    CHECK(data[0].at("status") == "success");
    CHECK(number(data[0].at("interest_rate")) == 5.0);
    CHECK(number(data[0].at("greeks").at("delta")) > 0);
    CHECK(json::serialize(data[1]) ==
          R"({"exchange":"NFO","message":"Failed to parse option symbol NIFTY: Invalid option symbol format: NIFTY",)"
          R"("status":"error","symbol":"NIFTY"})");
    CHECK(text(data[2].at("symbol")) == put);
    CHECK(number(data[2].at("greeks").at("delta")) < 0);

    auto all_failed =
        post(daemon, "/api/v1/multioptiongreeks",
             {{"apikey", account.api_key},
              {"symbols", json::array{json::object{{"symbol", "NIFTY01JAN2024000CE"}, {"exchange", "NFO"}}}}});
    CHECK(all_failed.status == 200);
    CHECK(all_failed.body.at("status") == "error");
    CHECK(all_failed.body.at("message") == "All option Greeks calculations failed: Option LTP not available");
  }

  TEST_CASE("multioptiongreeks checks its list and the key before computing anything") {
    Account account;
    auto daemon = start(account);
    auto empty = post(daemon, "/api/v1/multioptiongreeks", {{"apikey", account.api_key}, {"symbols", json::array()}});
    CHECK(empty.status == 400);
    CHECK(
        empty.text ==
        R"({"errors":{"symbols":["Length must be between 1 and 50."]},"message":"Validation failed","status":"error"})"
        "\n");
    auto bad_item = post(
        daemon, "/api/v1/multioptiongreeks",
        {{"apikey", account.api_key}, {"symbols", json::array{json::object{{"symbol", "X"}, {"exchange", "NSE"}}}}});
    CHECK(bad_item.status == 400);
    CHECK(bad_item.body.at("errors").at("symbols").at("0").at("exchange").at(0) ==
          "Must be one of: NFO, BFO, MCX, CDS, NCO, BCD, NCDEX, CRYPTO.");
    auto bad_key =
        post(daemon, "/api/v1/multioptiongreeks",
             {{"apikey", "not-a-key"}, {"symbols", json::array{json::object{{"symbol", "X"}, {"exchange", "NFO"}}}}});
    CHECK(bad_key.status == 401);
    CHECK(bad_key.body.at("message") == "Invalid openalgo apikey");
  }
}
