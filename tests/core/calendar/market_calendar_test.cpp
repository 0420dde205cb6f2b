#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "calendar/market_calendar.hpp"
#include "support/daemon_process.hpp"

using namespace oa::calendar;
using namespace std::chrono;

namespace {

constexpr std::string_view kSample = R"({
  "about": "test calendar",
  "sessions": [
    {"exchange": "NSE", "start": "09:15", "end": "15:30"},
    {"exchange": "MCX", "start": "09:00", "end": "23:55"},
    {"exchange": "CRYPTO", "start": "00:00", "end": "23:59:59", "weekends": true}
  ],
  "holidays": [
    {"date": "2026-01-26", "description": "Republic Day", "holiday_type": "TRADING_HOLIDAY",
     "closed_exchanges": ["NSE", "MCX"]},
    {"date": "2026-03-03", "description": "Holi", "holiday_type": "TRADING_HOLIDAY",
     "closed_exchanges": ["NSE"], "open_exchanges": [{"exchange": "MCX", "start": "17:00", "end": "23:55"}]},
    {"date": "2026-02-19", "description": "Chhatrapati Shivaji Maharaj Jayanti", "holiday_type": "SETTLEMENT_HOLIDAY"},
    {"date": "2026-11-08", "description": "Muhurat", "holiday_type": "SPECIAL_SESSION", "note": "a Sunday",
     "open_exchanges": [{"exchange": "NSE", "start": "18:00", "end": "19:15"},
                        {"exchange": "MCX", "start": "18:00", "end": "24:15"}]},
    {"date": "2025-12-25", "description": "Christmas", "holiday_type": "TRADING_HOLIDAY",
     "closed_exchanges": ["NSE", "MCX"]}
  ]
})";

Calendar sample() { return Calendar::parse(kSample, "sample.json"); }

Date ymd(int y, unsigned m, unsigned d) { return Date{year(y), month(m), day(d)}; }

// Epoch milliseconds of HH:MM IST on a date.
std::int64_t ist_ms(Date date, int hh, int mm) { return ist_midnight_ms(date) + (hh * 60 + mm) * 60'000LL; }

std::vector<std::string> exchanges(const std::vector<Session>& sessions) {
  std::vector<std::string> out;
  for (const auto& session : sessions) out.push_back(session.exchange);
  return out;
}

// The message of the CalendarError that parsing `text` throws.
std::string parse_error(std::string_view text) {
  try {
    Calendar::parse(text, "bad.json");
  } catch (const CalendarError& error) {
    return error.what();
  }
  return "(parsed without error)";
}

std::string with_holiday(std::string_view holiday) {
  return R"({"sessions": [{"exchange": "NSE", "start": "09:15", "end": "15:30"}], "holidays": [)" +
         std::string(holiday) + "]}";
}

}  // namespace

TEST_SUITE("calendar") {
  TEST_CASE("IST midnight is 05:30 earlier than UTC midnight, whatever the server's time zone") {
    CHECK(ist_midnight_ms(ymd(2025, 12, 19)) == 1766082600000);
    CHECK(ist_ms(ymd(2025, 12, 19), 9, 15) == 1766115900000);  // OpenAlgo's documented NSE open that day
  }

  TEST_CASE("dates parse as Python's strptime('%Y-%m-%d') reads them") {
    CHECK(parse_date("2026-01-26") == ymd(2026, 1, 26));
    CHECK(parse_date("2026-1-5") == ymd(2026, 1, 5));
    CHECK_FALSE(parse_date("2026-02-30"));
    CHECK_FALSE(parse_date("26-01-26"));
    CHECK_FALSE(parse_date("2026/01/26"));
    CHECK_FALSE(parse_date("2026-01-26T00:00"));
    CHECK_FALSE(parse_date(""));
    CHECK(date_text(ymd(2026, 1, 5)) == "2026-01-05");
  }

  TEST_CASE("a normal weekday has every exchange's regular hours in the file's order") {
    auto date = ymd(2025, 12, 19);
    auto sessions = sample().sessions_on(date);
    REQUIRE(exchanges(sessions) == std::vector<std::string>{"NSE", "MCX", "CRYPTO"});
    CHECK(sessions[0].start_ms == ist_ms(date, 9, 15));
    CHECK(sessions[0].end_ms == ist_ms(date, 15, 30));
    CHECK(sessions[1].end_ms == ist_ms(date, 23, 55));
    CHECK(sessions[2].start_ms == ist_midnight_ms(date));
    CHECK(sessions[2].end_ms == ist_midnight_ms(date) + 86'399'000);
  }

  TEST_CASE("on a weekend only the exchanges marked for weekends trade") {
    CHECK(exchanges(sample().sessions_on(ymd(2026, 1, 24))) == std::vector<std::string>{"CRYPTO"});
    CHECK(exchanges(sample().sessions_on(ymd(2026, 1, 25))) == std::vector<std::string>{"CRYPTO"});
  }

  TEST_CASE("a trading holiday drops the closed exchanges and keeps the ones it does not mention") {
    CHECK(exchanges(sample().sessions_on(ymd(2026, 1, 26))) == std::vector<std::string>{"CRYPTO"});
  }

  TEST_CASE("an exchange a holiday opens trades only in its special hours") {
    auto date = ymd(2026, 3, 3);
    auto sessions = sample().sessions_on(date);
    REQUIRE(exchanges(sessions) == std::vector<std::string>{"MCX", "CRYPTO"});
    CHECK(sessions[0].start_ms == ist_ms(date, 17, 0));
    CHECK(sessions[0].end_ms == ist_ms(date, 23, 55));
  }

  TEST_CASE("a special session on a Sunday opens its exchanges, one running past midnight") {
    auto date = ymd(2026, 11, 8);
    auto sessions = sample().sessions_on(date);
    REQUIRE(exchanges(sessions) == std::vector<std::string>{"NSE", "MCX", "CRYPTO"});
    CHECK(sessions[0].start_ms == ist_ms(date, 18, 0));
    CHECK(sessions[0].end_ms == ist_ms(date, 19, 15));
    CHECK(sessions[1].end_ms == ist_ms(ymd(2026, 11, 9), 0, 15));
  }

  TEST_CASE("a settlement holiday keeps the regular hours") {
    CHECK(exchanges(sample().sessions_on(ymd(2026, 2, 19))) == std::vector<std::string>{"NSE", "MCX", "CRYPTO"});
  }

  TEST_CASE("is_holiday says whether an exchange has no trading window that day") {
    auto calendar = sample();
    CHECK(calendar.is_holiday(ymd(2026, 1, 26), "NSE"));
    CHECK_FALSE(calendar.is_holiday(ymd(2026, 1, 26), "CRYPTO"));
    CHECK(calendar.is_holiday(ymd(2026, 3, 3), "NSE"));
    CHECK_FALSE(calendar.is_holiday(ymd(2026, 3, 3), "MCX"));
    CHECK(calendar.is_holiday(ymd(2026, 1, 24), "NSE"));
    CHECK_FALSE(calendar.is_holiday(ymd(2026, 1, 27), "NSE"));
  }

  TEST_CASE("a year's holidays come sorted by date and only from that year") {
    auto calendar = sample();
    auto holidays = calendar.holidays_in(2026);
    REQUIRE(holidays.size() == 4);
    CHECK(holidays[0]->description == "Republic Day");
    CHECK(holidays[1]->type == HolidayType::Settlement);
    CHECK(holidays[2]->description == "Holi");
    CHECK(holidays[3]->type == HolidayType::SpecialSession);
    CHECK(calendar.holidays_in(2025).size() == 1);
    CHECK(calendar.holidays_in(2030).empty());
    REQUIRE(holidays[2]->open_sessions().size() == 1);
    CHECK(holidays[2]->open_sessions()[0].start_ms == ist_ms(ymd(2026, 3, 3), 17, 0));
    CHECK(holiday_type_name(holidays[3]->type) == "SPECIAL_SESSION");
  }

  TEST_CASE("the bundled calendar loads and closes the cash market on Republic Day 2026") {
    auto calendar = Calendar::load(std::filesystem::path(OPENALGOD_SOURCE_DIR) / "config" / "market_calendar.json");
    CHECK(calendar.is_holiday(ymd(2026, 1, 26), "NSE"));
    CHECK(calendar.is_holiday(ymd(2026, 1, 26), "MCX"));
    CHECK_FALSE(calendar.is_holiday(ymd(2026, 1, 26), "CRYPTO"));
    CHECK_FALSE(calendar.is_holiday(ymd(2026, 3, 3), "MCX"));
    CHECK(calendar.holidays_in(2026).size() >= 15);
    for (const auto* holiday : calendar.holidays_in(2026)) {
      CAPTURE(holiday->description);
      const weekday day_of_week{sys_days(holiday->date)};
      bool weekend = day_of_week == Saturday || day_of_week == Sunday;
      CHECK((!weekend || holiday->type == HolidayType::SpecialSession));
    }
  }

  TEST_CASE("a file that is not JSON is refused with its name and line") {
    CHECK(parse_error("{\n \"sessions\": [,\n") .find("market calendar 'bad.json': not valid JSON (line 2)") == 0);
  }

  TEST_CASE("a missing file is refused with the setting's name") {
    oa::test::TempDir dir;
    auto missing = dir.path() / "none.json";
    CHECK_THROWS_WITH_AS(Calendar::load(missing),
                         doctest::Contains("no such file (MARKET_CALENDAR_FILE"), CalendarError);
  }

  TEST_CASE("mistakes in entries are refused naming the entry") {
    CHECK(parse_error(R"({"sessions": [], "holidays": [], "extra": 1})") ==
          "market calendar 'bad.json': the top level: unknown key 'extra'");
    CHECK(parse_error(R"({"holidays": []})") == "market calendar 'bad.json': the top level: 'sessions' is missing");
    CHECK(parse_error(R"({"sessions": [{"exchange": "NSE", "start": "9:15", "end": "15:30"}], "holidays": []})") ==
          "market calendar 'bad.json': sessions[0].start: '9:15' is not a time like 09:15 or 23:59:59 (IST)");
    CHECK(parse_error(R"({"sessions": [{"exchange": "NSE", "start": "15:30", "end": "09:15"}], "holidays": []})") ==
          "market calendar 'bad.json': sessions[0]: 'end' must be after 'start' (write 24:15 for 00:15 the next day)");
    CHECK(parse_error(R"({"sessions": [{"exchange": "nse", "start": "09:15", "end": "15:30"}], "holidays": []})") ==
          "market calendar 'bad.json': sessions[0].exchange: 'nse' is not an exchange code like NSE or MCX");
    CHECK(parse_error(with_holiday(R"({"date": "2026-02-30", "description": "x", "holiday_type": "TRADING_HOLIDAY"})")) ==
          "market calendar 'bad.json': holidays[0].date: '2026-02-30' is not a date like 2026-01-26");
    CHECK(parse_error(with_holiday(R"({"date": "2026-01-26", "description": "x", "holiday_type": "HOLIDAY"})")) ==
          "market calendar 'bad.json': holidays[0] (2026-01-26).holiday_type: 'HOLIDAY' is not TRADING_HOLIDAY, "
          "SETTLEMENT_HOLIDAY or SPECIAL_SESSION");
    CHECK(parse_error(with_holiday(R"({"date": "2026-01-26", "description": "x", "holiday_type": "TRADING_HOLIDAY",
        "closed_exchanges": ["NSE"], "open_exchanges": [{"exchange": "NSE", "start": "17:00", "end": "18:00"}]})")) ==
          "market calendar 'bad.json': holidays[0] (2026-01-26): NSE is listed both as closed and as open");
    CHECK(parse_error(with_holiday(R"({"date": "2026-01-26", "description": "x", "holiday_type": "SETTLEMENT_HOLIDAY",
        "closed_exchanges": ["NSE"]})")) ==
          "market calendar 'bad.json': holidays[0] (2026-01-26): a SETTLEMENT_HOLIDAY keeps trading as usual, so it "
          "lists no closed or open exchanges");
  }

  TEST_CASE("a date listed twice is refused") {
    auto holiday = std::string(R"({"date": "2026-01-26", "description": "x", "holiday_type": "TRADING_HOLIDAY"})");
    CHECK(parse_error(with_holiday(holiday + "," + holiday)) ==
          "market calendar 'bad.json': holidays[1]: 2026-01-26 is listed twice");
  }

  TEST_CASE("a failed reload keeps the calendar that was loaded") {
    oa::test::TempDir dir;
    auto file = dir.path() / "calendar.json";
    std::ofstream(file) << kSample;
    MarketCalendar calendar;
    CHECK(calendar.current() == nullptr);
    calendar.load(file);
    auto first = calendar.current();
    REQUIRE(first != nullptr);
    std::ofstream(file) << "{ not json";
    CHECK_THROWS_AS(calendar.load(file), CalendarError);
    CHECK(calendar.current() == first);
  }
}
