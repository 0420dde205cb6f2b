// OpenAlgo's option symbology (rest_api.md B.3, D.6), table by table.
#include <doctest/doctest.h>

#include <stdexcept>
#include <vector>

#include "options/option_symbols.hpp"

using namespace oa::options;

namespace {

std::vector<double> ladder(double from, double to, double step) {
  std::vector<double> strikes;
  for (double strike = from; strike <= to; strike += step) strikes.push_back(strike);
  return strikes;
}

Offset offset(const char* text) { return *parse_offset(text); }

}  // namespace

TEST_SUITE("options: symbols") {
  TEST_CASE("an underlying is read as a base and an optional embedded expiry") {
    struct Case {
      const char* text;
      const char* base;
      const char* expiry;  // null: none
    };
    for (auto c : std::vector<Case>{{"NIFTY", "NIFTY", nullptr},
                                    {"nifty", "NIFTY", nullptr},
                                    {"NIFTY28OCT25FUT", "NIFTY", "28OCT25"},
                                    {"banknifty28oct25fut", "BANKNIFTY", "28OCT25"},
                                    {"NIFTY28OCT25", "NIFTY", "28OCT25"},
                                    {"NIFTY28OCT25FUTX", "NIFTY28OCT25FUTX", nullptr},
                                    {"726GS203325APR24FUT", "726GS203325APR24FUT", nullptr},
                                    {"M&M", "M&M", nullptr},
                                    {"", "", nullptr}}) {
      CAPTURE(c.text);
      auto parsed = parse_underlying(c.text);
      CHECK(parsed.base == c.base);
      CHECK(parsed.expiry.has_value() == (c.expiry != nullptr));
      if (c.expiry && parsed.expiry) CHECK(*parsed.expiry == c.expiry);
    }
  }

  TEST_CASE("option symbols of every exchange are read into base, expiry, strike and side") {
    struct Case {
      const char* symbol;
      const char* base;
      ExpiryDate expiry;
      double strike;
      OptionType type;
    };
    for (auto c : std::vector<Case>{{"NIFTY28NOV2424000CE", "NIFTY", {2024, 11, 28}, 24000, OptionType::Call},
                                    {"BANKNIFTY25AUG2655000PE", "BANKNIFTY", {2026, 8, 25}, 55000, OptionType::Put},
                                    {"VEDL25APR24292.5CE", "VEDL", {2024, 4, 25}, 292.5, OptionType::Call},
                                    {"USDINR19APR2482CE", "USDINR", {2024, 4, 19}, 82, OptionType::Call},
                                    {"USDINR28NOV2483.25PE", "USDINR", {2024, 11, 28}, 83.25, OptionType::Put},
                                    {"SENSEX28NOV24100000CE", "SENSEX", {2024, 11, 28}, 100000, OptionType::Call},
                                    {"crudeoil17apr246750ce", "CRUDEOIL", {2024, 4, 17}, 6750, OptionType::Call},
                                    {"NIFTY28NOV2424000CEXYZ", "NIFTY", {2024, 11, 28}, 24000, OptionType::Call}}) {
      CAPTURE(c.symbol);
      auto parsed = parse_option_symbol(c.symbol);
      CHECK(parsed.base == c.base);
      CHECK(parsed.expiry == c.expiry);
      CHECK(parsed.strike == c.strike);
      CHECK(parsed.type == c.type);
    }
  }

  TEST_CASE("a malformed option symbol is refused with OpenAlgo's reason") {
    CHECK_THROWS_WITH_AS(parse_option_symbol("NIFTY"), "Invalid option symbol format: NIFTY", std::invalid_argument);
    CHECK_THROWS_WITH_AS(parse_option_symbol("NIFTY28NOV2524000FUT"),
                         "Invalid option symbol format: NIFTY28NOV2524000FUT", std::invalid_argument);
    CHECK_THROWS_WITH_AS(parse_option_symbol("726GS203225APR2497PE"),
                         "Invalid option symbol format: 726GS203225APR2497PE", std::invalid_argument);
    CHECK_THROWS_WITH_AS(parse_option_symbol("NIFTY28XYZ2524000CE"),
                         "Invalid month in option symbol: NIFTY28XYZ2524000CE", std::invalid_argument);
    CHECK_THROWS_WITH_AS(parse_option_symbol("NIFTY31FEB2524000CE"), "day is out of range for month",
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(parse_option_symbol("NIFTY28NOV251.2.3CE"), "could not convert string to float: '1.2.3'",
                         std::invalid_argument);
  }

  TEST_CASE("strikes are written as whole numbers when whole, else as Python writes floats") {
    CHECK(strike_text(24000) == "24000");
    CHECK(strike_text(292.5) == "292.5");
    CHECK(strike_text(83.25) == "83.25");
    CHECK(strike_text(0.25) == "0.25");
    CHECK(option_symbol("NIFTY", "28MAR24", 20800, OptionType::Call) == "NIFTY28MAR2420800CE");
    CHECK(option_symbol("VEDL", "25APR24", 292.5, OptionType::Put) == "VEDL25APR24292.5PE");
  }

  TEST_CASE("offsets are ATM, ITM1-ITM50 and OTM1-OTM50 in any case, and nothing else") {
    for (const char* good : {"ATM", "atm", "ITM1", "itm9", "ITM10", "OTM49", "otm50"}) {
      CAPTURE(good);
      CHECK(parse_offset(good).has_value());
    }
    for (const char* bad : {"", "ITM", "ITM0", "ITM01", "ITM51", "OTM100", "XTM1", "ATM1", "ITM-1", "ITM1 "}) {
      CAPTURE(bad);
      CHECK_FALSE(parse_offset(bad).has_value());
    }
    CHECK(parse_offset("otm12")->side == Offset::Side::OutOfTheMoney);
    CHECK(parse_offset("otm12")->steps == 12);
  }

  TEST_CASE("offsets walk the listed strikes from the one nearest the spot (rest_api.md D.6 example)") {
    auto strikes = ladder(25000, 27000, 50);
    const double ltp = 25966.4;  // ATM 25950
    struct Case {
      const char* offset;
      OptionType type;
      double strike;
    };
    for (auto c : std::vector<Case>{{"ATM", OptionType::Call, 25950},
                                    {"ATM", OptionType::Put, 25950},
                                    {"ITM3", OptionType::Put, 26100},
                                    {"OTM4", OptionType::Call, 26150},
                                    {"ITM2", OptionType::Call, 25850},
                                    {"OTM1", OptionType::Put, 25900}}) {
      CAPTURE(c.offset);
      CHECK(listed_strike_at(strikes, ltp, offset(c.offset), c.type) == c.strike);
    }
  }

  TEST_CASE("an offset past either end of the listed strikes has no strike") {
    auto strikes = ladder(25000, 27000, 50);
    CHECK(listed_strike_at(strikes, 26900, offset("OTM5"), OptionType::Call) == std::nullopt);
    CHECK(listed_strike_at(strikes, 26900, offset("OTM2"), OptionType::Call) == 27000);
    CHECK(listed_strike_at(strikes, 25010, offset("ITM1"), OptionType::Call) == std::nullopt);
    CHECK(listed_strike_at({}, 25000, offset("ATM"), OptionType::Call) == std::nullopt);
  }

  TEST_CASE("the ATM strike is the nearest listed one, the lower on a tie, whatever the spacing") {
    CHECK(atm_index(ladder(100, 200, 50), 125) == 0u);
    CHECK(atm_index(ladder(100, 200, 50), 125.01) == 1u);
    const std::vector<double> uneven{100, 105, 110, 120, 140};
    CHECK(listed_strike_at(uneven, 118, offset("ATM"), OptionType::Call) == 120);
    CHECK(listed_strike_at(uneven, 118, offset("OTM1"), OptionType::Call) == 140);
    CHECK(listed_strike_at(uneven, 118, offset("ITM2"), OptionType::Call) == 105);
    CHECK(listed_strike_at(uneven, 118, offset("ITM1"), OptionType::Put) == 140);
    // Currency options: quarter-rupee strikes.
    CHECK(listed_strike_at(ladder(86, 91, 0.25), 88.61, offset("OTM2"), OptionType::Call) == 89.0);
  }

  TEST_CASE("the legacy strike interval rounds the spot half to even, then steps whole intervals") {
    CHECK(interval_strike_at(23587.5, 50, offset("ATM"), OptionType::Call) == 23600);
    CHECK(interval_strike_at(23587.5, 50, offset("ITM2"), OptionType::Call) == 23500);
    CHECK(interval_strike_at(23587.5, 50, offset("ITM2"), OptionType::Put) == 23700);
    CHECK(interval_strike_at(23587.5, 50, offset("OTM1"), OptionType::Put) == 23550);
    CHECK(interval_strike_at(125, 50, offset("ATM"), OptionType::Call) == 100);  // 2.5 -> 2
    CHECK(interval_strike_at(175, 50, offset("ATM"), OptionType::Call) == 200);  // 3.5 -> 4
  }

  TEST_CASE("a chain window labels each strike from the call's and the put's side") {
    auto strikes = ladder(100, 200, 10);
    auto window = chain_strikes(strikes, 5, 2);
    REQUIRE(window.size() == 5);
    CHECK(window[0].strike == 130);
    CHECK(window[0].call_label == "ITM2");
    CHECK(window[0].put_label == "OTM2");
    CHECK(window[2].call_label == "ATM");
    CHECK(window[2].put_label == "ATM");
    CHECK(window[4].call_label == "OTM2");
    CHECK(window[4].put_label == "ITM2");
    CHECK(chain_strikes(strikes, 1, 3).size() == 5);  // clipped at the bottom
    CHECK(chain_strikes(strikes, 1, std::nullopt).size() == strikes.size());
  }
}
