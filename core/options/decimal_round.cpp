#include "options/decimal_round.hpp"

#include <charconv>
#include <cmath>

namespace oa::options {

double python_round(double value, int digits) {
  if (!std::isfinite(value)) return value;
  // to_chars with a precision rounds the exact binary value correctly; reading
  // the text back gives the nearest double, which is what Python returns.
  char text[400];
  auto [end, error] = std::to_chars(text, text + sizeof text, value, std::chars_format::fixed, digits);
  if (error != std::errc()) return value;
  double rounded = value;
  std::from_chars(text, end, rounded);
  return rounded;
}

}  // namespace oa::options
