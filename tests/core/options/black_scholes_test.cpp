// Prices and Greeks against published textbook values, and the implied
// volatility solver on round trips and at its edges.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>

#include "options/black_scholes.hpp"

using namespace oa::options;

namespace {

OptionInputs spot_option(OptionType type, double spot, double strike, double years, double rate, double yield = 0) {
  return {Model::BlackScholes, type, spot, strike, years, rate, yield};
}

OptionInputs futures_option(OptionType type, double forward, double strike, double years, double rate) {
  return {Model::Black76, type, forward, strike, years, rate, 0};
}

}  // namespace

TEST_SUITE("options: black-scholes") {
  TEST_CASE("Black-Scholes prices Hull's stock option example: call 4.76, put 0.81") {
    // Hull, Options, Futures and Other Derivatives, the worked example of the
    // Black-Scholes-Merton chapter:
    // S = 42, K = 40, r = 10 %, sigma = 20 %, T = 0.5.
    CHECK(price(spot_option(OptionType::Call, 42, 40, 0.5, 0.10), 0.20) == doctest::Approx(4.76).epsilon(0.001));
    CHECK(price(spot_option(OptionType::Put, 42, 40, 0.5, 0.10), 0.20) == doctest::Approx(0.81).epsilon(0.002));
  }

  TEST_CASE("Black-Scholes-Merton prices options on a dividend-paying index as Hull and Haug publish") {
    // Hull, the index option example of the chapter on options on indices: S = 930, K = 900, r = 8 %, q = 3 %, sigma =
    // 20 %, two months: call 51.83.
    CHECK(price(spot_option(OptionType::Call, 930, 900, 2.0 / 12, 0.08, 0.03), 0.20) ==
          doctest::Approx(51.83).epsilon(0.0002));
    // Haug, The Complete Guide to Option Pricing Formulas (2nd ed.), 1.1.2:
    // S = 100, X = 95, T = 0.5, r = 10 %, q = 5 %, sigma = 20 %: put 2.4648.
    CHECK(price(spot_option(OptionType::Put, 100, 95, 0.5, 0.10, 0.05), 0.20) ==
          doctest::Approx(2.4648).epsilon(0.0001));
  }

  TEST_CASE("Black-76 prices the published options on futures") {
    // Hull, the Black's model example of the chapter on futures options: F = K = 20, r = 9 %, sigma = 25 %, four
    // months: put 1.12.
    CHECK(price(futures_option(OptionType::Put, 20, 20, 4.0 / 12, 0.09), 0.25) == doctest::Approx(1.12).epsilon(0.002));
    // Haug, 1.1.3 (Black-76): F = X = 19, T = 0.75, r = 10 %, sigma = 28 %: call = put = 1.7011.
    CHECK(price(futures_option(OptionType::Call, 19, 19, 0.75, 0.10), 0.28) == doctest::Approx(1.7011).epsilon(0.0001));
    CHECK(price(futures_option(OptionType::Put, 19, 19, 0.75, 0.10), 0.28) == doctest::Approx(1.7011).epsilon(0.0001));
  }

  TEST_CASE("Black-Scholes Greeks match Hull's worked example in per-day and per-percent units") {
    // Hull, the running example of the chapter on the Greek letters: S = 49, K = 50, r = 5 %, sigma = 20 %, T = 0.3846
    // (20 weeks): delta 0.522, gamma 0.066, theta -4.31 a year, vega 12.1 per unit of volatility, rho 8.91 per unit of
    // rate.
    auto g = greeks(spot_option(OptionType::Call, 49, 50, 0.3846, 0.05), 0.20);
    CHECK(g.delta == doctest::Approx(0.522).epsilon(0.002));
    CHECK(g.gamma == doctest::Approx(0.066).epsilon(0.01));
    CHECK(g.theta == doctest::Approx(-4.31 / 365).epsilon(0.005));
    CHECK(g.vega == doctest::Approx(0.121).epsilon(0.005));
    CHECK(g.rho == doctest::Approx(0.0891).epsilon(0.005));
  }

  TEST_CASE("Black-76 Greeks are the model's derivatives in OpenAlgo's units") {
    const double vol = 0.15, h = 1e-5;
    for (auto type : {OptionType::Call, OptionType::Put}) {
      CAPTURE(static_cast<int>(type));
      auto in = futures_option(type, 24600, 24500, 20.0 / 365, 0.065);
      auto g = greeks(in, vol);
      auto at = [&](double forward, double years, double rate, double sigma) {
        return price(futures_option(type, forward, 24500, years, rate), sigma);
      };
      CHECK(g.delta == doctest::Approx((at(24600 + 1, in.years, 0.065, vol) - at(24600 - 1, in.years, 0.065, vol)) / 2)
                           .epsilon(1e-5));
      CHECK(g.gamma == doctest::Approx((at(24601, in.years, 0.065, vol) - 2 * at(24600, in.years, 0.065, vol) +
                                        at(24599, in.years, 0.065, vol)))
                           .epsilon(1e-3));
      CHECK(g.vega ==
            doctest::Approx((at(24600, in.years, 0.065, vol + h) - at(24600, in.years, 0.065, vol - h)) / (2 * h) / 100)
                .epsilon(1e-5));
      // Theta: the value lost as one calendar day passes.
      CHECK(g.theta ==
            doctest::Approx((at(24600, in.years - h, 0.065, vol) - at(24600, in.years + h, 0.065, vol)) / (2 * h) / 365)
                .epsilon(1e-5));
      CHECK(g.rho ==
            doctest::Approx((at(24600, in.years, 0.065 + h, vol) - at(24600, in.years, 0.065 - h, vol)) / (2 * h) / 100)
                .epsilon(1e-5));
    }
  }

  TEST_CASE("calls and puts obey put-call parity under both models") {
    auto call = futures_option(OptionType::Call, 105, 100, 0.25, 0.07);
    auto put = futures_option(OptionType::Put, 105, 100, 0.25, 0.07);
    CHECK(price(call, 0.3) - price(put, 0.3) == doctest::Approx(std::exp(-0.07 * 0.25) * 5));
    auto spot_call = spot_option(OptionType::Call, 100, 100, 1, 0.07, 0.02);
    auto spot_put = spot_option(OptionType::Put, 100, 100, 1, 0.07, 0.02);
    CHECK(price(spot_call, 0.3) - price(spot_put, 0.3) ==
          doctest::Approx(100 * std::exp(-0.02) - 100 * std::exp(-0.07)));
  }

  TEST_CASE("zero or negative time, a non-positive price input or a NaN is refused, naming the input") {
    CHECK_THROWS_WITH_AS(price(futures_option(OptionType::Call, 100, 100, 0, 0), 0.2),
                         doctest::Contains("time to expiry"), std::invalid_argument);
    CHECK_THROWS_AS(greeks(futures_option(OptionType::Call, 100, 100, -0.1, 0), 0.2), std::invalid_argument);
    CHECK_THROWS_WITH_AS(price(futures_option(OptionType::Put, 0, 100, 1, 0), 0.2), doctest::Contains("forward price"),
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(price(futures_option(OptionType::Put, 100, 100, 1, 0), 0), doctest::Contains("volatility"),
                         std::invalid_argument);
    CHECK_THROWS_AS(price(futures_option(OptionType::Put, 100, NAN, 1, 0), 0.2), std::invalid_argument);
  }

  TEST_CASE("implied volatility recovers the volatility a price came from, across moneyness and time") {
    for (auto model : {Model::Black76, Model::BlackScholes})
      for (auto type : {OptionType::Call, OptionType::Put})
        for (double strike : {12000.0, 20000.0, 23500.0, 24500.0, 25500.0, 30000.0})
          for (double years : {1.0 / 365, 7.0 / 365, 0.25, 2.0})
            for (double vol : {0.05, 0.15, 0.6, 2.0}) {
              OptionInputs in{model, type, 24500, strike, years, 0.065, model == Model::BlackScholes ? 0.01 : 0};
              const double value = price(in, vol);
              // Below a hundredth of a paisa the price carries no information about volatility.
              if (value - lower_price_bound(in) < 1e-4) continue;
              CAPTURE(strike);
              CAPTURE(years);
              CAPTURE(vol);
              auto iv = implied_volatility(in, value);
              REQUIRE(iv.ok());
              CHECK(iv.volatility == doctest::Approx(vol).epsilon(1e-6));
              CHECK(price(in, iv.volatility) == doctest::Approx(value).epsilon(1e-9));
            }
  }

  TEST_CASE("implied volatility is found deep in and out of the money and one day from expiry") {
    auto deep_otm = futures_option(OptionType::Call, 24500, 27000, 1.0 / 365, 0);
    auto iv = implied_volatility(deep_otm, 0.05);
    REQUIRE(iv.ok());
    CHECK(std::isfinite(iv.volatility));
    CHECK(price(deep_otm, iv.volatility) == doctest::Approx(0.05).epsilon(1e-8));

    auto deep_itm = futures_option(OptionType::Put, 24500, 27000, 1.0 / 365, 0);
    iv = implied_volatility(deep_itm, 2500.05);  // the same time value as the call above
    REQUIRE(iv.ok());
    CHECK(price(deep_itm, iv.volatility) == doctest::Approx(2500.05).epsilon(1e-12));
  }

  TEST_CASE("a price at or below the intrinsic value has no implied volatility, and says why") {
    auto in = futures_option(OptionType::Call, 24500, 24000, 0.1, 0);
    auto iv = implied_volatility(in, 499.0);
    CHECK(iv.error == IvError::BelowIntrinsic);
    CHECK(iv.message.find("intrinsic") != std::string::npos);
    CHECK(implied_volatility(in, 500.0).error == IvError::BelowIntrinsic);
    CHECK(iv.volatility == 0);
  }

  TEST_CASE("a price at or above the most an option can be worth has no implied volatility") {
    auto call = futures_option(OptionType::Call, 100, 90, 0.5, 0);
    CHECK(implied_volatility(call, 100.0).error == IvError::AboveMaximum);
    auto put = spot_option(OptionType::Put, 100, 90, 0.5, 0.05);
    CHECK(implied_volatility(put, 95.0).error == IvError::AboveMaximum);
  }

  TEST_CASE("implied volatility refuses expired options and non-positive prices without throwing") {
    CHECK(implied_volatility(futures_option(OptionType::Call, 100, 100, 0, 0), 5).error == IvError::InvalidInput);
    CHECK(implied_volatility(futures_option(OptionType::Call, 100, 100, -1, 0), 5).error == IvError::InvalidInput);
    CHECK(implied_volatility(futures_option(OptionType::Call, 100, 100, 1, 0), 0).error == IvError::InvalidInput);
    CHECK(implied_volatility(futures_option(OptionType::Call, 100, 100, 1, 0), NAN).error == IvError::InvalidInput);
  }
}
