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

Instrument listed(std::string symbol, std::string exchange, std::string name, double strike = 0) {
  Instrument out = row(std::move(symbol), std::move(exchange), "", "");
  out.brsymbol = out.symbol;
  out.name = std::move(name);
  out.strike = strike;
  return out;
}

std::vector<std::string> symbols_of(const std::vector<const Instrument*>& rows) {
  std::vector<std::string> out;
  for (const auto* found : rows) out.push_back(found->symbol + "@" + found->exchange);
  return out;
}

InstrumentIndex search_sample() {
  return InstrumentIndex({listed("NIFTY25AUG2625000CE", "NFO", "NIFTY", 25000),
                          listed("BANKNIFTY25AUG26FUT", "NFO", "BANKNIFTY"),
                          listed("NIFTY25AUG26FUT", "NFO", "NIFTY"),
                          listed("NIFTY", "NSE_INDEX", "NIFTY"),
                          listed("NIFTYBEES", "NSE", "NIPPON INDIA ETF NIFTY BEES"),
                          listed("SBIN", "NSE", "STATE BANK OF INDIA")});
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

  TEST_CASE("rows are listed by exchange in master order, and their id is their 1-based position") {
    InstrumentIndex index({row("A", "NSE", "1", "A"), row("B", "BSE", "2", "B"), row("C", "NSE", "3", "C")});
    auto nse = index.on_exchange("NSE");
    REQUIRE(nse.size() == 2);
    CHECK(nse[0]->symbol == "A");
    CHECK(nse[1]->symbol == "C");
    CHECK(index.on_exchange("MCX").empty());
    CHECK(index.id_of(*nse[1]) == 3);
  }

  TEST_CASE("search ranks the exact symbol first, then prefixes, then symbols holding the terms, shorter first") {
    auto index = search_sample();
    CHECK(symbols_of(index.search("nifty", "", 10)) ==
          std::vector<std::string>{"NIFTY@NSE_INDEX", "NIFTYBEES@NSE", "NIFTY25AUG26FUT@NFO", "NIFTY25AUG2625000CE@NFO",
                                   "BANKNIFTY25AUG26FUT@NFO"});
  }

  TEST_CASE("search needs every term, matched in symbol, name, broker symbol or token, or a numeric strike") {
    auto index = search_sample();
    CHECK(symbols_of(index.search("  nifty   ce ", "", 10)) == std::vector<std::string>{"NIFTY25AUG2625000CE@NFO"});
    CHECK(symbols_of(index.search("state bank", "", 10)) == std::vector<std::string>{"SBIN@NSE"});
    CHECK(symbols_of(index.search("NIFTY 25000.0", "", 10)) == std::vector<std::string>{"NIFTY25AUG2625000CE@NFO"});
    CHECK(index.search("   ", "", 10).empty());
    CHECK(index.search("ZZZ", "", 10).empty());
  }

  TEST_CASE("search filters by exchange and stops at the limit") {
    auto index = search_sample();
    CHECK(symbols_of(index.search("NIFTY", "NSE", 10)) == std::vector<std::string>{"NIFTYBEES@NSE"});
    CHECK(index.search("NIFTY", "MCX", 10).empty());
    CHECK(symbols_of(index.search("NIFTY", "", 2)) == std::vector<std::string>{"NIFTY@NSE_INDEX", "NIFTYBEES@NSE"});
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
