#include <doctest/doctest.h>

#include <boost/json.hpp>

#include "api/json_text.hpp"
#include "api/market_data_format.hpp"

namespace json = boost::json;
using namespace oa::api;
using namespace std::chrono;

namespace {

json::array parse_array(std::string_view text) { return json::parse(text).as_array(); }

}  // namespace

TEST_SUITE("api") {
  TEST_CASE("depth is padded to five levels a side with zero levels") {
    auto depth = json::parse(R"({"bids":[{"price":10.5,"quantity":3}],"ltp":10.6})").as_object();
    pad_depth(depth);
    REQUIRE(depth.at("bids").as_array().size() == 5);
    REQUIRE(depth.at("asks").as_array().size() == 5);
    CHECK(depth.at("bids").at(0).at("price") == 10.5);
    CHECK(depth.at("bids").at(4) == json::parse(R"({"price":0,"quantity":0})"));
  }

  TEST_CASE("candles come out ascending, one per timestamp, with oi and sorted keys") {
    auto candles = tidy_candles(
        parse_array(R"([{"timestamp":120,"open":2.0,"close":2.5},{"timestamp":60,"open":1.0,"close":1.5},)"
                    R"({"timestamp":120,"open":9.0,"close":9.5},{"timestamp":180.0,"open":3.0,"close":3.5,"oi":7}])"));
    REQUIRE(candles);
    CHECK(to_json_text(*candles) ==
          R"([{"close":1.5,"oi":0,"open":1.0,"timestamp":60},{"close":2.5,"oi":0,"open":2.0,"timestamp":120},)"
          R"({"close":3.5,"oi":7,"open":3.0,"timestamp":180}])");
  }

  TEST_CASE("a candle without a numeric timestamp makes the answer malformed") {
    CHECK_FALSE(tidy_candles(parse_array(R"([{"open":1.0}])")));
    CHECK_FALSE(tidy_candles(parse_array(R"([{"timestamp":"60"}])")));
    CHECK_FALSE(tidy_candles(parse_array(R"([5])")));
  }

  TEST_CASE("intervals are grouped by unit and ordered by their leading number") {
    auto groups = interval_groups({"D", "15m", "1h", "3m", "1m", "60m", "W", "M", "30s", "5s", "Q"});
    CHECK(to_json_text(groups) == R"({"days":["D"],"hours":["1h"],"minutes":["1m","3m","15m","60m"],"months":["M"],)"
                                  R"("seconds":["5s","30s"],"weeks":["W"]})");
    CHECK(to_json_text(interval_groups({})) ==
          R"({"days":[],"hours":[],"minutes":[],"months":[],"seconds":[],"weeks":[]})");
  }

  TEST_CASE("a ticker range reaches back 3650 days for D, W and M and 30 days otherwise") {
    Date end{year(2025), April, day(30)};
    Date long_ago{year(2000), January, day(1)};
    CHECK(ticker_start("D", long_ago, end) == Date{sys_days(end) - days(3650)});
    CHECK(ticker_start("M", long_ago, end) == Date{sys_days(end) - days(3650)});
    CHECK(ticker_start("5m", long_ago, end) == Date{year(2025), March, day(31)});
    CHECK(ticker_start("5m", Date{year(2025), April, day(20)}, end) == Date{year(2025), April, day(20)});
  }

  TEST_CASE("ticker text has a line per candle, dates in IST, prices as Python floats") {
    auto daily = parse_array(
        R"([{"timestamp":1743465600,"open":1172,"high":1196.6,"low":1163.3,"close":1187.75,"volume":14414545.0},)"
        R"({"timestamp":1743552000,"open":1180.0,"high":1190.0,"low":1170.0,"close":1185.0,"volume":100}])");
    CHECK(ticker_text("NSE", "RELIANCE", "D", daily) ==
          "NSE:RELIANCE,2025-04-01,1172.0,1196.6,1163.3,1187.75,14414545\n"
          "NSE:RELIANCE,2025-04-02,1180.0,1190.0,1170.0,1185.0,100");
    auto intraday =
        parse_array(R"([{"timestamp":1743479100,"open":1.5,"high":2.0,"low":1.0,"close":1.25,"volume":7}])");
    CHECK(ticker_text("NSE", "SBIN", "5m", intraday) == "NSE:SBIN,2025-04-01,09:15:00,1.5,2.0,1.0,1.25,7");
    CHECK(ticker_text("NSE", "SBIN", "5m", json::array{}).empty());
  }
}
