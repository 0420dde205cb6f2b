#include <doctest/doctest.h>

#include "instruments/instrument_index.hpp"

using namespace oa::instruments;

namespace {

Instrument row(std::string symbol, std::string exchange, std::string token, std::string brsymbol) {
  Instrument out;
  out.symbol = std::move(symbol);
  out.exchange = std::move(exchange);
  out.token = std::move(token);
  out.brsymbol = std::move(brsymbol);
  out.lotsize = 1;
  return out;
}

}  // namespace

TEST_SUITE("instruments") {
  TEST_CASE("instruments are found by symbol, token and broker symbol, always with their exchange") {
    InstrumentIndex index({row("SBIN", "NSE", "3045", "SBIN-EQ"), row("SBIN", "BSE", "500112", "SBIN")});
    REQUIRE(index.by_symbol("SBIN", "NSE"));
    CHECK(index.by_symbol("SBIN", "NSE")->token == "3045");
    CHECK(index.by_symbol("SBIN", "BSE")->token == "500112");
    CHECK(index.by_token("3045", "NSE")->symbol == "SBIN");
    CHECK(index.by_brsymbol("SBIN-EQ", "NSE")->token == "3045");
    CHECK(index.by_token("3045", "BSE") == nullptr);
    CHECK(index.by_symbol("sbin", "NSE") == nullptr);  // case-sensitive, as OpenAlgo
  }

  TEST_CASE("a duplicated key resolves to the first row, as OpenAlgo's lookups do") {
    InstrumentIndex index({row("X", "NSE", "1", "X-EQ"), row("X", "NSE", "2", "X-BE")});
    CHECK(index.by_symbol("X", "NSE")->token == "1");
    CHECK(index.size() == 2);
  }

  TEST_CASE("replacing a broker's table leaves readers with the snapshot they hold") {
    InstrumentTable table;
    CHECK(table.current("simulator") == nullptr);
    table.replace("simulator", std::make_shared<InstrumentIndex>(std::vector{row("A", "NSE", "1", "A")}));
    auto held = table.current("simulator");
    table.replace("simulator", std::make_shared<InstrumentIndex>(std::vector{row("B", "NSE", "2", "B")}));
    CHECK(held->by_symbol("A", "NSE") != nullptr);
    CHECK(table.current("simulator")->by_symbol("A", "NSE") == nullptr);
    CHECK(table.current("simulator")->by_symbol("B", "NSE") != nullptr);
  }
}
