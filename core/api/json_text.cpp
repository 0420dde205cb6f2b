#include "api/json_text.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

#include <boost/json.hpp>

namespace oa::api {
namespace {

namespace json = boost::json;

void append_string(std::string& out, std::string_view text) {
  out += '"';
  for (unsigned char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
          out += escaped;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

// Python's repr: the shortest text that reads back exactly, in positional
// notation for 1e-4 <= |x| < 1e16, always with a '.' or an exponent.
void append_double(std::string& out, double number) {
  if (!std::isfinite(number)) {
    out += "null";  // Python would write NaN, which is not JSON
    return;
  }
  char buffer[64];
  double magnitude = std::fabs(number);
  bool positional = magnitude == 0 || (magnitude >= 1e-4 && magnitude < 1e16);
  auto format = positional ? std::chars_format::fixed : std::chars_format::scientific;
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, number, format);
  std::string text(buffer, end);
  if (positional) {
    if (text.find('.') == std::string::npos) text += ".0";
  } else {
    // to_chars writes 1e-05 as "1e-05" already; Python writes "1e+16" for 1e16.
    auto e = text.find('e');
    if (e != std::string::npos && text[e + 1] != '-' && text[e + 1] != '+') text.insert(e + 1, "+");
  }
  out += text;
}

void append(std::string& out, const json::value& value) {
  switch (value.kind()) {
    case json::kind::null: out += "null"; break;
    case json::kind::bool_: out += value.get_bool() ? "true" : "false"; break;
    case json::kind::int64: out += std::to_string(value.get_int64()); break;
    case json::kind::uint64: out += std::to_string(value.get_uint64()); break;
    case json::kind::double_: append_double(out, value.get_double()); break;
    case json::kind::string: append_string(out, value.get_string()); break;
    case json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& item : value.get_array()) {
        if (!first) out += ',';
        first = false;
        append(out, item);
      }
      out += ']';
      break;
    }
    case json::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, item] : value.get_object()) {
        if (!first) out += ',';
        first = false;
        append_string(out, key);
        out += ':';
        append(out, item);
      }
      out += '}';
      break;
    }
  }
}

}  // namespace

std::string to_json_text(const json::value& value) {
  std::string out;
  append(out, value);
  return out;
}

}  // namespace oa::api
