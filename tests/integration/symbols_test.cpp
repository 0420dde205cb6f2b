// The symbol services (rest_api.md C.6) against the simulator's master
// contract: symbol, search, expiry and instruments, and their errors.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>

#include <boost/json.hpp>

#include "support/account.hpp"
#include "support/daemon_process.hpp"
#include "support/http_client.hpp"

namespace json = boost::json;
using namespace oa::test;

namespace {

HttpReply post(const Daemon& daemon, const std::string& path, const json::object& body) {
  return http(daemon.port(), "POST", path, json::serialize(body));
}

json::object body_of(const HttpReply& reply) { return json::parse(reply.body).as_object(); }

json::value field_errors(const HttpReply& reply, std::string_view field) {
  return body_of(reply).at("message").as_object().at(field);
}

std::size_t line_count(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

}  // namespace

TEST_SUITE("symbols") {
  TEST_CASE("symbol gives one master-contract row, and 404 for an unknown one") {
    Account account;
    Daemon daemon(account.dir.path());
    auto reply =
        post(daemon, "/api/v1/symbol", {{"apikey", account.api_key}, {"symbol", "RELIANCE"}, {"exchange", "NSE"}});
    REQUIRE(reply.status == 200);
    auto data = body_of(reply).at("data").as_object();
    for (const char* field : {"brexchange", "brsymbol", "exchange", "expiry", "freeze_qty", "id", "instrumenttype",
                              "lotsize", "name", "strike", "symbol", "tick_size", "token"}) {
      CAPTURE(field);
      CHECK(data.contains(field));
    }
    CHECK(data.at("symbol") == "RELIANCE");
    CHECK(data.at("id").as_int64() > 0);
    CHECK(data.at("strike").is_double());

    auto missing =
        post(daemon, "/api/v1/symbol", {{"apikey", account.api_key}, {"symbol", "reliance"}, {"exchange", "NSE"}});
    CHECK(missing.status == 404);
    CHECK(body_of(missing).at("message") == "Symbol reliance not found in exchange NSE");
    auto invalid = post(daemon, "/api/v1/symbol", {{"apikey", account.api_key}, {"exchange", "NASDAQ"}});
    CHECK(field_errors(invalid, "symbol") == json::parse(R"(["Missing data for required field."])"));
    CHECK(field_errors(invalid, "exchange").at(0).as_string().starts_with("Must be one of: NSE, NFO"));
    CHECK(post(daemon, "/api/v1/symbol", {{"apikey", "wrong"}, {"symbol", "SBIN"}, {"exchange", "NSE"}}).status == 403);
  }

  TEST_CASE("search ranks the exact symbol first and filters by exchange") {
    Account account;
    Daemon daemon(account.dir.path());
    auto reply = post(daemon, "/api/v1/search", {{"apikey", account.api_key}, {"query", "nifty"}});
    REQUIRE(reply.status == 200);
    auto body = body_of(reply);
    const auto& data = body.at("data").as_array();
    REQUIRE(data.size() > 10);
    CHECK(data[0].at("symbol") == "NIFTY");
    CHECK_FALSE(data[0].as_object().contains("id"));
    CHECK(data[0].as_object().contains("freeze_qty"));
    CHECK(body.at("message").as_string() == "Found " + std::to_string(data.size()) + " matching symbols");

    auto filtered =
        post(daemon, "/api/v1/search", {{"apikey", account.api_key}, {"query", "SBIN"}, {"exchange", "BSE"}});
    REQUIRE(filtered.status == 200);
    auto bse = body_of(filtered).at("data").as_array();
    CHECK_FALSE(bse.empty());
    for (const auto& row : bse) CHECK(row.at("exchange") == "BSE");

    auto none = post(daemon, "/api/v1/search", {{"apikey", account.api_key}, {"query", "ZZZQQQ"}});
    CHECK(body_of(none) == json::parse(R"({"data":[],"message":"No matching symbols found","status":"success"})"));
    auto blank = post(daemon, "/api/v1/search", {{"apikey", account.api_key}, {"query", "   "}});
    CHECK(blank.status == 400);
    CHECK(body_of(blank).at("message") == "Query parameter is required and cannot be empty");
    auto null_exchange =
        post(daemon, "/api/v1/search", {{"apikey", account.api_key}, {"query", "SBIN"}, {"exchange", nullptr}});
    CHECK(field_errors(null_exchange, "exchange") == json::parse(R"(["Field may not be null."])"));
    CHECK(post(daemon, "/api/v1/search", {{"apikey", "wrong"}, {"query", "SBIN"}}).status == 403);
  }

  TEST_CASE("expiry lists an underlying's coming expiries, earliest first") {
    Account account;
    Daemon daemon(account.dir.path());
    auto options =
        post(daemon, "/api/v1/expiry",
             {{"apikey", account.api_key}, {"symbol", "nifty"}, {"exchange", "NFO"}, {"instrumenttype", "options"}});
    REQUIRE(options.status == 200);
    auto body = body_of(options);
    const auto& dates = body.at("data").as_array();
    REQUIRE(dates.size() >= 4);
    CHECK(body.at("message").as_string() ==
          "Found " + std::to_string(dates.size()) + " expiry dates for NIFTY options in NFO");
    CHECK(dates[0].as_string().size() == 9);  // DD-MMM-YY

    auto futures =
        post(daemon, "/api/v1/expiry",
             {{"apikey", account.api_key}, {"symbol", "NIFTY"}, {"exchange", "NFO"}, {"instrumenttype", "futures"}});
    REQUIRE(futures.status == 200);
    CHECK(body_of(futures).at("data").as_array().size() == 3);

    auto none =
        post(daemon, "/api/v1/expiry",
             {{"apikey", account.api_key}, {"symbol", "SBIN"}, {"exchange", "NFO"}, {"instrumenttype", "futures"}});
    CHECK(body_of(none) ==
          json::parse(R"({"data":[],"message":"No expiry dates found for SBIN futures in NFO","status":"success"})"));
    auto invalid =
        post(daemon, "/api/v1/expiry",
             {{"apikey", account.api_key}, {"symbol", "NIFTY"}, {"exchange", "NSE"}, {"instrumenttype", "FUTURES"}});
    CHECK(invalid.status == 400);
    CHECK(body_of(invalid).at("message") ==
          json::parse(R"({"exchange":["Must be one of: NFO, BFO, MCX, CDS, NCO, BCD, NCDEX, CRYPTO."],)"
                      R"("instrumenttype":["Must be one of: futures, options."]})"));
    CHECK(post(daemon, "/api/v1/expiry",
               {{"apikey", "wrong"}, {"symbol", "NIFTY"}, {"exchange", "NFO"}, {"instrumenttype", "futures"}})
              .status == 403);
  }

  TEST_CASE("instruments lists an exchange as JSON or as a CSV file, errors in the same form") {
    Account account;
    Daemon daemon(account.dir.path());
    auto started = std::chrono::steady_clock::now();
    auto listed = http(daemon.port(), "GET", "/api/v1/instruments?apikey=" + account.api_key + "&exchange=NSE");
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(1));
    REQUIRE(listed.status == 200);
    auto body = body_of(listed);
    const auto& data = body.at("data").as_array();
    REQUIRE(data.size() > 100);
    for (const auto& row : data) CHECK(row.at("exchange") == "NSE");
    CHECK(body.at("message").as_string() == "Found " + std::to_string(data.size()) + " instruments");

    auto csv =
        http(daemon.port(), "GET", "/api/v1/instruments/?apikey=" + account.api_key + "&exchange=NSE&format=CSV");
    REQUIRE(csv.status == 200);
    CHECK(csv.headers.at("content-type") == "text/csv");
    CHECK(csv.headers.at("content-disposition") == "attachment; filename=instruments_NSE.csv");
    CHECK(
        csv.body.starts_with("symbol,brsymbol,name,exchange,brexchange,token,expiry,strike,lotsize,instrumenttype,"
                             "tick_size\r\n"));
    CHECK(line_count(csv.body) == data.size() + 1);

    auto no_exchange = http(daemon.port(), "GET", "/api/v1/instruments?apikey=" + account.api_key);
    CHECK(no_exchange.status == 400);
    CHECK(field_errors(no_exchange, "exchange") == json::parse(R"(["Missing data for required field."])"));
    auto csv_error = http(daemon.port(), "GET", "/api/v1/instruments?format=csv&exchange=XX&apikey=" + account.api_key);
    CHECK(csv_error.status == 400);
    CHECK(csv_error.headers.at("content-type").starts_with("text/plain"));
    CHECK(csv_error.body.starts_with("{'exchange': ['Must be one of: NSE"));
    auto bad_key = http(daemon.port(), "GET", "/api/v1/instruments?apikey=wrong&exchange=NSE&format=csv");
    CHECK(bad_key.status == 403);
    CHECK(bad_key.body == "Invalid openalgo apikey");
    auto empty = http(daemon.port(), "GET", "/api/v1/instruments?apikey=" + account.api_key + "&exchange=NCDEX");
    CHECK(body_of(empty) == json::parse(R"({"data":[],"message":"No instruments found","status":"success"})"));
  }
}
