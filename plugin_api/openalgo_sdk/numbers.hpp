// numbers.hpp — numbers in JSON documents as brokers and OpenAlgo send them:
// OpenAlgo's request fields arrive as numbers or numeric strings, and several
// brokers (Angel among them) send every number in their answers as a string.
#pragma once

#include <cmath>
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

// A string member, or `fallback` when absent or empty.
inline std::string text_or(const json::object& document, std::string_view key, std::string_view fallback) {
  const auto* value = document.if_contains(key);
  return value && value->is_string() && !value->get_string().empty() ? std::string(value->get_string())
                                                                      : std::string(fallback);
}

}  // namespace oa::sdk
