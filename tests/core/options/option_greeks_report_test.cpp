// The Greeks answers of optiongreeks, multioptiongreeks and optionchain
// (rest_api.md C.7.2, C.7.4, C.7.5), from prices already fetched.
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include "api/option_greeks_report.hpp"
#include "options/black_scholes.hpp"

using namespace oa::api;
using namespace oa::options;
namespace json = boost::json;

namespace {

// 30 days before NIFTY's 25 Nov 2025 expiry at 15:30 IST.
const ExpiryDate kExpiry{2025, 11, 25};
const double kNow = static_cast<double>(ist_epoch_seconds(kExpiry, {15, 30})) - 30 * 86400.0;

GreeksRequest request(double strike, OptionType type, double forward, double price) {
  GreeksRequest r;
  r.symbol = type == OptionType::Call ? "NIFTY25NOV2524000CE" : "NIFTY25NOV2524000PE";
  r.exchange = "NFO";
  r.option = {"NIFTY", kExpiry, strike, type};
  r.forward = forward;
  r.option_price = price;
  r.now_epoch_seconds = kNow;
  return r;
}

double model_price(OptionType type, double forward, double strike, double vol, double rate = 0) {
  return price({Model::Black76, type, forward, strike, 30.0 / 365, rate, 0}, vol);
}

}  // namespace

TEST_SUITE("options: greeks report") {
  TEST_CASE("an option priced at 15 % volatility reports that IV with rounded Greeks in OpenAlgo's fields") {
    auto r = request(24000, OptionType::Call, 24550.75, model_price(OptionType::Call, 24550.75, 24000, 0.15));
    auto report = greeks_report(r);
    REQUIRE(report.status == 200);
    const auto& body = report.body;
    CHECK(body.at("status") == "success");
    CHECK(body.at("symbol") == "NIFTY25NOV2524000CE");
    CHECK(body.at("underlying") == "NIFTY");
    CHECK(body.at("option_type") == "CE");
    CHECK(body.at("expiry_date") == "25-Nov-2025");
    CHECK(body.at("days_to_expiry").as_double() == 30.0);
    CHECK(body.at("strike").as_double() == 24000.0);
    CHECK(body.at("spot_price").as_double() == 24550.75);
    CHECK(body.at("implied_volatility").as_double() == 15.0);
    CHECK(body.at("interest_rate").as_int64() == 0);  // OpenAlgo's default is the integer 0
    const auto& greeks = body.at("greeks").as_object();
    auto exact = oa::options::greeks({Model::Black76, OptionType::Call, 24550.75, 24000, 30.0 / 365, 0, 0}, 0.15);
    CHECK(greeks.at("delta").as_double() == doctest::Approx(exact.delta).epsilon(1e-4));
    CHECK(greeks.at("theta").as_double() == doctest::Approx(exact.theta).epsilon(1e-4));
    CHECK(greeks.at("vega").as_double() == doctest::Approx(exact.vega).epsilon(1e-4));
    CHECK(greeks.at("gamma").as_double() == doctest::Approx(exact.gamma).epsilon(1e-3));
    CHECK(greeks.at("rho").as_double() == doctest::Approx(exact.rho).epsilon(1e-3));
    CHECK_FALSE(body.contains("note"));
  }

  TEST_CASE("a client's interest rate is used and echoed as a float") {
    auto r = request(24000, OptionType::Put, 24550.75, model_price(OptionType::Put, 24550.75, 24000, 0.2, 0.07));
    r.interest_rate = 7;
    auto report = greeks_report(r);
    REQUIRE(report.status == 200);
    CHECK(report.body.at("interest_rate").as_double() == 7.0);
    CHECK(report.body.at("implied_volatility").as_double() == 20.0);
  }

  TEST_CASE("an in-the-money option with no time value gets the theoretical Greeks and a note") {
    auto report = greeks_report(request(24000, OptionType::Call, 24550, 550.0));
    REQUIRE(report.status == 200);
    CHECK(report.body.at("implied_volatility").as_int64() == 0);
    CHECK(report.body.at("greeks").at("delta").as_double() == 1.0);
    CHECK(report.body.at("greeks").at("gamma").as_int64() == 0);
    CHECK(report.body.at("intrinsic_value").as_double() == 550.0);
    CHECK(report.body.at("time_value").as_double() == 0.0);
    CHECK(report.body.at("note") == "Deep ITM option with no time value - theoretical Greeks returned");
  }

  TEST_CASE("an expired option is refused with its expiry date, and reported as zero Greeks in a batch") {
    auto r = request(24000, OptionType::Call, 24550, 560);
    r.now_epoch_seconds = static_cast<double>(ist_epoch_seconds(kExpiry, {15, 31}));
    auto report = greeks_report(r);
    CHECK(report.status == 400);
    CHECK(report.expired);
    CHECK(report.body.at("message") == "Option has expired on 25-Nov-2025");
    auto expired = expired_greeks_report(r);
    CHECK(expired.at("status") == "success");
    CHECK(expired.at("days_to_expiry").as_int64() == 0);
    CHECK(expired.at("note") == "Option has expired - Greeks are no longer applicable");
    CHECK(expired.at("intrinsic_value").as_double() == 550.0);
    CHECK(expired.at("time_value").as_double() == 10.0);
  }

  TEST_CASE("an MCX option keeps its time value until 23:30 IST on expiry day") {
    auto r = request(24000, OptionType::Call, 24550, 560);
    r.now_epoch_seconds = static_cast<double>(ist_epoch_seconds(kExpiry, {20, 0}));
    CHECK(greeks_report(r).status == 400);
    r.cutoff = expiry_cutoff("MCX");
    CHECK(greeks_report(r).status == 200);
  }

  TEST_CASE("non-positive prices and impossible prices are errors in OpenAlgo's words") {
    CHECK(greeks_report(request(24000, OptionType::Call, 0, 10)).body.at("message") ==
          "Spot price and option price must be positive");
    auto too_dear = greeks_report(request(24000, OptionType::Call, 24550, 25000));
    CHECK(too_dear.status == 500);
    CHECK(std::string(too_dear.body.at("message").as_string()).starts_with("Failed to calculate Implied Volatility: "));
  }

  TEST_CASE("chain legs carry IV and Greeks when priced, theoretical ones without time value, nothing unpriced") {
    const double years = 30.0 / 365;
    auto priced =
        chain_leg_greeks(OptionType::Put, 24000, model_price(OptionType::Put, 24550, 24000, 0.14), 24550, years, 0);
    REQUIRE(priced);
    CHECK(priced->implied_volatility.as_double() == 14.0);
    CHECK(priced->delta.as_double() < 0);
    auto itm = chain_leg_greeks(OptionType::Put, 25000, 450, 24550, years, 0);
    REQUIRE(itm);
    CHECK(itm->implied_volatility.as_int64() == 0);
    CHECK(itm->delta.as_double() == -1.0);
    CHECK_FALSE(chain_leg_greeks(OptionType::Call, 24000, 0, 24550, years, 0));
    CHECK_FALSE(chain_leg_greeks(OptionType::Call, 24000, 100, 24550, 0, 0));
  }
}
