#include "options/black_scholes.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <optional>
#include <stdexcept>

#include <fmt/format.h>

namespace oa::options {
namespace {

constexpr double kDaysPerYear = 365.0;
constexpr double kPercent = 100.0;

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::numbers::sqrt2); }
double normal_pdf(double x) { return std::exp(-0.5 * x * x) * std::numbers::inv_sqrtpi / std::numbers::sqrt2; }

void require_positive(double value, const char* name) {
  if (!std::isfinite(value) || value <= 0)
    throw std::invalid_argument(fmt::format("{} must be a positive number, not {}", name, value));
}

void require_finite(double value, const char* name) {
  if (!std::isfinite(value)) throw std::invalid_argument(fmt::format("{} must be a finite number", name));
}

void require_valid(const OptionInputs& in) {
  require_positive(in.underlying, in.model == Model::Black76 ? "forward price" : "spot price");
  require_positive(in.strike, "strike");
  require_positive(in.years, "time to expiry");
  require_finite(in.rate, "interest rate");
  require_finite(in.dividend_yield, "dividend yield");
}

// Everything both models share once the spot is carried to a forward.
struct Terms {
  double forward = 0;
  double discount = 0;  // e^(-rT)
  double d1 = 0, d2 = 0;
  double sqrt_t = 0;
};

double forward_of(const OptionInputs& in) {
  if (in.model == Model::Black76) return in.underlying;
  return in.underlying * std::exp((in.rate - in.dividend_yield) * in.years);
}

Terms terms(const OptionInputs& in, double volatility) {
  require_valid(in);
  require_positive(volatility, "volatility");
  Terms t;
  t.forward = forward_of(in);
  t.discount = std::exp(-in.rate * in.years);
  t.sqrt_t = std::sqrt(in.years);
  const double total = volatility * t.sqrt_t;
  t.d1 = (std::log(t.forward / in.strike) + 0.5 * total * total) / total;
  t.d2 = t.d1 - total;
  return t;
}

double price_from(const OptionInputs& in, const Terms& t) {
  if (in.type == OptionType::Call) return t.discount * (t.forward * normal_cdf(t.d1) - in.strike * normal_cdf(t.d2));
  return t.discount * (in.strike * normal_cdf(-t.d2) - t.forward * normal_cdf(-t.d1));
}

// Hull, Options, Futures and Other Derivatives, ch. 18-19; Black-76 theta is
// -D F n(d1) sigma / (2 sqrt T) + r V and rho is -T V.
Greeks black76_greeks(const OptionInputs& in, const Terms& t, double volatility) {
  const bool call = in.type == OptionType::Call;
  const double value = price_from(in, t);
  const double decay = t.discount * t.forward * normal_pdf(t.d1) * volatility / (2 * t.sqrt_t);
  Greeks g;
  g.delta = call ? t.discount * normal_cdf(t.d1) : -t.discount * normal_cdf(-t.d1);
  g.gamma = t.discount * normal_pdf(t.d1) / (t.forward * volatility * t.sqrt_t);
  g.vega = t.discount * t.forward * normal_pdf(t.d1) * t.sqrt_t / kPercent;
  g.theta = (-decay + in.rate * value) / kDaysPerYear;
  g.rho = -in.years * value / kPercent;
  return g;
}

// Hull, ch. 19 (Black-Scholes-Merton with a continuous dividend yield q).
Greeks black_scholes_greeks(const OptionInputs& in, const Terms& t, double volatility) {
  const bool call = in.type == OptionType::Call;
  const double yield_discount = std::exp(-in.dividend_yield * in.years);
  const double spot_carried = in.underlying * yield_discount;  // S e^(-qT), equal to D F
  const double decay = spot_carried * normal_pdf(t.d1) * volatility / (2 * t.sqrt_t);
  const double strike_discounted = in.strike * t.discount;
  Greeks g;
  g.delta = call ? yield_discount * normal_cdf(t.d1) : -yield_discount * normal_cdf(-t.d1);
  g.gamma = yield_discount * normal_pdf(t.d1) / (in.underlying * volatility * t.sqrt_t);
  g.vega = spot_carried * normal_pdf(t.d1) * t.sqrt_t / kPercent;
  if (call) {
    g.theta =
        -decay + in.dividend_yield * spot_carried * normal_cdf(t.d1) - in.rate * strike_discounted * normal_cdf(t.d2);
    g.rho = in.years * strike_discounted * normal_cdf(t.d2) / kPercent;
  } else {
    g.theta =
        -decay - in.dividend_yield * spot_carried * normal_cdf(-t.d1) + in.rate * strike_discounted * normal_cdf(-t.d2);
    g.rho = -in.years * strike_discounted * normal_cdf(-t.d2) / kPercent;
  }
  g.theta /= kDaysPerYear;
  return g;
}

ImpliedVolatility iv_failure(IvError error, std::string message) { return {0, error, std::move(message)}; }

// Undiscounted price of the out-of-the-money option at strike k, as a function
// of the total volatility s = sigma * sqrt(T). Strictly increasing in s, from 0
// at s = 0 to f (call) or k (put) as s grows; its slope is f n(d1).
struct OutOfTheMoney {
  double f, k;
  bool call;  // k >= f
  double value(double s) const {
    const double d1 = std::log(f / k) / s + 0.5 * s, d2 = d1 - s;
    return call ? f * normal_cdf(d1) - k * normal_cdf(d2) : k * normal_cdf(-d2) - f * normal_cdf(-d1);
  }
  double slope(double s) const { return f * normal_pdf(std::log(f / k) / s + 0.5 * s); }
  double ceiling() const { return call ? f : k; }
};

// Newton's method kept inside a bracket that always holds the root, falling
// back to bisection whenever a Newton step would leave it: converges from any
// start, also where the slope vanishes (deep in or out of the money, near expiry).
std::optional<double> solve_total_volatility(const OutOfTheMoney& otm, double target) {
  double low = 0, high = 1;
  while (otm.value(high) < target) {
    high *= 2;
    if (high > 64) return std::nullopt;  // beyond any market: the price sits at the ceiling
  }
  const double moneyness = std::fabs(std::log(otm.f / otm.k));
  // The slope's maximum, where Newton from above converges monotonically.
  double s = std::clamp(moneyness > 0 ? std::sqrt(2 * moneyness) : target * std::sqrt(2 * std::numbers::pi) / otm.f,
                        1e-8, high);
  for (int i = 0; i < 200; ++i) {
    const double gap = otm.value(s) - target;
    if (gap == 0) return s;
    (gap > 0 ? high : low) = s;
    const double slope = otm.slope(s);
    double next = slope > 0 ? s - gap / slope : low;
    if (!(next > low && next < high)) next = 0.5 * (low + high);
    if (std::fabs(next - s) <= 1e-15 * s || high - low <= 1e-15 * high) return next;
    s = next;
  }
  return s;
}

}  // namespace

double price(const OptionInputs& inputs, double volatility) { return price_from(inputs, terms(inputs, volatility)); }

Greeks greeks(const OptionInputs& inputs, double volatility) {
  Terms t = terms(inputs, volatility);
  return inputs.model == Model::Black76 ? black76_greeks(inputs, t, volatility)
                                        : black_scholes_greeks(inputs, t, volatility);
}

double lower_price_bound(const OptionInputs& inputs) {
  require_valid(inputs);
  const double f = forward_of(inputs), discount = std::exp(-inputs.rate * inputs.years);
  return discount * std::max(inputs.type == OptionType::Call ? f - inputs.strike : inputs.strike - f, 0.0);
}

double upper_price_bound(const OptionInputs& inputs) {
  require_valid(inputs);
  const double discount = std::exp(-inputs.rate * inputs.years);
  return discount * (inputs.type == OptionType::Call ? forward_of(inputs) : inputs.strike);
}

ImpliedVolatility implied_volatility(const OptionInputs& inputs, double option_price) {
  try {
    require_valid(inputs);
    require_positive(option_price, "option price");
  } catch (const std::invalid_argument& error) {
    return iv_failure(IvError::InvalidInput, error.what());
  }
  const double f = forward_of(inputs), k = inputs.strike, discount = std::exp(-inputs.rate * inputs.years);
  const double undiscounted = option_price / discount;
  const double intrinsic = std::max(inputs.type == OptionType::Call ? f - k : k - f, 0.0);
  // The time value of an in-the-money option is the price of the
  // out-of-the-money one at the same strike (put-call parity): solving on that
  // side keeps the small number from drowning in the intrinsic value.
  const double time_value = undiscounted - intrinsic;
  if (time_value <= 0)
    return iv_failure(IvError::BelowIntrinsic,
                      fmt::format("Option price {} is at or below its intrinsic value {}: it has no time value",
                                  option_price, discount * intrinsic));
  const OutOfTheMoney otm{f, k, k >= f};
  if (time_value >= otm.ceiling() || undiscounted >= (inputs.type == OptionType::Call ? f : k))
    return iv_failure(IvError::AboveMaximum, fmt::format("Option price {} is at or above the most the option can be "
                                                         "worth ({})",
                                                         option_price, upper_price_bound(inputs)));
  auto total = solve_total_volatility(otm, time_value);
  const double volatility = total ? *total / std::sqrt(inputs.years) : 0;
  if (!total || !std::isfinite(volatility) || volatility <= 0)
    return iv_failure(IvError::NoConvergence,
                      fmt::format("Implied volatility did not converge for option price {}", option_price));
  return {volatility, IvError::None, {}};
}

}  // namespace oa::options
