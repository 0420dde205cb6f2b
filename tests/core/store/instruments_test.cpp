#include "store/instruments.hpp"
#include "test_database.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

using namespace oa::store;
using oa::store::test::on_each_store;

namespace {

Instrument instrument(int n) {
  Instrument row;
  row.symbol = "SYM" + std::to_string(n);
  row.brsymbol = "SYM" + std::to_string(n) + "-EQ";
  row.name = "Company " + std::to_string(n);
  row.exchange = n % 2 == 0 ? "NSE" : "BSE";
  row.brexchange = row.exchange;
  row.token = std::to_string(100000 + n);
  row.expiry = n % 3 == 0 ? "26-DEC-24" : "";
  row.strike = n * 0.05;
  row.lotsize = 1 + n % 75;
  row.instrumenttype = "EQ";
  row.tick_size = 0.05;
  row.contract_value = n / 3.0;
  return row;
}

std::vector<Instrument> instruments(int count) {
  std::vector<Instrument> rows;
  for (int n = 0; n < count; ++n) {
    rows.push_back(instrument(n));
  }
  return rows;
}

}  // namespace

TEST_SUITE("store") {
  TEST_CASE("replacing a broker's instruments with 20,000 rows stores every one exactly") {
    on_each_store([](Store& store) {
      Instruments table(store);
      auto rows = instruments(20000);
      // Text that must survive the PostgreSQL array literal path untouched.
      rows[7].name = R"(Quote " backslash \ comma , braces {} NULL 'single' ₹ tab	end)";
      rows[8].name = "NULL";
      const auto started = std::chrono::steady_clock::now();
      table.replace_for_broker("zerodha", rows);
      MESSAGE("20,000 instruments in "
              << std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count()
              << " ms");
      CHECK(table.count("zerodha") == 20000);
      for (const int n : {0, 7, 8, 999, 1000, 19999}) {
        CAPTURE(n);
        const auto found = table.find(rows[n].symbol, rows[n].exchange);
        REQUIRE(found.has_value());
        CHECK(*found == rows[n]);
      }
    });
  }

  TEST_CASE("replacing instruments again drops the old list") {
    on_each_store([](Store& store) {
      Instruments table(store);
      table.replace_for_broker("zerodha", instruments(10));
      table.replace_for_broker("zerodha", {instrument(500)});
      CHECK(table.count("zerodha") == 1);
      CHECK_FALSE(table.find("SYM1", "BSE").has_value());
      CHECK(table.find("SYM500", "NSE").has_value());
    });
  }

  TEST_CASE("an empty instrument list is refused and the old list stays") {
    on_each_store([](Store& store) {
      Instruments table(store);
      table.replace_for_broker("zerodha", instruments(3));
      CHECK_THROWS_WITH_AS(table.replace_for_broker("zerodha", {}),
                           doctest::Contains("refusing to replace 3 instruments with an empty list"),
                           std::invalid_argument);
      CHECK(table.count("zerodha") == 3);
    });
  }

  TEST_CASE("replacing one broker's instruments leaves other brokers' alone") {
    on_each_store([](Store& store) {
      Instruments table(store);
      table.replace_for_broker("zerodha", instruments(5));
      table.replace_for_broker("dhan", instruments(2));
      CHECK(table.count("zerodha") == 5);
      CHECK(table.count("dhan") == 2);
    });
  }

  TEST_CASE("for_each visits every instrument of a broker once, in order, across pages") {
    on_each_store([](Store& store) {
      Instruments table(store);
      table.replace_for_broker("other", instruments(3));
      for (const int count : {1, 1000, 2500}) {
        CAPTURE(count);
        const auto rows = instruments(count);
        table.replace_for_broker("zerodha", rows);
        std::vector<Instrument> seen;
        table.for_each("zerodha", [&](const Instrument& row) { seen.push_back(row); });
        CHECK(seen == rows);
      }
    });
  }

  TEST_CASE("an unknown symbol is not found") {
    on_each_store([](Store& store) {
      Instruments table(store);
      table.replace_for_broker("zerodha", instruments(3));
      CHECK_FALSE(table.find("SYM1", "NSE").has_value());  // SYM1 is on BSE
      CHECK_FALSE(table.find("NOPE", "NSE").has_value());
    });
  }
}
