// /api/v1/market/holidays and /api/v1/market/timings as OpenAlgo clients see
// them, served from the bundled config/market_calendar.json.
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include <cstdint>
#include <map>
#include <string>

#include "support/daemon_process.hpp"
#include "support/http_client.hpp"

namespace json = boost::json;
using namespace oa::test;

namespace {

// The daemon runs from the build directory, where the default relative path does not reach the file.
std::string calendar_flag() {
  return std::string("MARKET_CALENDAR_FILE=") + OPENALGOD_SOURCE_DIR + "/config/market_calendar.json";
}

// The calendar needs no user: its API key is never checked (rest_api.md A.5, L0).
struct CalendarDaemon {
  TempDir dir;
  Daemon daemon{dir.path(), {"--set", calendar_flag()}};
  HttpReply post(const std::string& path, const json::object& body) {
    return http(daemon.port(), "POST", path, json::serialize(body));
  }
};

json::object body_of(const HttpReply& reply) { return json::parse(reply.body).as_object(); }

std::vector<std::string> exchanges_of(const json::array& sessions) {
  std::vector<std::string> out;
  for (const auto& session : sessions) out.emplace_back(session.at("exchange").as_string());
  return out;
}

}  // namespace

TEST_SUITE("calendar") {
  TEST_CASE("a year's holidays come by date in OpenAlgo's shape, for any API key") {
    CalendarDaemon server;
    auto reply = server.post("/api/v1/market/holidays", {{"apikey", "not-a-real-key"}, {"year", 2026}});
    REQUIRE(reply.status == 200);
    auto body = body_of(reply);
    CHECK(body.at("status") == "success");
    CHECK(body.at("timezone") == "Asia/Kolkata");
    CHECK(body.at("year") == 2026);
    const auto& data = body.at("data").as_array();
    REQUIRE(data.size() >= 15);
    for (std::size_t i = 1; i < data.size(); ++i) CHECK(data[i - 1].at("date").as_string() < data[i].at("date").as_string());
    const json::object* republic_day = nullptr;
    for (const auto& row : data)
      if (row.at("date") == "2026-01-26") republic_day = &row.as_object();
    REQUIRE(republic_day);
    CHECK(republic_day->at("description") == "Republic Day");
    CHECK(republic_day->at("holiday_type") == "TRADING_HOLIDAY");
    CHECK(republic_day->at("closed_exchanges").as_array().size() >= 7);
    CHECK(republic_day->at("open_exchanges").as_array().empty());
  }

  TEST_CASE("a holiday's open exchanges carry their special hours in epoch milliseconds") {
    CalendarDaemon server;
    auto data = body_of(server.post("/api/v1/market/holidays", {{"apikey", "k"}, {"year", "2026"}})).at("data").as_array();
    for (const auto& row : data) {
      if (row.at("date") != "2026-03-03") continue;
      const auto& mcx = row.at("open_exchanges").at(0);
      CHECK(mcx.at("exchange") == "MCX");
      CHECK(mcx.at("start_time") == 1772537400000);  // 17:00 IST
      CHECK(mcx.at("end_time") == 1772562300000);    // 23:55 IST
      return;
    }
    FAIL("Holi 2026 is missing");
  }

  TEST_CASE("a year without entries has an empty list") {
    CalendarDaemon server;
    auto body = body_of(server.post("/api/v1/market/holidays", {{"apikey", "k"}, {"year", 2049}}));
    CHECK(body.at("data").as_array().empty());
  }

  TEST_CASE("a year outside 2020..2050 is refused with marshmallow's Range message") {
    CalendarDaemon server;
    auto reply = server.post("/api/v1/market/holidays", {{"apikey", "k"}, {"year", 2019}});
    CHECK(reply.status == 400);
    CHECK(json::parse(reply.body) ==
          json::parse(R"({"message":{"year":["Must be greater than or equal to 2020 and less than or equal to 2050."]},)"
                      R"("status":"error"})"));
  }

  TEST_CASE("a missing API key is a schema error even though the key is never checked") {
    CalendarDaemon server;
    auto reply = server.post("/api/v1/market/timings", {{"date", "2026-01-27"}});
    CHECK(reply.status == 400);
    CHECK(body_of(reply).at("message").at("apikey").at(0) == "Missing data for required field.");
  }

  TEST_CASE("a weekday's timings list every exchange in OpenAlgo's order") {
    CalendarDaemon server;
    auto reply = server.post("/api/v1/market/timings", {{"apikey", "k"}, {"date", "2025-12-19"}});
    REQUIRE(reply.status == 200);
    auto body = body_of(reply);
    const auto& data = body.at("data").as_array();
    CHECK(exchanges_of(data) ==
          std::vector<std::string>{"NSE", "BSE", "NFO", "BFO", "MCX", "BCD", "CDS", "NCO", "CRYPTO"});
    CHECK(data.at(0).at("start_time") == 1766115900000);  // 09:15 IST, as OpenAlgo's documentation shows
    CHECK(data.at(0).at("end_time") == 1766138400000);    // 15:30 IST
  }

  TEST_CASE("NFO and BFO close at 15:40 IST for the closing auction, NSE and BSE at 15:30") {
    CalendarDaemon server;
    auto reply = server.post("/api/v1/market/timings", {{"apikey", "k"}, {"date", "2025-12-19"}});
    REQUIRE(reply.status == 200);
    auto body = body_of(reply);
    std::map<std::string, std::int64_t> closes;
    for (const auto& session : body.at("data").as_array())
      closes[std::string(session.at("exchange").as_string())] = session.at("end_time").as_int64();
    const std::int64_t half_past_three = 1766138400000;  // 2025-12-19 15:30 IST
    CHECK(closes.at("NSE") == half_past_three);
    CHECK(closes.at("BSE") == half_past_three);
    CHECK(closes.at("NFO") == half_past_three + 10 * 60'000);
    CHECK(closes.at("BFO") == half_past_three + 10 * 60'000);
  }

  TEST_CASE("on a trading holiday only the exchanges that open are listed") {
    CalendarDaemon server;
    auto closed = body_of(server.post("/api/v1/market/timings", {{"apikey", "k"}, {"date", "2026-01-26"}}));
    CHECK(exchanges_of(closed.at("data").as_array()) == std::vector<std::string>{"CRYPTO"});
    auto evening = body_of(server.post("/api/v1/market/timings", {{"apikey", "k"}, {"date", "2026-03-03"}}));
    CHECK(exchanges_of(evening.at("data").as_array()) == std::vector<std::string>{"MCX", "NCO", "CRYPTO"});
  }

  TEST_CASE("on a weekend only crypto trades") {
    CalendarDaemon server;
    auto body = body_of(server.post("/api/v1/market/timings", {{"apikey", "k"}, {"date", "2026-01-24"}}));
    CHECK(exchanges_of(body.at("data").as_array()) == std::vector<std::string>{"CRYPTO"});
  }

  TEST_CASE("a date that is not YYYY-MM-DD or is out of range gets OpenAlgo's messages") {
    CalendarDaemon server;
    auto bad = server.post("/api/v1/market/timings", {{"apikey", "k"}, {"date", "26-01-2026"}});
    CHECK(bad.status == 400);
    CHECK(body_of(bad).at("message") == "Invalid date format. Use YYYY-MM-DD");
    auto early = server.post("/api/v1/market/timings", {{"apikey", "k"}, {"date", "2019-12-31"}});
    CHECK(early.status == 400);
    CHECK(body_of(early).at("message") == "Date must be between 2020-01-01 and 2050-12-31");
  }

  TEST_CASE("without a readable calendar file the daemon still serves and the calendar answers 500") {
    TempDir dir;
    Daemon daemon(dir.path(), {"--set", "MARKET_CALENDAR_FILE=" + (dir.path() / "none.json").string()});
    auto reply = http(daemon.port(), "POST", "/api/v1/market/holidays", R"({"apikey":"k"})");
    CHECK(reply.status == 500);
    CHECK(body_of(reply).at("message") ==
          "An error occurred while fetching holidays: the market calendar is not loaded (see the server log)");
    CHECK(http(daemon.port(), "GET", "/health").status == 200);
  }
}
