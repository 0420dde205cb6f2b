#pragma once
// Case-insensitive comparison of ASCII protocol tokens: header names, media
// types, URL schemes. Not for text in general (no Unicode folding).
#include <cctype>
#include <string_view>

namespace oa::net {

inline bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

}  // namespace oa::net
