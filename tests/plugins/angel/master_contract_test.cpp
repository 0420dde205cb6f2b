// The instrument file (the fake's committed excerpt of OpenAPIScripMaster.json)
// read into OpenAlgo's symbology.
#include <doctest/doctest.h>

#include <algorithm>

#include "angel_host.hpp"

using namespace oa::test;
using oa::instruments::Instrument;

namespace {

const Instrument& row(const std::vector<Instrument>& rows, const std::string& symbol, const std::string& exchange) {
  auto found = std::find_if(rows.begin(), rows.end(),
                            [&](const Instrument& r) { return r.symbol == symbol && r.exchange == exchange; });
  REQUIRE_MESSAGE(found != rows.end(), symbol << " on " << exchange << " is missing");
  return *found;
}

}  // namespace

TEST_SUITE("angel master contract") {
  TEST_CASE("every row with a token becomes one instrument and the blank row is skipped") {
    AngelHost angel;
    CHECK(angel.load_instruments().size() == 27);
  }

  TEST_CASE("equities lose Angel's series suffix and keep the broker symbol") {
    AngelHost angel;
    auto rows = angel.load_instruments();
    CHECK(row(rows, "SBIN", "NSE").brsymbol == "SBIN-EQ");
    CHECK(row(rows, "SBIN", "NSE").instrumenttype == "EQ");
    CHECK(row(rows, "GTLINFRA", "NSE").brsymbol == "GTLINFRA-BE");
    CHECK(row(rows, "SBIN", "BSE").token == "500112");
  }

  TEST_CASE("tick sizes arrive in paise and are stored in rupees") {
    AngelHost angel;
    auto rows = angel.load_instruments();
    CHECK(row(rows, "SBIN", "NSE").tick_size == doctest::Approx(0.05));
    CHECK(row(rows, "CRUDEOIL18DEC24FUT", "MCX").tick_size == doctest::Approx(1.0));
    CHECK(row(rows, "USDINR27NOV24FUT", "CDS").tick_size == doctest::Approx(0.0025));
  }

  TEST_CASE("indices move to the _INDEX exchanges under OpenAlgo's names") {
    AngelHost angel;
    auto rows = angel.load_instruments();
    CHECK(row(rows, "NIFTY", "NSE_INDEX").token == "99926000");
    CHECK(row(rows, "BANKNIFTY", "NSE_INDEX").brexchange == "NSE");
    CHECK(row(rows, "FINNIFTY", "NSE_INDEX").instrumenttype == "INDEX");
    CHECK(row(rows, "NIFTYNXT50", "NSE_INDEX").token == "99926013");
    CHECK(row(rows, "INDIAVIX", "NSE_INDEX").token == "99926017");
    CHECK(row(rows, "SENSEX", "BSE_INDEX").token == "99919000");
    CHECK(row(rows, "BSE100", "BSE_INDEX").token == "99919017");
    CHECK(row(rows, "MCXCOMPDEX", "MCX_INDEX").token == "99920000");
  }

  TEST_CASE("futures are named underlying, expiry and FUT, with Angel's lot size") {
    AngelHost angel;
    auto rows = angel.load_instruments();
    const auto& nifty = row(rows, "NIFTY28NOV24FUT", "NFO");
    CHECK(nifty.expiry == "28-NOV-24");
    CHECK(nifty.lotsize == 25);
    CHECK(nifty.instrumenttype == "FUT");
    CHECK(row(rows, "SBIN28NOV24FUT", "NFO").lotsize == 750);
    CHECK(row(rows, "CRUDEOIL18DEC24FUT", "MCX").brsymbol == "CRUDEOIL24DECFUT");
  }

  TEST_CASE("option strikes arrive in paise and become rupees in the symbol and the strike") {
    AngelHost angel;
    auto rows = angel.load_instruments();
    const auto& call = row(rows, "NIFTY28NOV2424000CE", "NFO");
    CHECK(call.strike == 24000);
    CHECK(call.instrumenttype == "CE");
    CHECK(row(rows, "NIFTY28NOV2424000PE", "NFO").instrumenttype == "PE");
    CHECK(row(rows, "VEDL28NOV24292.5CE", "NFO").strike == doctest::Approx(292.5));
    CHECK(row(rows, "CRUDEOIL16DEC246000CE", "MCX").strike == 6000);
  }

  TEST_CASE("a weekly option written with a mixed-case expiry gets the same symbology") {
    AngelHost angel;
    auto rows = angel.load_instruments();
    CHECK(row(rows, "NIFTY05DEC2424100CE", "NFO").expiry == "05-DEC-24");
  }

  TEST_CASE("a BSE weekly option Angel names in its own short form is rebuilt from its expiry") {
    AngelHost angel;
    auto rows = angel.load_instruments();
    const auto& sensex = row(rows, "SENSEX29NOV2480000CE", "BFO");
    CHECK(sensex.brsymbol == "SENSEX24N2980000CE");
    CHECK(sensex.strike == 80000);
  }

  TEST_CASE("currency option strikes are scaled by 10^7, not 100") {
    AngelHost angel;
    auto rows = angel.load_instruments();
    CHECK(row(rows, "USDINR29NOV2484.25CE", "CDS").strike == doctest::Approx(84.25));
  }

  TEST_CASE("a failed download is an error naming Angel's answer, so the host keeps its previous table") {
    AngelHost angel;
    angel.fake.fail_instruments(true);
    std::vector<Instrument> rows;
    auto outcome = angel.download(rows);
    CHECK(outcome.status == OA_ERR_UPSTREAM);
    CHECK(outcome.message.find("HTTP 500") != std::string::npos);
  }
}
