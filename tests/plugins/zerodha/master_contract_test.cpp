// Kite's instrument file in OpenAlgo's symbology (brokers.md §4.1), from the
// committed excerpt with indices, weekly options, currency and MCX rows.
#include "zerodha_fixture.hpp"

using namespace oa::test;

namespace {

const oa::instruments::Instrument& row(ZerodhaPlugin& zerodha, const std::string& symbol, const std::string& exchange) {
  const auto* found = zerodha.table.current("zerodha")->by_symbol(symbol, exchange);
  REQUIRE_MESSAGE(found, symbol << " on " << exchange);
  return *found;
}

}  // namespace

TEST_SUITE("zerodha master contract") {
  TEST_CASE("every row of the file becomes an instrument") {
    ZerodhaPlugin zerodha;
    CHECK(zerodha.table.current("zerodha")->size() == 21);
  }

  TEST_CASE("indices get OpenAlgo's names on their _INDEX exchange, with Kite's exchange kept") {
    ZerodhaPlugin zerodha;
    CHECK(row(zerodha, "NIFTY", "NSE_INDEX").brsymbol == "NIFTY 50");
    CHECK(row(zerodha, "BANKNIFTY", "NSE_INDEX").brexchange == "NSE");
    CHECK(row(zerodha, "INDIAVIX", "NSE_INDEX").token == "262665::::1026");
    CHECK(row(zerodha, "SENSEX", "BSE_INDEX").brexchange == "BSE");
    CHECK(row(zerodha, "MCXCOMPDEX", "MCX_INDEX").lotsize == 1);
  }

  TEST_CASE("futures are <name><DDMMMYY>FUT with the expiry as DD-MMM-YY") {
    ZerodhaPlugin zerodha;
    const auto& nifty = row(zerodha, "NIFTY26DEC24FUT", "NFO");
    CHECK(nifty.brsymbol == "NIFTY24DECFUT");
    CHECK(nifty.expiry == "26-DEC-24");
    CHECK(nifty.lotsize == 25);
    CHECK(row(zerodha, "CRUDEOIL18DEC24FUT", "MCX").tick_size == doctest::Approx(1.0));
    CHECK(row(zerodha, "GOLDM05FEB25FUT", "MCX").lotsize == 10);
    CHECK(row(zerodha, "EURINR27DEC24FUT", "BCD").brsymbol == "EURINR24DECFUT");
  }

  TEST_CASE("options carry whole strikes without decimals and fractional ones as they are") {
    ZerodhaPlugin zerodha;
    const auto& weekly = row(zerodha, "NIFTY05DEC2424000CE", "NFO");
    CHECK(weekly.brsymbol == "NIFTY24D0524000CE");
    CHECK(weekly.strike == doctest::Approx(24000));
    CHECK(weekly.instrumenttype == "CE");
    CHECK(row(zerodha, "NIFTY05DEC2424000PE", "NFO").instrumenttype == "PE");
    CHECK(row(zerodha, "VEDL26DEC24292.5CE", "NFO").lotsize == 2000);
    CHECK(row(zerodha, "USDINR06DEC2484.25CE", "CDS").tick_size == doctest::Approx(0.0025));
    CHECK(row(zerodha, "SENSEX06DEC2480000CE", "BFO").brexchange == "BFO");
    CHECK(row(zerodha, "CRUDEOIL16DEC246000CE", "MCX").brsymbol == "CRUDEOIL24DEC6000CE");
  }

  TEST_CASE("the same equity on NSE and BSE is two instruments with their own tokens") {
    ZerodhaPlugin zerodha;
    CHECK(row(zerodha, "SBIN", "NSE").token == "779521::::3045");
    CHECK(row(zerodha, "SBIN", "BSE").token == "128028676::::500112");
    CHECK(row(zerodha, "SBIN", "NSE").expiry.empty());
  }
}
