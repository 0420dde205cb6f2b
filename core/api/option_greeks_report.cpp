#include "api/option_greeks_report.hpp"

#include <algorithm>

#include "options/black_scholes.hpp"
#include "options/decimal_round.hpp"

namespace oa::api {
namespace {

namespace json = boost::json;
using options::OptionType;
using options::python_round;

constexpr double kPercent = 100.0;
// Below this much time value an in-the-money option is taken to have none.
constexpr double kMinimumTimeValue = 0.01;

json::object error_body(std::string message) { return {{"status", "error"}, {"message", std::move(message)}}; }

double intrinsic_value(OptionType type, double forward, double strike) {
  return std::max(type == OptionType::Call ? forward - strike : strike - forward, 0.0);
}

bool lacks_time_value(double price, double intrinsic) {
  const double time_value = price - intrinsic;
  return time_value <= 0 || (intrinsic > 0 && time_value < kMinimumTimeValue);
}

// Only an in-the-money option moves one for one with its underlying; one out
// of the money whose volatility cannot be solved is worth next to nothing
// (OpenAlgo's single-symbol path gives it delta ±1 all the same).
double theoretical_delta(OptionType type, double intrinsic) {
  if (intrinsic <= 0) return 0.0;
  return type == OptionType::Call ? 1.0 : -1.0;
}

// A client's rate is echoed as a float, OpenAlgo's default as the integer 0.
json::value rate_value(const std::optional<double>& rate) {
  return rate ? json::value(python_round(*rate, 2)) : json::value(0);
}

json::object common_fields(const GreeksRequest& request, json::value days_to_expiry) {
  return {{"status", "success"},
          {"symbol", request.symbol},
          {"exchange", request.exchange},
          {"underlying", request.option.base},
          {"strike", python_round(request.option.strike, 2)},
          {"option_type", options::type_code(request.option.type)},
          {"expiry_date", options::display_expiry(request.option.expiry)},
          {"days_to_expiry", std::move(days_to_expiry)},
          {"spot_price", python_round(request.forward, 2)},
          {"option_price", python_round(request.option_price, 2)},
          {"interest_rate", rate_value(request.interest_rate)}};
}

json::object theoretical(const GreeksRequest& request, double days, std::string_view note) {
  const double intrinsic = intrinsic_value(request.option.type, request.forward, request.option.strike);
  auto body = common_fields(request, python_round(days, 4));
  body["intrinsic_value"] = python_round(intrinsic, 2);
  body["time_value"] = python_round(std::max(request.option_price - intrinsic, 0.0), 2);
  body["implied_volatility"] = 0;
  body["greeks"] = json::object{{"delta", theoretical_delta(request.option.type, intrinsic)},
                                {"gamma", 0},
                                {"theta", 0},
                                {"vega", 0},
                                {"rho", 0}};
  body["note"] = note;
  return body;
}

}  // namespace

GreeksReport greeks_report(const GreeksRequest& request) {
  const auto& option = request.option;
  const auto left =
      options::time_to_expiry(options::ist_epoch_seconds(option.expiry, request.cutoff), request.now_epoch_seconds);
  if (left.expired()) return {400, error_body("Option has expired on " + options::display_expiry(option.expiry)), true};
  if (request.forward <= 0 || request.option_price <= 0)
    return {400, error_body("Spot price and option price must be positive")};
  if (option.strike <= 0) return {400, error_body("Strike price must be positive")};

  const double intrinsic = intrinsic_value(option.type, request.forward, option.strike);
  if (lacks_time_value(request.option_price, intrinsic))
    return {200, theoretical(request, left.days, "Deep ITM option with no time value - theoretical Greeks returned")};

  const options::OptionInputs inputs{
      options::Model::Black76, option.type, request.forward,
      option.strike,           left.years,  request.interest_rate.value_or(0) / kPercent};
  const auto iv = options::implied_volatility(inputs, request.option_price);
  if (iv.error == options::IvError::BelowIntrinsic || iv.error == options::IvError::NoConvergence)
    return {200, theoretical(request, left.days, "IV calculation not possible - theoretical deep ITM Greeks returned")};
  if (!iv.ok()) return {500, error_body("Failed to calculate Implied Volatility: " + iv.message)};

  const auto greeks = options::greeks(inputs, iv.volatility);
  auto body = common_fields(request, python_round(left.days, 4));
  body["implied_volatility"] = python_round(iv.volatility * kPercent, 2);
  body["greeks"] = json::object{{"delta", python_round(greeks.delta, 4)},
                                {"gamma", python_round(greeks.gamma, 6)},
                                {"theta", python_round(greeks.theta, 4)},
                                {"vega", python_round(greeks.vega, 4)},
                                {"rho", python_round(greeks.rho, 6)}};
  return {200, std::move(body)};
}

json::object expired_greeks_report(const GreeksRequest& request) {
  const double intrinsic = intrinsic_value(request.option.type, request.forward, request.option.strike);
  auto body = common_fields(request, 0);
  body["intrinsic_value"] = python_round(intrinsic, 2);
  body["time_value"] = python_round(std::max(request.option_price - intrinsic, 0.0), 2);
  body["implied_volatility"] = 0;
  body["greeks"] = json::object{{"delta", 0}, {"gamma", 0}, {"theta", 0}, {"vega", 0}, {"rho", 0}};
  body["note"] = "Option has expired - Greeks are no longer applicable";
  return body;
}

std::optional<LegGreeks> chain_leg_greeks(OptionType type, double strike, double price, double forward, double years,
                                          double rate_percent) {
  if (price <= 0 || strike <= 0 || forward <= 0 || years <= 0) return std::nullopt;
  const double intrinsic = intrinsic_value(type, forward, strike);
  const LegGreeks theoretical{0, theoretical_delta(type, intrinsic), 0, 0, 0};
  if (lacks_time_value(price, intrinsic)) return theoretical;
  const options::OptionInputs inputs{options::Model::Black76, type, forward, strike, years, rate_percent / kPercent};
  const auto iv = options::implied_volatility(inputs, price);
  if (!iv.ok()) return theoretical;
  const auto greeks = options::greeks(inputs, iv.volatility);
  return LegGreeks{python_round(iv.volatility * kPercent, 2), python_round(greeks.delta, 4),
                   python_round(greeks.gamma, 6), python_round(greeks.theta, 4), python_round(greeks.vega, 4)};
}

}  // namespace oa::api
