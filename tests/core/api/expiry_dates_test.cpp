#include <doctest/doctest.h>

#include "api/expiry_dates.hpp"

using namespace oa::api;
using namespace std::chrono;
using oa::instruments::Instrument;
using oa::instruments::InstrumentIndex;

namespace {

Instrument contract(std::string symbol, std::string exchange, std::string expiry, std::string type) {
  Instrument row;
  row.symbol = std::move(symbol);
  row.exchange = std::move(exchange);
  row.expiry = std::move(expiry);
  row.instrumenttype = std::move(type);
  return row;
}

const Date kToday{year(2025), July, day(10)};

}  // namespace

TEST_SUITE("api") {
  TEST_CASE("expiries are distinct, earliest first, and none has passed") {
    InstrumentIndex index({contract("NIFTY31JUL25FUT", "NFO", "31-JUL-25", "FUT"),
                           contract("NIFTY10JUL25FUT", "NFO", "10-JUL-25", "FUT"),
                           contract("NIFTY03JUL25FUT", "NFO", "03-JUL-25", "FUT"),
                           contract("NIFTY28AUG25FUT", "NFO", "28-AUG-25", "FUTIDX"),
                           contract("NIFTY31JUL25FUT", "NFO", "31-JUL-25", "FUT")});
    CHECK(expiry_dates(index, "NIFTY", "NFO", ContractKind::Futures, kToday) ==
          std::vector<std::string>{"10-JUL-25", "31-JUL-25", "28-AUG-25"});
  }

  TEST_CASE("futures and options are told apart by instrument type") {
    InstrumentIndex index({contract("NIFTY31JUL25FUT", "NFO", "31-JUL-25", "FUT"),
                           contract("NIFTY17JUL2525000CE", "NFO", "17-JUL-25", "CE"),
                           contract("NIFTY24JUL2525000PE", "NFO", "24-JUL-25", "OPTIDX")});
    CHECK(expiry_dates(index, "NIFTY", "NFO", ContractKind::Options, kToday) ==
          std::vector<std::string>{"17-JUL-25", "24-JUL-25"});
    CHECK(expiry_dates(index, "NIFTY", "NFO", ContractKind::Futures, kToday) == std::vector<std::string>{"31-JUL-25"});
  }

  TEST_CASE("an underlying does not collect the expiries of a longer one it prefixes") {
    InstrumentIndex index({contract("NIFTY31JUL25FUT", "NFO", "31-JUL-25", "FUT"),
                           contract("NIFTYNXT5028AUG25FUT", "NFO", "28-AUG-25", "FUT")});
    CHECK(expiry_dates(index, "NIFTY", "NFO", ContractKind::Futures, kToday) == std::vector<std::string>{"31-JUL-25"});
  }

  TEST_CASE("symbols with the date in another form are matched by the looser patterns") {
    InstrumentIndex index({contract("CRUDEOIL25JULFUT", "MCX", "18-JUL-25", "FUTCOM"),
                           contract("CRUDEOIL25AUGFUT", "MCX", "19-AUG-25", "FUTCOM")});
    CHECK(expiry_dates(index, "CRUDEOIL", "MCX", ContractKind::Futures, kToday) ==
          std::vector<std::string>{"18-JUL-25", "19-AUG-25"});
  }

  TEST_CASE("only the asked exchange counts, and NCO takes any instrument type") {
    InstrumentIndex index({contract("NIFTY31JUL25FUT", "BFO", "31-JUL-25", "FUT"),
                           contract("COPPER31JUL25FUT", "NCO", "31-JUL-25", "XX")});
    CHECK(expiry_dates(index, "NIFTY", "NFO", ContractKind::Futures, kToday).empty());
    CHECK(expiry_dates(index, "COPPER", "NCO", ContractKind::Futures, kToday) == std::vector<std::string>{"31-JUL-25"});
  }
}
