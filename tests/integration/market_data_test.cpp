// The market-data endpoints (rest_api.md C.5) against the simulator: multiquotes,
// depth, history, intervals and ticker, in OpenAlgo's shapes, and their errors.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

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

// The V-OBJ messages of one field.
json::value field_errors(const HttpReply& reply, std::string_view field) {
  return body_of(reply).at("message").as_object().at(field);
}

// "YYYY-MM-DD", `days_back` days before today (UTC).
std::string date_before_today(int days_back) {
  std::chrono::year_month_day day{std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()) -
                                  std::chrono::days(days_back)};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(day.year()), static_cast<unsigned>(day.month()),
                static_cast<unsigned>(day.day()));
  return text;
}

json::object history_request(const std::string& key, const std::string& interval, int days_back) {
  return {{"apikey", key},
          {"symbol", "RELIANCE"},
          {"exchange", "NSE"},
          {"interval", interval},
          {"start_date", date_before_today(days_back)},
          {"end_date", date_before_today(0)}};
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  for (std::size_t start = 0; start < text.size();) {
    auto end = text.find('\n', start);
    lines.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return lines;
}

}  // namespace

TEST_SUITE("market data") {
  TEST_CASE("multiquotes lists unknown symbols first, then the broker's quotes") {
    Account account;
    Daemon daemon(account.dir.path());
    auto reply = post(daemon, "/api/v1/multiquotes",
                      {{"apikey", account.api_key},
                       {"symbols", json::array{json::object{{"symbol", "RELIANCE"}, {"exchange", "NSE"}},
                                               json::object{{"symbol", "NOSUCH"}, {"exchange", "NSE"}},
                                               json::object{{"symbol", "NIFTY"}, {"exchange", "NSE_INDEX"}}}}});
    REQUIRE(reply.status == 200);
    auto body = body_of(reply);
    CHECK(body.at("status") == "success");
    const auto& results = body.at("results").as_array();
    REQUIRE(results.size() == 3);
    CHECK(results[0].at("symbol") == "NOSUCH");
    CHECK(results[0].at("error") ==
          "Symbol 'NOSUCH' not found for exchange 'NSE'. Please verify the symbol name and ensure master contracts "
          "are downloaded.");
    CHECK(results[1].at("symbol") == "RELIANCE");
    CHECK(results[1].at("data").at("ltp").to_number<double>() > 0);
    CHECK(results[2].at("exchange") == "NSE_INDEX");

    auto none_valid = post(daemon, "/api/v1/multiquotes",
                           {{"apikey", account.api_key},
                            {"symbols", json::array{json::object{{"symbol", "NOSUCH"}, {"exchange", "BSE"}}}}});
    CHECK(none_valid.status == 400);
    auto refused = body_of(none_valid);
    CHECK(refused.at("status") == "error");
    CHECK(refused.at("invalid_symbols").at(0).at("symbol") == "NOSUCH");
    CHECK(refused.at("message") == refused.at("invalid_symbols").at(0).at("error"));
  }

  TEST_CASE("multiquotes reports list and item errors as marshmallow does") {
    Account account;
    Daemon daemon(account.dir.path());
    auto empty = post(daemon, "/api/v1/multiquotes", {{"apikey", account.api_key}, {"symbols", json::array{}}});
    CHECK(empty.status == 400);
    CHECK(field_errors(empty, "symbols") == json::parse(R"(["Shorter than minimum length 1."])"));
    auto not_list = post(daemon, "/api/v1/multiquotes", {{"apikey", account.api_key}, {"symbols", "SBIN"}});
    CHECK(field_errors(not_list, "symbols") == json::parse(R"(["Not a valid list."])"));
    auto items = post(daemon, "/api/v1/multiquotes",
                      {{"apikey", account.api_key},
                       {"symbols", json::array{json::object{{"symbol", "SBIN"}, {"exchange", "NSE"}},
                                               json::object{{"symbol", "SBIN"}, {"exchange", "XX"}, {"x", 1}}, 5}},
                       {"extra", true}});
    CHECK(items.status == 400);
    CHECK(body_of(items).at("message") ==
          json::parse(R"({"symbols":{"1":{"exchange":["Must be one of: NSE, NFO, CDS, BSE, BFO, BCD, MCX, NCDEX, NCO, )"
                      R"(NSE_INDEX, BSE_INDEX, MCX_INDEX, GLOBAL_INDEX, CRYPTO."],"x":["Unknown field."]},)"
                      R"("2":{"_schema":["Invalid input type."]}},"extra":["Unknown field."]})"));
    auto missing = post(daemon, "/api/v1/multiquotes", {{"apikey", account.api_key}});
    CHECK(field_errors(missing, "symbols") == json::parse(R"(["Missing data for required field."])"));
    auto bad_key =
        post(daemon, "/api/v1/multiquotes",
             {{"apikey", "wrong"}, {"symbols", json::array{json::object{{"symbol", "SBIN"}, {"exchange", "NSE"}}}}});
    CHECK(bad_key.status == 403);
    CHECK(body_of(bad_key).at("message") == "Invalid openalgo apikey");
  }

  TEST_CASE("depth has five levels a side and OpenAlgo's fields, with the errors of quotes") {
    Account account;
    Daemon daemon(account.dir.path());
    auto reply = post(daemon, "/api/v1/depth", {{"apikey", account.api_key}, {"symbol", "SBIN"}, {"exchange", "NSE"}});
    REQUIRE(reply.status == 200);
    auto data = body_of(reply).at("data").as_object();
    for (const char* field : {"open", "high", "low", "ltp", "ltq", "prev_close", "volume", "oi", "totalbuyqty",
                              "totalsellqty", "bids", "asks"}) {
      CAPTURE(field);
      CHECK(data.contains(field));
    }
    CHECK(data.at("bids").as_array().size() == 5);
    CHECK(data.at("asks").at(0).as_object().contains("quantity"));

    auto unknown =
        post(daemon, "/api/v1/depth", {{"apikey", account.api_key}, {"symbol", "SBINX"}, {"exchange", "NSE"}});
    CHECK(unknown.status == 400);
    CHECK(body_of(unknown).at("message") ==
          "Symbol 'SBINX' not found for exchange 'NSE'. Please verify the symbol name and ensure master contracts "
          "are downloaded.");
    auto invalid = post(daemon, "/api/v1/depth", {{"apikey", account.api_key}, {"symbol", 5}, {"depth", 20}});
    CHECK(invalid.status == 400);
    CHECK(body_of(invalid).at("message") ==
          json::parse(R"({"symbol":["Not a valid string."],"exchange":["Missing data for required field."],)"
                      R"("depth":["Unknown field."]})"));
    auto bad_key = post(daemon, "/api/v1/depth", {{"apikey", "wrong"}, {"symbol", "SBIN"}, {"exchange", "NSE"}});
    CHECK(bad_key.status == 403);
  }

  TEST_CASE(
      "history answers ascending candles with epoch-second timestamps and oi, and intervals come from the plugin") {
    Account account;
    Daemon daemon(account.dir.path());
    auto daily = post(daemon, "/api/v1/history", history_request(account.api_key, "D", 20));
    REQUIRE(daily.status == 200);
    auto candles = body_of(daily).at("data").as_array();
    REQUIRE(candles.size() >= 10);
    for (std::size_t i = 0; i < candles.size(); ++i) {
      const auto& candle = candles[i].as_object();
      for (const char* field : {"timestamp", "open", "high", "low", "close", "volume", "oi"})
        CHECK(candle.contains(field));
      CHECK(candle.at("timestamp").is_int64());
      CHECK(candle.at("timestamp").as_int64() % 86400 == 0);
      if (i > 0) CHECK(candle.at("timestamp").as_int64() > candles[i - 1].at("timestamp").as_int64());
    }
    auto intraday = post(daemon, "/api/v1/history/", history_request(account.api_key, "5m", 3));
    REQUIRE(intraday.status == 200);
    auto bars = body_of(intraday).at("data").as_array();
    REQUIRE(bars.size() >= 2);
    CHECK(bars[1].at("timestamp").as_int64() - bars[0].at("timestamp").as_int64() == 300);

    auto intervals = post(daemon, "/api/v1/intervals", {{"apikey", account.api_key}});
    REQUIRE(intervals.status == 200);
    CHECK(body_of(intervals).at("data") ==
          json::parse(
              R"({"days":["D"],"hours":["1h","2h","3h","4h"],"minutes":["1m","2m","3m","5m","10m","15m","20m","30m"],)"
              R"("months":["M"],"seconds":["1s","5s","10s","15s","30s","45s"],"weeks":["W"]})"));
    CHECK(post(daemon, "/api/v1/intervals", {{"apikey", "wrong"}}).status == 403);
    auto extra = post(daemon, "/api/v1/intervals", {{"apikey", account.api_key}, {"broker", "x"}});
    CHECK(field_errors(extra, "broker") == json::parse(R"(["Unknown field."])"));
  }

  TEST_CASE("history refuses bad dates, unknown intervals and symbols, bad keys, and the local database source") {
    Account account;
    Daemon daemon(account.dir.path());
    auto request = history_request(account.api_key, "D", 5);
    request["start_date"] = "2025-02-30";
    request["end_date"] = 20250301;
    request["interval"] = "7m";
    auto invalid = post(daemon, "/api/v1/history", request);
    CHECK(invalid.status == 400);
    auto message = body_of(invalid).at("message");
    CHECK(message.at("start_date") == json::parse(R"(["Not a valid date."])"));
    CHECK(message.at("end_date") == json::parse(R"(["Not a valid date."])"));
    CHECK(message.at("interval").at(0).as_string().starts_with("Must be one of: 1s, 5s, 10s"));

    auto quarterly = post(daemon, "/api/v1/history", history_request(account.api_key, "Q", 400));
    CHECK(quarterly.status == 400);
    CHECK(body_of(quarterly).at("message").as_string().starts_with(
        "Interval 'Q' is not supported by broker 'simulator'"));

    auto unknown = history_request(account.api_key, "D", 5);
    unknown["symbol"] = "NOSUCH";
    CHECK(post(daemon, "/api/v1/history", unknown).status == 400);

    auto wrong_key = history_request("wrong", "D", 5);
    CHECK(post(daemon, "/api/v1/history", wrong_key).status == 403);

    auto local = history_request(account.api_key, "D", 5);
    local["source"] = "db";
    auto from_db = post(daemon, "/api/v1/history", local);
    CHECK(from_db.status == 501);
    CHECK(body_of(from_db).at("message").as_string().find("Historify") != json::string::npos);
    local["source"] = "disk";
    CHECK(field_errors(post(daemon, "/api/v1/history", local), "source") ==
          json::parse(R"(["Must be one of: api, db."])"));
  }

  TEST_CASE("ticker serves history over GET as JSON or as text lines, errors in the same form") {
    Account account;
    Daemon daemon(account.dir.path());
    auto range = "&from=" + date_before_today(20) + "&to=" + date_before_today(0);
    auto json_reply = http(daemon.port(), "GET", "/api/v1/ticker/NSE:RELIANCE?apikey=" + account.api_key + range);
    REQUIRE(json_reply.status == 200);
    auto candles = body_of(json_reply).at("data").as_array();
    REQUIRE(candles.size() >= 10);

    auto text =
        http(daemon.port(), "GET", "/api/v1/ticker/NSE%3ARELIANCE?format=TXT&apikey=" + account.api_key + range);
    REQUIRE(text.status == 200);
    CHECK(text.headers.at("content-type").starts_with("text/plain"));
    auto lines = lines_of(text.body);
    CHECK(lines.size() == candles.size());
    CHECK(lines.front().starts_with("NSE:RELIANCE,"));
    CHECK(lines.front().substr(13, 10) >= date_before_today(20));
    CHECK(std::count(lines.front().begin(), lines.front().end(), ',') == 6);
    CHECK(text.body.back() != '\n');

    auto intraday = http(daemon.port(), "GET",
                         "/api/v1/ticker/NSE:SBIN?interval=5m&format=txt&apikey=" + account.api_key +
                             "&from=2000-01-01&to=" + date_before_today(0));
    REQUIRE(intraday.status == 200);
    auto first = lines_of(intraday.body).front();
    CHECK(std::count(first.begin(), first.end(), ',') == 7);
    CHECK(first.substr(9, 10) >= date_before_today(31));  // clamped to 30 days before "to"

    auto missing = http(daemon.port(), "GET", "/api/v1/ticker/NSE:RELIANCE?format=txt&apikey=" + account.api_key);
    CHECK(missing.status == 400);
    CHECK(missing.body == "{'from': ['Missing data for required field.'], 'to': ['Missing data for required field.']}");
    auto bad_date =
        http(daemon.port(), "GET",
             "/api/v1/ticker/NSE:RELIANCE?apikey=" + account.api_key + "&from=yesterday&to=" + date_before_today(0));
    CHECK(field_errors(bad_date, "from") == json::parse(R"(["Not a valid date."])"));
    auto bad_key = http(daemon.port(), "GET", "/api/v1/ticker/NSE:RELIANCE?format=txt&apikey=wrong" + range);
    CHECK(bad_key.status == 403);
    CHECK(bad_key.body == "Invalid openalgo apikey\n");
    auto unknown = http(daemon.port(), "GET", "/api/v1/ticker/NSE:NOSUCH?apikey=" + account.api_key + range);
    CHECK(unknown.status == 400);
    auto bare = http(daemon.port(), "GET", "/api/v1/ticker/SBIN?apikey=" + account.api_key + range);
    CHECK(bare.status == 200);  // a symbol without exchange is on NSE
  }
}
