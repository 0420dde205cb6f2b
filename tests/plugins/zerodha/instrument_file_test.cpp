// The instrument-file parser on its own: a file the size of Kite's (100k+
// rows), read record by record from the downloaded text.
#include <doctest/doctest.h>

#include <string>

#include "master_contract.hpp"

using namespace oa;

TEST_SUITE("zerodha instrument file") {
  TEST_CASE("a 120000-row file gives one instrument per row with OpenAlgo's option symbols") {
    std::string csv =
        "instrument_token,exchange_token,tradingsymbol,name,last_price,expiry,strike,tick_size,lot_size,"
        "instrument_type,segment,exchange\n";
    for (int i = 0; i < 120000; ++i) {
      int strike = 10000 + 50 * (i / 2);
      std::string type = i % 2 ? "PE" : "CE";
      csv += std::to_string((i + 1) * 256 + 2) + "," + std::to_string(i + 1) + ",NIFTY24D05" + std::to_string(strike) +
             type + ",NIFTY,0,2024-12-05," + std::to_string(strike) + ",0.05,25," + type + ",NFO-OPT,NFO\n";
    }
    std::size_t seen = 0;
    std::string last;
    auto count = zerodha::parse_instruments(csv, [&](const sdk::Instrument& row) {
      ++seen;
      last = row.symbol;
    });
    CHECK(count == 120000);
    CHECK(seen == 120000);
    CHECK(last == "NIFTY05DEC24" + std::to_string(10000 + 50 * 59999) + "PE");
  }

  TEST_CASE("a file without a column the symbology needs is refused by name") {
    CHECK_THROWS_WITH(zerodha::parse_instruments("instrument_token,tradingsymbol\n1,X\n", [](const sdk::Instrument&) {}),
                      "Kite's instrument file has no 'exchange_token' column");
  }

  TEST_CASE("expiries and strikes are written as OpenAlgo writes them") {
    CHECK(zerodha::compact_expiry("2024-12-05") == "05DEC24");
    CHECK(zerodha::dashed_expiry("2025-02-05") == "05-FEB-25");
    CHECK_FALSE(zerodha::compact_expiry("2024-13-05"));
    CHECK(zerodha::strike_text(24000) == "24000");
    CHECK(zerodha::strike_text(292.5) == "292.5");
    CHECK(zerodha::strike_text(84.2525) == "84.2525");
  }
}
