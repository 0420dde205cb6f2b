// Strike ladders and nearest futures found in a master contract.
#include <doctest/doctest.h>

#include <memory>

#include "options/option_chain_index.hpp"

using namespace oa::options;
using oa::instruments::Instrument;
using oa::instruments::InstrumentIndex;

namespace {

Instrument option(const std::string& base, const std::string& code, const std::string& expiry, double strike,
                  const std::string& type, const std::string& exchange = "NFO") {
  Instrument row;
  row.symbol =
      base + code +
      (strike == static_cast<long>(strike) ? std::to_string(static_cast<long>(strike)) : std::to_string(strike)) + type;
  row.name = base;
  row.exchange = exchange;
  row.expiry = expiry;
  row.strike = strike;
  row.instrumenttype = type;
  row.lotsize = 75;
  return row;
}

Instrument future(const std::string& symbol, const std::string& expiry, const std::string& exchange) {
  Instrument row;
  row.symbol = symbol;
  row.exchange = exchange;
  row.expiry = expiry;
  row.instrumenttype = "FUT";
  return row;
}

std::shared_ptr<const InstrumentIndex> master() {
  std::vector<Instrument> rows;
  for (double strike : {24100.0, 24000.0, 24050.0}) {
    rows.push_back(option("NIFTY", "25NOV25", "25-NOV-25", strike, "CE"));
    rows.push_back(option("NIFTY", "25NOV25", "25-NOV-25", strike, "PE"));
  }
  rows.push_back(option("NIFTY", "02DEC25", "02-DEC-25", 24500, "CE"));
  rows.push_back(option("NIFTYNXT50", "25NOV25", "25-NOV-25", 70000, "CE"));
  rows.push_back(option("SENSEX", "27NOV25", "27-NOV-25", 85000, "CE", "BFO"));
  rows.push_back(future("CRUDEOIL19NOV25FUT", "19-NOV-25", "MCX"));
  rows.push_back(future("CRUDEOIL19DEC25FUT", "19-DEC-25", "MCX"));
  rows.push_back(future("CRUDEOIL19OCT25FUT", "19-OCT-25", "MCX"));
  rows.push_back(future("CRUDEOILM18NOV25FUT", "18-NOV-25", "MCX"));
  return std::make_shared<const InstrumentIndex>(std::move(rows));
}

}  // namespace

TEST_SUITE("options: chain index") {
  TEST_CASE("strikes of one underlying, expiry, side and exchange come sorted and distinct") {
    OptionChainIndex index(master());
    CHECK(index.strikes("NIFTY", "25NOV25", OptionType::Call, "NFO") == std::vector<double>{24000, 24050, 24100});
    CHECK(index.strikes("NIFTY", "25NOV25", OptionType::Put, "NFO") == std::vector<double>{24000, 24050, 24100});
    CHECK(index.strikes("NIFTY", "02DEC25", OptionType::Call, "NFO") == std::vector<double>{24500});
    CHECK(index.strikes("NIFTYNXT50", "25NOV25", OptionType::Call, "NFO") == std::vector<double>{70000});
    CHECK(index.strikes("SENSEX", "27NOV25", OptionType::Call, "BFO") == std::vector<double>{85000});
  }

  TEST_CASE("no strikes for another exchange, expiry or a base that merely shares a prefix") {
    OptionChainIndex index(master());
    CHECK(index.strikes("NIFTY", "25NOV25", OptionType::Call, "BFO").empty());
    CHECK(index.strikes("NIFTY", "26NOV25", OptionType::Call, "NFO").empty());
    CHECK(index.strikes("NIFTY", "02DEC25", OptionType::Put, "NFO").empty());
    CHECK(index.strikes("NIFT", "25NOV25", OptionType::Call, "NFO").empty());
  }

  TEST_CASE("the nearest future is the earliest unexpired one of exactly that base") {
    OptionChainIndex index(master());
    const auto* near = index.nearest_future("CRUDEOIL", "MCX", {2025, 11, 1});
    REQUIRE(near);
    CHECK(near->symbol == "CRUDEOIL19NOV25FUT");
    CHECK(index.nearest_future("CRUDEOIL", "MCX", {2025, 11, 19})->symbol == "CRUDEOIL19NOV25FUT");
    CHECK(index.nearest_future("CRUDEOIL", "MCX", {2025, 11, 20})->symbol == "CRUDEOIL19DEC25FUT");
    CHECK(index.nearest_future("CRUDEOIL", "MCX", {2026, 1, 1}) == nullptr);
    CHECK(index.nearest_future("GOLD", "MCX", {2025, 11, 1}) == nullptr);
  }

  TEST_CASE("without a master nothing is listed") {
    OptionChainIndex index(nullptr);
    CHECK(index.strikes("NIFTY", "25NOV25", OptionType::Call, "NFO").empty());
    CHECK(index.find("NIFTY", "NSE_INDEX") == nullptr);
    CHECK(index.nearest_future("CRUDEOIL", "MCX", {2025, 11, 1}) == nullptr);
  }

  TEST_CASE("the cache rebuilds a broker's index only when its master is replaced") {
    OptionChainCache cache;
    auto first = master();
    auto a = cache.index_for("simulator", first);
    CHECK(cache.index_for("simulator", first) == a);
    auto b = cache.index_for("simulator", master());
    CHECK(b != a);
    CHECK(b->strikes("NIFTY", "25NOV25", OptionType::Call, "NFO").size() == 3);
  }
}
