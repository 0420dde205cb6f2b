// Quotes, multiquotes, depth and history against the fake's price path.
#include "zerodha_fixture.hpp"

using namespace oa::test;

TEST_SUITE("zerodha market data") {
  TEST_CASE("quotes ask Kite for EXCHANGE:tradingsymbol and answer OpenAlgo's fields") {
    ZerodhaPlugin zerodha;
    auto quote = zerodha.answer(Operation::Quotes, json::object{{"symbol", "INFY"}, {"exchange", "NSE"}});
    auto sent = zerodha.fake.requests_to("GET", "/quote");
    REQUIRE(sent.size() == 1);
    CHECK(field(sent[0], "i") == "NSE:INFY");
    CHECK(quote.at("ltp").to_number<double>() > 1890);
    CHECK(quote.at("bid").to_number<double>() < quote.at("ltp").to_number<double>());
    CHECK(quote.at("ask").to_number<double>() > quote.at("ltp").to_number<double>());
    CHECK(quote.at("volume") == 123456);
  }

  TEST_CASE("an index is quoted under Kite's own name and exchange") {
    ZerodhaPlugin zerodha;
    zerodha.answer(Operation::Quotes, json::object{{"symbol", "NIFTY"}, {"exchange", "NSE_INDEX"}});
    CHECK(field(zerodha.fake.requests_to("GET", "/quote").at(0), "i") == "NSE:NIFTY 50");
  }

  TEST_CASE("multiquotes ask once for the batch and give an error per unknown symbol") {
    ZerodhaPlugin zerodha;
    json::array symbols{json::object{{"symbol", "SBIN"}, {"exchange", "NSE"}},
                        json::object{{"symbol", "NOPE"}, {"exchange", "NSE"}},
                        json::object{{"symbol", "USDINR27DEC24FUT"}, {"exchange", "CDS"}}};
    auto results = zerodha.answer(Operation::Multiquotes, json::object{{"symbols", symbols}}).at("results").as_array();
    REQUIRE(results.size() == 3);
    CHECK(results[0].at("data").at("ltp").to_number<double>() > 800);
    CHECK(results[1].at("error") == "Symbol NOPE not found on NSE");
    // The fake's price path steps every 500 ms, up to 0.3 % above the base; a wrong divisor is off by 10^5.
    auto usdinr = results[2].at("data").at("ltp").to_number<double>();
    CHECK(usdinr >= 84.1275);
    CHECK(usdinr <= 84.1275 * 1.003 + 1e-9);
    CHECK(zerodha.fake.requests_to("GET", "/quote").size() == 1);
  }

  TEST_CASE("multiquotes past 500 symbols asks in batches, and a batch over Kite's rate says so per symbol") {
    ZerodhaPlugin zerodha;
    json::array symbols;
    for (int i = 0; i < 501; ++i) symbols.push_back(json::object{{"symbol", "SBIN"}, {"exchange", "NSE"}});
    auto results = zerodha.answer(Operation::Multiquotes, json::object{{"symbols", symbols}}).at("results").as_array();
    REQUIRE(results.size() == 501);
    CHECK(results[499].as_object().contains("data"));
    CHECK(std::string(results[500].at("error").as_string()).starts_with("the broker allows 1 request(s) per second"));
    auto sent = zerodha.fake.requests_to("GET", "/quote");
    REQUIRE(sent.size() == 1);
    CHECK(sent[0].fields.count("i") == 500);
  }

  TEST_CASE("depth has five levels a side and Kite's own buy and sell totals") {
    ZerodhaPlugin zerodha;
    auto depth = zerodha.answer(Operation::Depth, json::object{{"symbol", "SBIN"}, {"exchange", "NSE"}});
    CHECK(depth.at("bids").as_array().size() == 5);
    CHECK(depth.at("asks").as_array().size() == 5);
    CHECK(depth.at("asks").at(4).at("quantity") == 550);
    CHECK(depth.at("totalbuyqty") == 5000);
    CHECK(depth.at("ltq") == 25);
  }

  TEST_CASE("history over 150 days of 1m bars is asked in 60-day chunks that meet without a gap") {
    ZerodhaPlugin zerodha;
    auto history = zerodha.answer(Operation::History, json::object{{"symbol", "SBIN"}, {"exchange", "NSE"},
                                                                   {"interval", "1m"}, {"start_date", "2024-06-01"},
                                                                   {"end_date", "2024-10-28"}});
    auto sent = zerodha.fake.requests_to("GET", "/instruments/historical/779521/minute");
    REQUIRE(sent.size() == 3);
    CHECK(field(sent[0], "from") == "2024-06-01 00:00:00");
    CHECK(field(sent[0], "to") == "2024-07-30 23:59:59");
    CHECK(field(sent[1], "from") == "2024-07-31 00:00:00");
    CHECK(field(sent[2], "to") == "2024-10-28 23:59:59");
    CHECK(field(sent[0], "oi") == "1");
    auto candles = history.at("candles").as_array();
    CHECK(candles.size() == 2 * 106);  // two bars on each of the 106 weekdays
    CHECK(candles.at(0).at("timestamp") == 1717386300);  // 2024-06-03 09:15 IST
  }

  TEST_CASE("a range needing more requests than Kite lets through at once is refused before any is sent") {
    ZerodhaPlugin zerodha;
    auto outcome = zerodha.call(Operation::History, json::object{{"symbol", "SBIN"}, {"exchange", "NSE"},
                                                                {"interval", "1m"}, {"start_date", "2024-01-01"},
                                                                {"end_date", "2024-12-31"}});
    CHECK(outcome.status == OA_ERR_INVALID_ARGUMENT);
    CHECK(outcome.message == "Kite serves 60 days of 1m bars per request and 3 request(s) per second: ask for at most "
                             "180 days at a time");
    CHECK(zerodha.fake.requests_to("GET", "/instruments/historical/779521/minute").empty());
  }

  TEST_CASE("daily bars are stamped 00:00 UTC of their trading date, with OI for derivatives") {
    ZerodhaPlugin zerodha;
    auto history = zerodha.answer(Operation::History, json::object{{"symbol", "NIFTY26DEC24FUT"}, {"exchange", "NFO"},
                                                                   {"interval", "D"}, {"start_date", "2024-11-25"},
                                                                   {"end_date", "2024-11-26"}});
    auto candles = history.at("candles").as_array();
    REQUIRE(candles.size() == 2);
    CHECK(candles[0].at("timestamp") == 1732492800);  // 2024-11-25T00:00:00Z
    CHECK(candles[0].at("oi") == 4242);
  }

  TEST_CASE("an interval Kite lacks is refused by name") {
    ZerodhaPlugin zerodha;
    auto outcome = zerodha.call(Operation::History, json::object{{"symbol", "SBIN"}, {"exchange", "NSE"},
                                                                {"interval", "W"}, {"start_date", "2024-11-25"},
                                                                {"end_date", "2024-11-26"}});
    CHECK(outcome.status == OA_ERR_INVALID_ARGUMENT);
    CHECK(outcome.message == "this broker does not accept interval 'W'");
  }
}
