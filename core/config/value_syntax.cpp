#include "config/value_syntax.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <climits>
#include <cmath>

#include "config/config.hpp"

namespace oa::config {
namespace {

constexpr std::string_view kBlanks = " \t\r\n";

constexpr std::string_view kTrueWords[] = {"true", "1", "yes", "on"};
constexpr std::string_view kFalseWords[] = {"false", "0", "no", "off"};
constexpr std::string_view kLogLevels[] = {"DEBUG", "INFO", "WARNING", "WARN", "ERROR", "CRITICAL"};

// Substrings that mark a value someone was meant to replace.
constexpr std::string_view kPlaceholderMarks[] = {"your", "placeholder", "change", "xxxx"};
// OpenAlgo's .sample.env values before it switched to placeholders: public, so as good as missing.
constexpr std::string_view kLeakedSampleSecrets[] = {
    "3daa0403ce2501ee7432b75bf100048e3cf510d63d2754f952e93d88bf07ea84",
    "a25d94718479b170c16278e321ea6c989358bf499a658fd20c90033cef8ce772",
};

struct RateUnit {
  std::string_view name;
  int seconds;
};
constexpr RateUnit kRateUnits[] = {{"second", 1}, {"minute", 60}, {"hour", 3600}, {"day", 86400}};

std::vector<std::string_view> split_blanks(std::string_view text) {
  std::vector<std::string_view> words;
  while (true) {
    const std::size_t begin = text.find_first_not_of(kBlanks);
    if (begin == std::string_view::npos) return words;
    text.remove_prefix(begin);
    const std::size_t end = std::min(text.find_first_of(kBlanks), text.size());
    words.push_back(text.substr(0, end));
    text.remove_prefix(end);
  }
}

// "N per unit".
std::optional<RateLimit> parse_one_rate(std::string_view part) {
  const auto words = split_blanks(part);
  if (words.size() != 3 || to_lower(words[1]) != "per") return std::nullopt;
  const auto count = parse_integer(words[0]);
  if (!count || *count < 1 || *count > INT_MAX) return std::nullopt;
  const std::string unit = to_lower(words[2]);
  const auto it = std::ranges::find(kRateUnits, unit, &RateUnit::name);
  if (it == std::end(kRateUnits)) return std::nullopt;
  return RateLimit{static_cast<int>(*count), it->seconds};
}

bool is_digits(std::string_view text, std::size_t min_length, std::size_t max_length) {
  return text.size() >= min_length && text.size() <= max_length &&
         std::ranges::all_of(text, [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

}  // namespace

std::string_view trim(std::string_view text) {
  const std::size_t begin = text.find_first_not_of(kBlanks);
  if (begin == std::string_view::npos) return {};
  return text.substr(begin, text.find_last_not_of(kBlanks) - begin + 1);
}

std::string to_lower(std::string_view text) {
  std::string lower(text);
  std::ranges::transform(lower, lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

std::vector<std::string> split_list(std::string_view text, char separator) {
  std::vector<std::string> items;
  while (!text.empty()) {
    const std::size_t end = std::min(text.find(separator), text.size());
    if (const auto item = trim(text.substr(0, end)); !item.empty()) items.emplace_back(item);
    text.remove_prefix(std::min(end + 1, text.size()));
  }
  return items;
}

std::optional<long long> parse_integer(std::string_view text) {
  long long value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<double> parse_decimal(std::string_view text) {
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  if (!std::isfinite(value)) return std::nullopt;
  return value;
}

std::optional<bool> parse_boolean(std::string_view text) {
  const std::string lower = to_lower(text);
  if (std::ranges::find(kTrueWords, lower) != std::end(kTrueWords)) return true;
  if (std::ranges::find(kFalseWords, lower) != std::end(kFalseWords)) return false;
  return std::nullopt;
}

bool is_clock_time(std::string_view text) {
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos) return false;
  const std::string_view hours = text.substr(0, colon);
  const std::string_view minutes = text.substr(colon + 1);
  if (!is_digits(hours, 1, 2) || !is_digits(minutes, 2, 2)) return false;
  return *parse_integer(hours) <= 23 && *parse_integer(minutes) <= 59;
}

bool is_log_level(std::string_view text) {
  std::string upper(text);
  std::ranges::transform(upper, upper.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return std::ranges::find(kLogLevels, upper) != std::end(kLogLevels);
}

bool is_hex(std::string_view text) {
  return std::ranges::all_of(text, [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
}

std::string_view url_password(std::string_view url) {
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return {};
  const std::string_view rest = url.substr(scheme_end + 3);
  // The last '@' ends the user info even when an unencoded '@' is in the password.
  const std::size_t at = rest.rfind('@');
  if (at == std::string_view::npos) return {};
  const std::size_t colon = rest.substr(0, at).find(':');
  if (colon == std::string_view::npos) return {};
  return rest.substr(colon + 1, at - colon - 1);
}

std::string without_password(std::string_view url) {
  const std::string_view password = url_password(url);
  if (password.empty()) return std::string(url);
  const auto begin = static_cast<std::size_t>(password.data() - url.data());
  return std::string(url.substr(0, begin)) + "***" + std::string(url.substr(begin + password.size()));
}

std::optional<std::vector<RateLimit>> parse_rate_limits(std::string_view text) {
  std::vector<RateLimit> limits;
  while (true) {
    const std::size_t end = std::min(text.find(';'), text.size());
    const auto limit = parse_one_rate(text.substr(0, end));
    if (!limit) return std::nullopt;
    limits.push_back(*limit);
    if (end == text.size()) return limits;
    text.remove_prefix(end + 1);
  }
}

bool is_placeholder_secret(std::string_view value) {
  const std::string lower = to_lower(value);
  if (std::ranges::find(kLeakedSampleSecrets, lower) != std::end(kLeakedSampleSecrets)) return true;
  return std::ranges::any_of(kPlaceholderMarks,
                             [&lower](std::string_view mark) { return lower.find(mark) != std::string::npos; });
}

}  // namespace oa::config
