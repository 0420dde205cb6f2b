#include "api/json_text.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

#include <boost/json.hpp>

namespace oa::api {
namespace {

namespace json = boost::json;

void append_escaped(std::string& out, unsigned value) {
  char escaped[8];
  std::snprintf(escaped, sizeof escaped, "\\u%04x", value);
  out += escaped;
}

// One UTF-8 sequence starting at text[i] as a code point; advances i. A
// malformed byte is taken as itself (Latin-1), so nothing is ever dropped.
unsigned decode_utf8(std::string_view text, std::size_t& i) {
  auto byte = [&](std::size_t at) { return static_cast<unsigned char>(text[at]); };
  unsigned lead = byte(i);
  int extra = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
  if (extra == 0 || i + extra >= text.size()) {
    ++i;
    return lead;
  }
  unsigned code = lead & (0x3F >> extra);
  for (int k = 1; k <= extra; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      ++i;
      return lead;
    }
    code = (code << 6) | (byte(i + k) & 0x3F);
  }
  i += extra + 1;
  return code;
}

// ensure_ascii: every non-ASCII character as \uXXXX, astral ones as a surrogate pair.
void append_non_ascii(std::string& out, std::string_view text, std::size_t& i) {
  unsigned code = decode_utf8(text, i);
  if (code < 0x10000) return append_escaped(out, code);
  code -= 0x10000;
  append_escaped(out, 0xD800 + (code >> 10));
  append_escaped(out, 0xDC00 + (code & 0x3FF));
}

void append_string(std::string& out, std::string_view text, JsonLayout layout) {
  out += '"';
  for (std::size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80 && layout == JsonLayout::PythonDumps) {
      append_non_ascii(out, text, i);
      continue;
    }
    ++i;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20) append_escaped(out, c);
        else out += static_cast<char>(c);
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

void append(std::string& out, const json::value& value, JsonLayout layout) {
  switch (value.kind()) {
    case json::kind::null: out += "null"; break;
    case json::kind::bool_: out += value.get_bool() ? "true" : "false"; break;
    case json::kind::int64: out += std::to_string(value.get_int64()); break;
    case json::kind::uint64: out += std::to_string(value.get_uint64()); break;
    case json::kind::double_: append_double(out, value.get_double()); break;
    case json::kind::string: append_string(out, value.get_string(), layout); break;
    case json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& item : value.get_array()) {
        if (!first) out += layout == JsonLayout::PythonDumps ? ", " : ",";
        first = false;
        append(out, item, layout);
      }
      out += ']';
      break;
    }
    case json::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, item] : value.get_object()) {
        if (!first) out += layout == JsonLayout::PythonDumps ? ", " : ",";
        first = false;
        append_string(out, key, layout);
        out += layout == JsonLayout::PythonDumps ? ": " : ":";
        append(out, item, layout);
      }
      out += '}';
      break;
    }
  }
}

}  // namespace

std::string to_json_text(const json::value& value, JsonLayout layout) {
  std::string out;
  append(out, value, layout);
  return out;
}

void append_json_string(std::string& out, std::string_view text, JsonLayout layout) {
  append_string(out, text, layout);
}

void append_json_double(std::string& out, double number) { append_double(out, number); }

}  // namespace oa::api
