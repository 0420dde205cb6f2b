#include "options/option_symbols.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace oa::options {
namespace {

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Length of the run at `from` of characters satisfying `accept`.
template <class Accept>
std::size_t run_length(std::string_view text, std::size_t from, Accept accept) {
  std::size_t end = from;
  while (end < text.size() && accept(text[end])) ++end;
  return end - from;
}

bool has_run(std::string_view text, std::size_t from, std::size_t count, bool (*accept)(char)) {
  if (from + count > text.size()) return false;
  for (std::size_t i = from; i < from + count; ++i)
    if (!accept(text[i])) return false;
  return true;
}

// DDMMMYY at `from`: two digits, three letters, two digits.
bool is_expiry_code_at(std::string_view text, std::size_t from) {
  return has_run(text, from, 2, is_digit) && has_run(text, from + 2, 3, is_upper) &&
         has_run(text, from + 5, 2, is_digit);
}

// Python's float(): the text must be a decimal number as a whole.
std::optional<double> python_float(std::string_view text) {
  double value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<std::size_t> walk(std::size_t from, long steps, std::size_t size) {
  long target = static_cast<long>(from) + steps;
  if (target < 0 || target >= static_cast<long>(size)) return std::nullopt;
  return static_cast<std::size_t>(target);
}

// Signed number of positions up the ladder for a call's or put's offset.
long direction(Offset offset, OptionType type) {
  if (offset.side == Offset::Side::AtTheMoney) return 0;
  const bool up = (offset.side == Offset::Side::OutOfTheMoney) == (type == OptionType::Call);
  return up ? offset.steps : -offset.steps;
}

}  // namespace

std::string upper_case(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

Underlying parse_underlying(std::string_view text) {
  std::string upper_text = upper_case(text);
  std::string_view view = upper_text;
  const std::size_t base_length = run_length(view, 0, is_upper);
  if (base_length > 0 && is_expiry_code_at(view, base_length)) {
    std::string_view rest = view.substr(base_length + 7);
    if (rest.empty() || rest == "FUT")
      return {std::string(view.substr(0, base_length)), std::string(view.substr(base_length, 7))};
  }
  return {std::move(upper_text), std::nullopt};
}

OptionSymbol parse_option_symbol(std::string_view symbol) {
  const std::string text = upper_case(symbol);
  std::string_view view = text;
  const std::size_t base = run_length(view, 0, is_upper);
  const std::size_t strike_at = base + 7;
  const std::size_t strike_length = run_length(view, strike_at, [](char c) { return is_digit(c) || c == '.'; });
  const std::string_view type = view.substr(std::min(view.size(), strike_at + strike_length), 2);
  if (base == 0 || !is_expiry_code_at(view, base) || strike_length == 0 || (type != "CE" && type != "PE"))
    throw std::invalid_argument(fmt::format("Invalid option symbol format: {}", symbol));
  auto expiry = parse_expiry_code(view.substr(base, 7));
  if (!expiry) {
    const bool known_month = parse_expiry_code(fmt::format("01{}00", view.substr(base + 2, 3))).has_value();
    throw std::invalid_argument(known_month ? std::string("day is out of range for month")
                                            : fmt::format("Invalid month in option symbol: {}", symbol));
  }
  const std::string_view strike = view.substr(strike_at, strike_length);
  auto value = python_float(strike);
  if (!value) throw std::invalid_argument(fmt::format("could not convert string to float: '{}'", strike));
  return {std::string(view.substr(0, base)), *expiry, *value, type == "CE" ? OptionType::Call : OptionType::Put};
}

std::string_view type_code(OptionType type) { return type == OptionType::Call ? "CE" : "PE"; }

std::optional<OptionType> parse_type_code(std::string_view text) {
  std::string code = upper_case(text);
  if (code == "CE") return OptionType::Call;
  if (code == "PE") return OptionType::Put;
  return std::nullopt;
}

std::string strike_text(double strike) {
  if (std::isfinite(strike) && strike == std::floor(strike) && std::fabs(strike) < 1e15)
    return std::to_string(static_cast<long long>(strike));
  char buffer[32];
  auto end = std::to_chars(buffer, buffer + sizeof buffer, strike).ptr;
  return std::string(buffer, end);
}

std::string option_symbol(std::string_view base, std::string_view expiry_code, double strike, OptionType type) {
  return fmt::format("{}{}{}{}", base, expiry_code, strike_text(strike), type_code(type));
}

std::optional<Offset> parse_offset(std::string_view text) {
  const std::string code = upper_case(text);
  if (code == "ATM") return Offset{};
  if (code.size() < 4 || code.size() > 5) return std::nullopt;
  const std::string_view prefix = std::string_view(code).substr(0, 3), digits = std::string_view(code).substr(3);
  if ((prefix != "ITM" && prefix != "OTM") || digits.front() == '0') return std::nullopt;
  int steps = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), steps);
  if (error != std::errc() || end != digits.data() + digits.size() || steps < 1 || steps > 50) return std::nullopt;
  return Offset{prefix == "ITM" ? Offset::Side::InTheMoney : Offset::Side::OutOfTheMoney, steps};
}

std::optional<std::size_t> atm_index(const std::vector<double>& strikes, double spot) {
  if (strikes.empty()) return std::nullopt;
  std::size_t best = 0;
  for (std::size_t i = 1; i < strikes.size(); ++i)
    if (std::fabs(strikes[i] - spot) < std::fabs(strikes[best] - spot)) best = i;
  return best;
}

std::optional<double> listed_strike_at(const std::vector<double>& strikes, double spot, Offset offset,
                                       OptionType type) {
  auto atm = atm_index(strikes, spot);
  if (!atm) return std::nullopt;
  auto target = walk(*atm, direction(offset, type), strikes.size());
  if (!target) return std::nullopt;
  return strikes[*target];
}

double interval_strike_at(double spot, double interval, Offset offset, OptionType type) {
  const double atm = std::nearbyint(spot / interval) * interval;  // the default rounding mode is half to even
  return atm + static_cast<double>(direction(offset, type)) * interval;
}

std::vector<ChainStrike> chain_strikes(const std::vector<double>& strikes, std::size_t atm,
                                       std::optional<std::size_t> count) {
  std::size_t first = 0, last = strikes.size();
  if (count) {
    first = atm > *count ? atm - *count : 0;
    last = std::min(strikes.size(), atm + *count + 1);
  }
  std::vector<ChainStrike> window;
  for (std::size_t i = first; i < last; ++i) {
    if (i == atm) {
      window.push_back({strikes[i], "ATM", "ATM"});
      continue;
    }
    const std::string position = std::to_string(i < atm ? atm - i : i - atm);
    window.push_back(i < atm ? ChainStrike{strikes[i], "ITM" + position, "OTM" + position}
                             : ChainStrike{strikes[i], "OTM" + position, "ITM" + position});
  }
  return window;
}

}  // namespace oa::options
