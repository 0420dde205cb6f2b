// The bundled instrument master and the generated derivatives.
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <set>
#include <string>

#include "simulator_fixture.hpp"

using namespace oa::test;
namespace chrono = std::chrono;

namespace {

const char* const kMonths[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};

// "25NOV25" for a date.
std::string symbol_date(chrono::year_month_day date) {
  char text[16];
  std::snprintf(text, sizeof text, "%02u%s%02d", static_cast<unsigned>(date.day()),
                kMonths[static_cast<unsigned>(date.month()) - 1], static_cast<int>(date.year()) % 100);
  return text;
}

chrono::year_month_day ist_date(std::int64_t epoch_ms) {
  auto ist = chrono::sys_time<chrono::milliseconds>(chrono::milliseconds(epoch_ms)) + chrono::minutes(330);
  return chrono::year_month_day(chrono::floor<chrono::days>(ist));
}

chrono::year_month_day last_tuesday(chrono::year_month month) {
  return chrono::year_month_day(chrono::sys_days(month / chrono::Tuesday[chrono::last]));
}

std::set<std::string> expiries_on(const Outcome& master, std::string_view exchange) {
  std::set<std::string> expiries;
  for (const auto* row : rows_on(master, exchange)) expiries.insert(row->expiry);
  return expiries;
}

}  // namespace

TEST_CASE("the master contract lists equities, indices and derivatives on every exchange") {
  FakeHost host(kSessionOpen);
  PluginInstance simulator(host);
  auto master = simulator.master_contract();
  REQUIRE(master.status == OA_OK);
  CHECK(master.document().at("count").to_number<std::size_t>() == master.rows.size());

  CHECK(rows_on(master, "NSE").size() >= 200);
  CHECK(rows_on(master, "BSE").size() >= 50);
  for (auto index :
       {"NIFTY", "BANKNIFTY", "FINNIFTY", "MIDCPNIFTY", "NIFTYNXT50", "INDIAVIX", "NIFTYIT", "NIFTYPHARMA"})
    CHECK_MESSAGE(row_named(master, index, "NSE_INDEX"), index);
  for (auto index : {"SENSEX", "BANKEX", "SENSEX50"}) CHECK_MESSAGE(row_named(master, index, "BSE_INDEX"), index);
  // Futures: 3 months each; options: 81 strikes x CE/PE per expiry.
  CHECK(rows_on(master, "NFO").size() == 3 * 3 + 4 * 81 * 2 + 3 * 81 * 2);
  CHECK(rows_on(master, "BFO").size() == 2 * 3 + 4 * 81 * 2);
  CHECK(rows_on(master, "MCX").size() == 4 * 3);
  CHECK(rows_on(master, "CDS").size() == 2 * 3 + 2 * 41 * 2);
}

TEST_CASE("equities carry the -EQ broker symbol, lot 1 and a small tick, and indices their exchange") {
  FakeHost host(kSessionOpen);
  PluginInstance simulator(host);
  auto master = simulator.master_contract();
  const auto* reliance = row_named(master, "RELIANCE", "NSE");
  REQUIRE(reliance);
  CHECK(reliance->brsymbol == "RELIANCE-EQ");
  CHECK(reliance->brexchange == "NSE");
  CHECK(reliance->instrumenttype == "EQ");
  CHECK(reliance->lotsize == 1);
  CHECK(reliance->tick_size == doctest::Approx(0.05));
  CHECK(reliance->expiry.empty());
  CHECK(row_named(master, "RELIANCE", "BSE"));
  const auto* nifty = row_named(master, "NIFTY", "NSE_INDEX");
  REQUIRE(nifty);
  CHECK(nifty->brexchange == "NSE");
  CHECK(row_named(master, "SENSEX", "BSE_INDEX")->brexchange == "BSE");
}

TEST_CASE("the current month's NIFTY future is named from the host clock") {
  FakeHost host(kSessionOpen);
  PluginInstance simulator(host);
  auto master = simulator.master_contract();
  auto today = ist_date(kSessionOpen);
  auto expiry = last_tuesday(today.year() / today.month());
  REQUIRE(expiry >= today);
  std::string symbol = "NIFTY" + symbol_date(expiry) + "FUT";
  CHECK(symbol == "NIFTY25NOV25FUT");
  const auto* future = row_named(master, symbol, "NFO");
  REQUIRE(future);
  CHECK(future->expiry == "25-NOV-25");
  CHECK(future->instrumenttype == "FUT");
  CHECK(future->name == "NIFTY");
  CHECK(future->lotsize == 75);
  CHECK(row_named(master, "NIFTY30DEC25FUT", "NFO"));
  CHECK(row_named(master, "NIFTY27JAN26FUT", "NFO"));
}

TEST_CASE("NIFTY weekly options expire on the next four Tuesdays, strikes 50 apart") {
  FakeHost host(kSessionOpen);
  PluginInstance simulator(host);
  auto master = simulator.master_contract();
  std::set<std::string> expiries;
  for (const auto* row : rows_on(master, "NFO"))
    if (row->name == "NIFTY" && row->instrumenttype == "CE") expiries.insert(row->expiry);
  CHECK(expiries == std::set<std::string>{"25-NOV-25", "02-DEC-25", "09-DEC-25", "16-DEC-25"});
  const auto* option = row_named(master, "NIFTY25NOV2526000CE", "NFO");
  REQUIRE(option);
  CHECK(option->strike == 26000);
  CHECK(option->lotsize == 75);
  CHECK(row_named(master, "NIFTY25NOV2526050PE", "NFO"));
  CHECK(row_named(master, "NIFTY25NOV2524000CE", "NFO"));
}

TEST_CASE("CDS options render fractional strikes like Python floats") {
  FakeHost host(kSessionOpen);
  PluginInstance simulator(host);
  auto master = simulator.master_contract();
  const oa::sdk::Instrument* fractional = nullptr;
  for (const auto* row : rows_on(master, "CDS"))
    if (row->instrumenttype == "CE" && row->strike != std::floor(row->strike)) fractional = row;
  REQUIRE(fractional);
  CHECK(fractional->name == "USDINR");
  // NSE's currency expiry: two trading days before the month's last trading day.
  CHECK(row_named(master, "USDINR26NOV2588.25CE", "CDS"));
  CHECK(row_named(master, "USDINR26NOV2588.5PE", "CDS"));
  CHECK(row_named(master, "USDINR26NOV2588CE", "CDS"));
  const auto* strike = row_named(master, "USDINR26NOV2588.25CE", "CDS");
  REQUIRE(strike);
  CHECK(strike->strike == 88.25);
  CHECK(strike->expiry == "26-NOV-25");
  CHECK(strike->tick_size == doctest::Approx(0.0025));
}

TEST_CASE("lot sizes follow the contract specifications") {
  FakeHost host(kSessionOpen);
  PluginInstance simulator(host);
  auto master = simulator.master_contract();
  CHECK(row_named(master, "BANKNIFTY25NOV25FUT", "NFO")->lotsize == 35);
  CHECK(row_named(master, "FINNIFTY25NOV25FUT", "NFO")->lotsize == 65);
  CHECK(row_named(master, "SENSEX27NOV25FUT", "BFO")->lotsize == 20);
  CHECK(row_named(master, "SENSEX20NOV2585000CE", "BFO")->lotsize == 20);
  CHECK(row_named(master, "CRUDEOIL19NOV25FUT", "MCX")->lotsize == 100);
  CHECK(row_named(master, "USDINR26NOV25FUT", "CDS")->lotsize == 1000);
}

TEST_CASE("expiries move with the host clock") {
  FakeHost november(kSessionOpen);
  FakeHost january(ist_ms(2026, 1, 20, 10, 0));
  PluginInstance early(november), late(january);
  auto early_nfo = expiries_on(early.master_contract(), "NFO");
  auto late_nfo = expiries_on(late.master_contract(), "NFO");
  CHECK(early_nfo.count("25-NOV-25") == 1);
  CHECK(late_nfo.count("25-NOV-25") == 0);
  CHECK(late_nfo.count("27-JAN-26") == 1);
  CHECK(early_nfo != late_nfo);
}

TEST_CASE("a master contract download lists the contracts of the day it runs and serves them") {
  FakeHost host(kSessionOpen);
  PluginInstance simulator(host);
  host.set_now(ist_ms(2025, 11, 26, 10, 0));  // the November contracts expired yesterday
  auto master = simulator.master_contract();
  CHECK_FALSE(row_named(master, "NIFTY25NOV25FUT", "NFO"));
  CHECK(row_named(master, "NIFTY24FEB26FUT", "NFO"));
  CHECK(simulator.quotes("NIFTY24FEB26FUT", "NFO").status == OA_OK);
  CHECK(simulator.quotes("NIFTY25NOV25FUT", "NFO").status == OA_ERR_NOT_FOUND);
}

TEST_CASE("tokens are unique per exchange and the same in every run") {
  FakeHost one_host(kSessionOpen), other_host(kSessionOpen);
  PluginInstance one(one_host), other(other_host);
  auto first = one.master_contract(), second = other.master_contract();
  std::set<std::string> tokens;
  for (const auto& row : first.rows) CHECK(tokens.insert(row.exchange + ":" + row.token).second);
  REQUIRE(first.rows.size() == second.rows.size());
  for (std::size_t i = 0; i < first.rows.size(); ++i) CHECK(first.rows[i].token == second.rows[i].token);
  for (const auto& row : first.rows) CHECK(row.token.find_first_not_of("0123456789") == std::string::npos);
}
