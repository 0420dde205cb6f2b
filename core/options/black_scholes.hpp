#pragma once
// European option prices, Greeks and implied volatility under two models:
//  - Black-76: an option on a forward or future. OpenAlgo prices every Indian
//    F&O contract this way, on the per-expiry synthetic future (rest_api.md C.7.4);
//  - Black-Scholes-Merton: an option on a spot paying a continuous dividend yield.
//
// Units are the ones OpenAlgo's clients read (py_vollib / opengreeks): rates,
// yields and volatilities as decimals (0.07, 0.15), time in years; theta per
// calendar day (annual / 365), vega per 1 percentage point of volatility, rho
// per 1 percentage point of the rate.
#include <string>

namespace oa::options {

enum class OptionType { Call, Put };
enum class Model { Black76, BlackScholes };

struct OptionInputs {
  Model model = Model::Black76;
  OptionType type = OptionType::Call;
  double underlying = 0;  // the forward (Black76) or the spot (BlackScholes)
  double strike = 0;
  double years = 0;           // time to expiry
  double rate = 0;            // continuously compounded risk-free rate
  double dividend_yield = 0;  // BlackScholes only
};

struct Greeks {
  double delta = 0;  // per unit of the underlying (forward or spot)
  double gamma = 0;
  double theta = 0;  // per calendar day
  double vega = 0;   // per 1 % of volatility
  double rho = 0;    // per 1 % of rate
};

// Both throw std::invalid_argument, naming the input, when the underlying,
// strike, time or volatility is not positive or any input is not finite.
double price(const OptionInputs& inputs, double volatility);
Greeks greeks(const OptionInputs& inputs, double volatility);

// The lowest price the model allows (the discounted intrinsic value) and the
// highest (the discounted forward for a call, the discounted strike for a put).
double lower_price_bound(const OptionInputs& inputs);
double upper_price_bound(const OptionInputs& inputs);

enum class IvError { None, InvalidInput, BelowIntrinsic, AboveMaximum, NoConvergence };

struct ImpliedVolatility {
  double volatility = 0;  // annualised, decimal; set only when ok()
  IvError error = IvError::None;
  std::string message;  // why there is no volatility
  bool ok() const { return error == IvError::None; }
};

// The volatility at which the model gives `option_price`. A price at or below
// the discounted intrinsic value (no time value) or at or above the upper
// bound has none, and says so; the result is never NaN.
ImpliedVolatility implied_volatility(const OptionInputs& inputs, double option_price);

}  // namespace oa::options
