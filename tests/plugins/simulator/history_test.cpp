// Historical candles.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "simulator_fixture.hpp"

using namespace oa::test;

namespace {

std::int64_t epoch_seconds(std::int64_t ms) { return ms / 1000; }

// 00:00 UTC of a date, the stamp of daily bars.
std::int64_t utc_midnight(int year, unsigned month, unsigned day) {
  return epoch_seconds(ist_ms(year, month, day, 5, 30));
}

void check_consistent(const json::array& bars) {
  for (const auto& bar : bars) {
    double open = number(bar, "open"), high = number(bar, "high"), low = number(bar, "low"),
           close = number(bar, "close");
    CHECK(low <= open);
    CHECK(low <= close);
    CHECK(open <= high);
    CHECK(close <= high);
    CHECK(low > 0);
    CHECK(bar.at("volume").as_int64() >= 0);
  }
}

// The bar that spans all of `bars`.
struct Aggregate {
  double open, high, low, close;
  std::int64_t volume, oi;
};
Aggregate aggregate(const json::array& bars) {
  Aggregate total{number(bars.front(), "open"), 0, 1e300,
                  number(bars.back(), "close"), 0, bars.back().at("oi").as_int64()};
  for (const auto& bar : bars) {
    total.high = std::max(total.high, number(bar, "high"));
    total.low = std::min(total.low, number(bar, "low"));
    total.volume += bar.at("volume").as_int64();
  }
  return total;
}

void check_same(const json::value& bar, const Aggregate& total) {
  CHECK(number(bar, "open") == total.open);
  CHECK(number(bar, "high") == total.high);
  CHECK(number(bar, "low") == total.low);
  CHECK(number(bar, "close") == total.close);
  CHECK(bar.at("volume").as_int64() == total.volume);
  CHECK(bar.at("oi").as_int64() == total.oi);
}

}  // namespace

TEST_CASE("a full NSE session has 375 one-minute and 75 five-minute bars") {
  FakeHost host(kSessionOpen);
  PluginInstance simulator(host);
  CHECK(candles(simulator.history("SBIN", "NSE", "1m", "2025-11-18", "2025-11-18")).size() == 375);
  CHECK(candles(simulator.history("SBIN", "NSE", "5m", "2025-11-18", "2025-11-18")).size() == 75);
}

TEST_CASE("every interval covers exactly one session per trading day") {
  FakeHost host(kSessionOpen);
  PluginInstance simulator(host);
  struct Case {
    const char* interval;
    std::size_t bars;
  };
  // 22 500 session seconds; a last bar may be short (e.g. 15:15-15:30 at 1h).
  for (auto [interval, bars] :
       {Case{"1s", 22500}, Case{"5s", 4500}, Case{"10s", 2250}, Case{"15s", 1500}, Case{"30s", 750}, Case{"45s", 500},
        Case{"1m", 375},   Case{"2m", 188},  Case{"3m", 125},   Case{"5m", 75},    Case{"10m", 38},  Case{"15m", 25},
        Case{"20m", 19},   Case{"30m", 13},  Case{"1h", 7},     Case{"2h", 4},     Case{"3h", 3},    Case{"4h", 2},
        Case{"D", 1},      Case{"W", 1},     Case{"M", 1}}) {
    auto outcome = simulator.history("INFY", "NSE", interval, "2025-11-18", "2025-11-18");
    REQUIRE_MESSAGE(outcome.status == OA_OK, interval, ": ", outcome.error);
    CHECK_MESSAGE(candles(outcome).size() == bars, interval);
  }
}

TEST_CASE("intraday bars are stamped with the epoch of their IST start, and daily ones with 00:00 UTC of the date") {
  FakeHost host(kSessionOpen);
  PluginInstance simulator(host);
  auto minutes = candles(simulator.history("SBIN", "NSE", "1m", "2025-11-18", "2025-11-18"));
  CHECK(minutes.front().at("timestamp").as_int64() == epoch_seconds(ist_ms(2025, 11, 18, 9, 15)));
  CHECK(minutes.back().at("timestamp").as_int64() == epoch_seconds(ist_ms(2025, 11, 18, 15, 29)));
  auto hours = candles(simulator.history("SBIN", "NSE", "1h", "2025-11-18", "2025-11-18"));
  CHECK(hours.back().at("timestamp").as_int64() == epoch_seconds(ist_ms(2025, 11, 18, 15, 15)));
  auto days = candles(simulator.history("SBIN", "NSE", "D", "2025-11-18", "2025-11-18"));
  CHECK(days.front().at("timestamp").as_int64() == utc_midnight(2025, 11, 18));
}

TEST_CASE("daily bars cover trading days only: a week has five, a weekend none") {
  FakeHost host(kSessionOpen);
  PluginInstance simulator(host);
  auto week = candles(simulator.history("TCS", "NSE", "D", "2025-11-10", "2025-11-16"));
  REQUIRE(week.size() == 5);
  CHECK(week.front().at("timestamp").as_int64() == utc_midnight(2025, 11, 10));
  CHECK(week.back().at("timestamp").as_int64() == utc_midnight(2025, 11, 14));
  CHECK(candles(simulator.history("TCS", "NSE", "D", "2025-11-15", "2025-11-16")).empty());
  CHECK(candles(simulator.history("TCS", "NSE", "1m", "2025-11-15", "2025-11-16")).empty());
}

TEST_CASE("weekly and monthly bars group trading days by calendar week and month") {
  FakeHost host(kSessionOpen);
  PluginInstance simulator(host);
  auto days = candles(simulator.history("LT", "NSE", "D", "2025-11-03", "2025-11-16"));
  auto weeks = candles(simulator.history("LT", "NSE", "W", "2025-11-03", "2025-11-16"));
  REQUIRE(days.size() == 10);
  REQUIRE(weeks.size() == 2);
  CHECK(weeks[1].at("timestamp").as_int64() == utc_midnight(2025, 11, 10));
  check_same(weeks[0], aggregate(json::array(days.begin(), days.begin() + 5)));
  check_same(weeks[1], aggregate(json::array(days.begin() + 5, days.end())));
  auto months = candles(simulator.history("LT", "NSE", "M", "2025-10-01", "2025-11-19"));
  REQUIRE(months.size() == 2);
  CHECK(months[0].at("timestamp").as_int64() == utc_midnight(2025, 10, 1));
  CHECK(months[1].at("timestamp").as_int64() == utc_midnight(2025, 11, 3));
}

TEST_CASE("bars are consistent: low <= open, close <= high") {
  FakeHost host(kSessionOpen);
  PluginInstance simulator(host);
  check_consistent(candles(simulator.history("RELIANCE", "NSE", "1m", "2025-11-17", "2025-11-19")));
  check_consistent(candles(simulator.history("NIFTY25NOV2526000PE", "NFO", "5m", "2025-11-17", "2025-11-19")));
  check_consistent(candles(simulator.history("GOLD05DEC25FUT", "MCX", "15m", "2025-11-17", "2025-11-19")));
  check_consistent(candles(simulator.history("NIFTY", "NSE_INDEX", "D", "2025-01-01", "2025-11-19")));
}

TEST_CASE("a daily bar aggregates the intraday bars of its day") {
  FakeHost host(kSessionOpen);
  PluginInstance simulator(host);
  for (auto [symbol, exchange] : {std::pair{"RELIANCE", "NSE"}, std::pair{"NIFTY25NOV2526000PE", "NFO"},
                                  std::pair{"BANKNIFTY25NOV25FUT", "NFO"}, std::pair{"CRUDEOIL19DEC25FUT", "MCX"}}) {
    CAPTURE(symbol);
    auto day = candles(simulator.history(symbol, exchange, "D", "2025-11-18", "2025-11-18"));
    REQUIRE(day.size() == 1);
    check_same(day[0], aggregate(candles(simulator.history(symbol, exchange, "1m", "2025-11-18", "2025-11-18"))));
    check_same(day[0], aggregate(candles(simulator.history(symbol, exchange, "15s", "2025-11-18", "2025-11-18"))));
  }
}

TEST_CASE("today's bars stop at the current instant, and the last one closes at the quote") {
  FakeHost host(kSessionOpen);
  PluginInstance simulator(host);
  for (auto [symbol, exchange] : {std::pair{"AXISBANK", "NSE"}, std::pair{"NIFTY25NOV2526000CE", "NFO"}}) {
    CAPTURE(symbol);
    auto bars = candles(simulator.history(symbol, exchange, "1m", "2025-11-19", "2025-11-19"));
    REQUIRE(bars.size() == 106);  // 09:15 .. 11:00
    CHECK(bars.back().at("timestamp").as_int64() == epoch_seconds(ist_ms(2025, 11, 19, 11, 0)));
    auto quote = simulator.quotes(symbol, exchange).document();
    auto total = aggregate(bars);
    CHECK(number(bars.back(), "close") == number(quote, "ltp"));
    CHECK(total.open == number(quote, "open"));
    CHECK(total.high == number(quote, "high"));
    CHECK(total.low == number(quote, "low"));
    CHECK(total.volume == quote.at("volume").as_int64());
    auto today = candles(simulator.history(symbol, exchange, "D", "2025-11-19", "2025-11-30"));
    REQUIRE(today.size() == 1);
    CHECK(number(today[0], "close") == number(quote, "ltp"));
  }
}

TEST_CASE("sessions differ per exchange: MCX until 23:30, CDS until 17:00") {
  FakeHost host(kSessionOpen);
  PluginInstance simulator(host);
  auto crude = candles(simulator.history("CRUDEOIL19DEC25FUT", "MCX", "1h", "2025-11-18", "2025-11-18"));
  REQUIRE(crude.size() == 15);  // 09:00 .. 23:00, the last half an hour
  CHECK(crude.front().at("timestamp").as_int64() == epoch_seconds(ist_ms(2025, 11, 18, 9, 0)));
  CHECK(crude.back().at("timestamp").as_int64() == epoch_seconds(ist_ms(2025, 11, 18, 23, 0)));
  CHECK(candles(simulator.history("USDINR26NOV25FUT", "CDS", "1m", "2025-11-18", "2025-11-18")).size() == 480);
}

TEST_CASE("history is the same in every instance with the same seed") {
  FakeHost first_host(kSessionOpen), second_host(kSessionOpen);
  PluginInstance first(first_host), second(second_host);
  CHECK(first.history("WIPRO", "NSE", "5m", "2025-11-17", "2025-11-18").json ==
        second.history("WIPRO", "NSE", "5m", "2025-11-17", "2025-11-18").json);
}

TEST_CASE("an unsupported interval is refused with its name") {
  FakeHost host(kSessionOpen);
  PluginInstance simulator(host);
  auto outcome = simulator.history("SBIN", "NSE", "7m", "2025-11-18", "2025-11-18");
  CHECK(outcome.status == OA_ERR_INVALID_ARGUMENT);
  CHECK(outcome.error == "Unsupported interval: 7m");
}

TEST_CASE("a range with too many candles is refused with advice to narrow it") {
  FakeHost host(kSessionOpen);
  PluginInstance simulator(host);
  auto outcome = simulator.history("SBIN", "NSE", "1s", "2025-10-01", "2025-11-18");
  CHECK(outcome.status == OA_ERR_INVALID_ARGUMENT);
  CHECK(outcome.error.find("narrow the date range") != std::string::npos);
}

TEST_CASE("a malformed date is refused as an invalid argument") {
  FakeHost host(kSessionOpen);
  PluginInstance simulator(host);
  auto outcome = simulator.history("SBIN", "NSE", "D", "2025-13-01", "2025-11-18");
  CHECK(outcome.status == OA_ERR_INVALID_ARGUMENT);
  CHECK(outcome.error.find("start_date") != std::string::npos);
}
