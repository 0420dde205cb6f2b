#include "api/request_api_key.hpp"

#include <string_view>

#include <boost/json/parse.hpp>

#include "api/query_string.hpp"

namespace oa::api {
namespace {

constexpr std::string_view kKey = "apikey";

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::size_t skip_spaces(std::string_view text, std::size_t at) {
  while (at < text.size() && is_space(text[at])) ++at;
  return at;
}

// The end (one past the closing quote) of the JSON string opening at `at`, or npos.
std::size_t string_end(std::string_view text, std::size_t at) {
  for (std::size_t i = at + 1; i < text.size(); ++i) {
    if (text[i] == '\\') ++i;
    else if (text[i] == '"') return i + 1;
  }
  return std::string_view::npos;
}

// The text of a JSON string token, quotes included; escapes are decoded.
std::string string_value(std::string_view token) {
  auto inner = token.substr(1, token.size() - 2);
  if (inner.find('\\') == std::string_view::npos) return std::string(inner);
  boost::system::error_code ec;
  auto value = boost::json::parse(token, ec);
  return !ec && value.is_string() ? std::string(value.get_string()) : std::string();
}

// Whether the JSON string token (quotes included) reads `word`; without
// escapes, compared in place.
bool token_is(std::string_view token, std::string_view word) {
  auto inner = token.substr(1, token.size() - 2);
  if (inner.find('\\') == std::string_view::npos) return inner == word;
  return string_value(token) == word;
}

std::string key_in_body(std::string_view body) {
  std::string found;
  int depth = 0;
  for (std::size_t at = 0; at < body.size();) {
    char c = body[at];
    if (c == '{' || c == '[') ++depth;
    if (c == '}' || c == ']') --depth;
    if (c != '"') {
      ++at;
      continue;
    }
    auto end = string_end(body, at);
    if (end == std::string_view::npos) break;
    auto token = body.substr(at, end - at);
    at = end;
    auto colon = skip_spaces(body, at);
    if (depth != 1 || colon >= body.size() || body[colon] != ':' || !token_is(token, kKey)) continue;
    auto value_at = skip_spaces(body, colon + 1);
    if (value_at >= body.size() || body[value_at] != '"') continue;
    auto value_end = string_end(body, value_at);
    if (value_end == std::string_view::npos) break;
    found = string_value(body.substr(value_at, value_end - value_at));
    at = value_end;
  }
  return found;
}

}  // namespace

std::string request_api_key(const net::HttpRequest& request) {
  if (request.method == "GET") {
    auto parameters = parse_query(request.query);
    auto key = parameters.find(kKey);
    return key == parameters.end() ? std::string() : key->second;
  }
  return key_in_body(request.body);
}

}  // namespace oa::api
