// numbers.hpp — numbers in JSON documents as brokers and OpenAlgo send them:
// OpenAlgo's request fields arrive as numbers or numeric strings, and several
// brokers (Angel among them) send every number in their answers as a string.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "openalgo_plugin.hpp"

namespace oa::sdk {

// A number or a numeric string as a double; 0 for anything else or absent.
inline double number_of(const json::value* value) {
  if (!value) return 0;
  if (value->is_number()) return value->to_number<double>();
  if (!value->is_string()) return 0;
  std::string text(value->get_string());
  char* end = nullptr;
  double number = std::strtod(text.c_str(), &end);
  return end != text.c_str() && *end == '\0' ? number : 0;
}

inline double number_member(const json::object& document, std::string_view key) {
  return number_of(document.if_contains(key));
}

// A quantity member (a number or a numeric string), rounded to a whole number.
inline std::int64_t whole_member(const json::object& document, std::string_view key) {
  return static_cast<std::int64_t>(std::llround(number_member(document, key)));
}

// A number as the shortest decimal text: "5", "101.5".
inline std::string decimal_text(double number) {
  if (number == std::floor(number) && std::fabs(number) < 1e15) return std::to_string(static_cast<long long>(number));
  char text[32];
  std::snprintf(text, sizeof text, "%.10g", number);
  return text;
}

// A request member that is a number or a numeric string, as text ("0" when absent).
inline std::string number_text(const json::object& request, std::string_view key) {
  const auto* value = request.if_contains(key);
  if (value && value->is_string() && !value->get_string().empty()) return std::string(value->get_string());
  return decimal_text(number_of(value));
}

// A member as text: a string as it is, a number as JSON writes it, "" when absent or null.
inline std::string text_member(const json::object& document, std::string_view key) {
  const auto* value = document.if_contains(key);
  if (!value || value->is_null()) return {};
  return value->is_string() ? std::string(value->get_string()) : json::serialize(*value);
}

// A string member, or `fallback` when absent or empty.
inline std::string text_or(const json::object& document, std::string_view key, std::string_view fallback) {
  const auto* value = document.if_contains(key);
  return value && value->is_string() && !value->get_string().empty() ? std::string(value->get_string())
                                                                      : std::string(fallback);
}

}  // namespace oa::sdk
