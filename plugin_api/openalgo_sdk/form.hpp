// form.hpp — application/x-www-form-urlencoded bodies and query strings, as
// brokers' REST APIs (Kite's among them) take them.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace oa::sdk {

inline std::string url_encode(std::string_view text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~') {
      out += static_cast<char>(c);
      continue;
    }
    out += '%';
    out += hex[c >> 4];
    out += hex[c & 15];
  }
  return out;
}

using FormFields = std::vector<std::pair<std::string, std::string>>;

inline std::string form_encode(const FormFields& fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out += '&';
    out += url_encode(name) + "=" + url_encode(value);
  }
  return out;
}

}  // namespace oa::sdk
