#include "log/redact.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <vector>

// Each rule below marks the byte ranges of `text` that hold a secret; the
// ranges are then merged and each merged range becomes one mask. Marking
// ranges of the original text, rather than rewriting it rule by rule, keeps the
// rules independent: two rules that find the same secret cannot mask it twice
// or mask each other's "[REDACTED]".
namespace oa::log {
namespace {

constexpr std::string_view kMask = "[REDACTED]";
constexpr std::size_t kMinRegisteredSecretLength = 8;
constexpr std::size_t kApiKeyHexLength = 64;
// No credential key name is longer than this; longer identifiers are skipped
// without normalising them.
constexpr std::size_t kMaxKeyNameLength = 64;

// Credential key names, lowercase with '_' between words. An identifier names a
// credential when, normalised the same way, it equals one of these or ends
// with '_' and one of these. So "token" also covers access_token, feed_token,
// refresh_token and jwtToken, "secret" covers api_secret and client_secret,
// "api_key" covers x-api-key and BROKER_API_KEY.
constexpr std::array<std::string_view, 22> kCredentialKeys = {
    "api_key", "apikey",   "app_key", "secret_key", "private_key",   "pepper",
    "fernet_salt", "password", "passwd",  "passphrase", "pin",      "mpin",
    "totp",    "otp",      "totp_code", "token",    "enctoken",      "jwttoken",
    "jwt",     "authorization", "secret", "checksum",
};

// Bit n is set when some credential key ends with the letter 'a' + n, so that
// most identifiers are rejected by their last letter, without normalising.
constexpr std::uint32_t kCredentialKeyLastLetters = [] {
  std::uint32_t letters = 0;
  for (std::string_view key : kCredentialKeys) letters |= 1U << (key.back() - 'a');
  return letters;
}();

// Identifiers ending in "token" that name an instrument, not a credential.
// Masking them would hide the one field needed to debug an order.
constexpr std::array<std::string_view, 4> kInstrumentKeys = {
    "instrument_token", "exchange_token", "symbol_token", "scrip_token"};

// Schemes that put the credential after a space: "Authorization: Bearer x".
constexpr std::array<std::string_view, 4> kAuthSchemes = {"bearer", "token", "basic",
                                                          "enctoken"};

struct Range {
  std::size_t begin;
  std::size_t end;
};
using Ranges = std::vector<Range>;

struct RegisteredSecrets {
  std::shared_mutex mutex;
  std::vector<std::string> values;
};

RegisteredSecrets& registered_secrets() {
  static RegisteredSecrets secrets;
  return secrets;
}

bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_blank(char c) { return c == ' ' || c == '\t'; }
bool is_quote(char c) { return c == '"' || c == '\''; }
char to_lower(char c) { return is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c; }

// Character classes by table: every pass tests every character of every line.
enum CharClass : std::uint8_t {
  kWord = 1,      // identifier and base64url characters: [A-Za-z0-9_-]
  kHex = 2,       // [0-9A-Fa-f]
  kEndsValue = 4  // where an unquoted value ends: whitespace, quotes , ; & } ]
};

constexpr std::array<std::uint8_t, 256> kCharClasses = [] {
  std::array<std::uint8_t, 256> classes{};
  const auto add = [&](std::string_view chars, CharClass char_class) {
    for (char c : chars) classes[static_cast<unsigned char>(c)] |= char_class;
  };
  add("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-", kWord);
  add("0123456789abcdefABCDEF", kHex);
  add(" \t\r\n\f\v\"',;&}]", kEndsValue);
  return classes;
}();

bool has_class(char c, CharClass char_class) {
  return (kCharClasses[static_cast<unsigned char>(c)] & char_class) != 0;
}
bool is_word_char(char c) { return has_class(c, kWord); }
bool is_hex(char c) { return has_class(c, kHex); }
bool ends_value(char c) { return has_class(c, kEndsValue); }

bool equals_lowercase(std::string_view text, std::string_view lowercase) {
  return text.size() == lowercase.size() &&
         std::equal(text.begin(), text.end(), lowercase.begin(),
                    [](char t, char l) { return to_lower(t) == l; });
}

std::size_t word_end(std::string_view text, std::size_t pos) {
  while (pos < text.size() && is_word_char(text[pos])) ++pos;
  return pos;
}

std::size_t unquoted_value_end(std::string_view text, std::size_t pos) {
  while (pos < text.size() && !ends_value(text[pos])) ++pos;
  return pos;
}

std::size_t skip_blanks(std::string_view text, std::size_t pos) {
  while (pos < text.size() && is_blank(text[pos])) ++pos;
  return pos;
}

// "accessToken", "Access-Token" and "ACCESS_TOKEN" all become "access_token".
std::string normalised_key(std::string_view identifier) {
  std::string key;
  key.reserve(identifier.size() + 4);
  for (std::size_t i = 0; i < identifier.size(); ++i) {
    const char c = identifier[i];
    if (is_upper(c) && i > 0 && is_lower(identifier[i - 1])) key += '_';
    key += c == '-' ? '_' : to_lower(c);
  }
  return key;
}

bool may_name_credential(std::string_view identifier) {
  if (identifier.empty() || identifier.size() > kMaxKeyNameLength) return false;
  const char last = to_lower(identifier.back());
  return is_lower(last) && ((kCredentialKeyLastLetters >> (last - 'a')) & 1U) != 0;
}

bool names_credential(std::string_view identifier) {
  if (!may_name_credential(identifier)) return false;
  const std::string key = normalised_key(identifier);
  const auto names_instrument = [&](std::string_view name) { return key.ends_with(name); };
  if (std::ranges::any_of(kInstrumentKeys, names_instrument)) return false;
  const auto ends_with_key = [&](std::string_view name) {
    return key == name || (key.ends_with(name) && key[key.size() - name.size() - 1] == '_');
  };
  return std::ranges::any_of(kCredentialKeys, ends_with_key);
}

bool is_auth_scheme(std::string_view word) {
  const auto names_scheme = [&](std::string_view scheme) { return equals_lowercase(word, scheme); };
  return std::ranges::any_of(kAuthSchemes, names_scheme);
}

// The credential after an auth scheme word ending at `scheme_end`, or nothing
// when none follows on the same line. A value starting with '[' is left alone:
// it is a mask already, and masking it again would leave a stray ']'.
std::optional<Range> credential_after(std::string_view text, std::size_t scheme_end) {
  const std::size_t begin = skip_blanks(text, scheme_end);
  if (begin == scheme_end || begin >= text.size() || text[begin] == '[') return std::nullopt;
  const std::size_t end = unquoted_value_end(text, begin);
  if (end == begin) return std::nullopt;
  return Range{begin, end};
}

// The identifier just before a '=' or ':' at `separator`, allowing blanks and
// a closing quote (or a JSON-escaped one) in between.
std::string_view key_before(std::string_view text, std::size_t separator) {
  std::size_t end = separator;
  while (end > 0 && is_blank(text[end - 1])) --end;
  if (end > 0 && is_quote(text[end - 1])) --end;
  if (end > 0 && text[end - 1] == '\\') --end;
  std::size_t begin = end;
  while (begin > 0 && is_word_char(text[begin - 1])) --begin;
  return text.substr(begin, end - begin);
}

// A value in quotes opened at `open`, up to the matching unescaped quote (or
// the end of the text when it never closes).
std::optional<Range> quoted_value(std::string_view text, std::size_t open) {
  const char quote = text[open];
  std::size_t end = open + 1;
  while (end < text.size() && text[end] != quote) end += text[end] == '\\' ? 2 : 1;
  end = std::min(end, text.size());
  if (end == open + 1) return std::nullopt;
  return Range{open + 1, end};
}

// A value inside JSON that is itself inside a JSON string: \"secret\".
std::optional<Range> escaped_quoted_value(std::string_view text, std::size_t begin) {
  const std::size_t end = std::min(text.find("\\\"", begin), text.size());
  if (end == begin) return std::nullopt;
  return Range{begin, end};
}

// An unquoted value; for "Authorization: Bearer x" only the credential after
// the scheme. Objects, arrays and existing masks (all starting with '{' or
// '[') are left alone.
std::optional<Range> unquoted_value(std::string_view text, std::size_t begin) {
  if (text[begin] == '{' || text[begin] == '[') return std::nullopt;
  const std::size_t end = unquoted_value_end(text, begin);
  if (end == begin) return std::nullopt;
  const std::size_t next = skip_blanks(text, end);
  const bool more_follows = next > end && next < text.size() && !ends_value(text[next]);
  if (more_follows && is_auth_scheme(text.substr(begin, end - begin))) {
    return credential_after(text, end);
  }
  return Range{begin, end};
}

std::optional<Range> value_after(std::string_view text, std::size_t separator) {
  const std::size_t begin = skip_blanks(text, separator + 1);
  if (begin >= text.size()) return std::nullopt;
  if (text.substr(begin).starts_with("\\\"")) return escaped_quoted_value(text, begin + 2);
  if (is_quote(text[begin])) return quoted_value(text, begin);
  return unquoted_value(text, begin);
}

// Where the next '=' or ':' is; a plain loop, as find_first_of calls memchr
// once per character.
std::size_t next_separator(std::string_view text, std::size_t pos) {
  while (pos < text.size() && text[pos] != '=' && text[pos] != ':') ++pos;
  return pos;
}

// Scanning resumes after each value found, so separators inside a value are
// not read as keys, and an unclosed quote is walked once, not once per key.
void mark_credential_values(std::string_view text, Ranges& ranges) {
  std::size_t separator = next_separator(text, 0);
  while (separator < text.size()) {
    std::size_t resume = separator + 1;
    if (names_credential(key_before(text, separator))) {
      if (auto value = value_after(text, separator)) {
        ranges.push_back(*value);
        resume = value->end;
      }
    }
    separator = next_separator(text, resume);
  }
}

// "Bearer <token>" anywhere, and Zerodha's "token <api_key>:<access_token>";
// the latter needs the colon so that "the token expired" stays as it is.
std::optional<Range> scheme_credential(std::string_view text, std::string_view word,
                                       std::size_t after_word) {
  const bool bearer = equals_lowercase(word, "bearer");
  if (!bearer && !equals_lowercase(word, "token")) return std::nullopt;
  const auto credential = credential_after(text, after_word);
  if (!credential || bearer) return credential;
  const std::string_view pair = text.substr(credential->begin, credential->end - credential->begin);
  const std::size_t colon = pair.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == pair.size()) return std::nullopt;
  return credential;
}

void mark_auth_scheme_credentials(std::string_view text, Ranges& ranges) {
  for (std::size_t begin = 0; begin < text.size();) {
    if (!is_word_char(text[begin])) {
      ++begin;
      continue;
    }
    const std::size_t end = word_end(text, begin);
    if (auto credential = scheme_credential(text, text.substr(begin, end - begin), end)) {
      ranges.push_back(*credential);
    }
    begin = end;
  }
}

// OpenAlgo API keys are 32 random bytes in hex. A longer hex run is something
// else (and a shorter one could be an order id), so only exact runs count.
void mark_api_keys(std::string_view text, Ranges& ranges) {
  for (std::size_t begin = 0; begin < text.size();) {
    if (!is_hex(text[begin])) {
      ++begin;
      continue;
    }
    std::size_t end = begin;
    while (end < text.size() && is_hex(text[end])) ++end;
    if (end - begin == kApiKeyHexLength) ranges.push_back({begin, end});
    begin = end;
  }
}

// A JWT is base64url(header).base64url(payload).signature; every header is a
// JSON object, so the first part starts with "eyJ" (base64 of "{\"").
void mark_jwts(std::string_view text, Ranges& ranges) {
  for (std::size_t begin = text.find("eyJ"); begin != std::string_view::npos;
       begin = text.find("eyJ", begin + 1)) {
    if (begin > 0 && is_word_char(text[begin - 1])) continue;
    const std::size_t header_end = word_end(text, begin);
    if (header_end >= text.size() || text[header_end] != '.') continue;
    const std::size_t payload_end = word_end(text, header_end + 1);
    if (payload_end == header_end + 1 || payload_end >= text.size() || text[payload_end] != '.') continue;
    const std::size_t end = word_end(text, payload_end + 1);
    ranges.push_back({begin, end});
    begin = end;
  }
}

void mark_registered_secrets(std::string_view text, Ranges& ranges) {
  auto& secrets = registered_secrets();
  std::shared_lock lock(secrets.mutex);
  for (const std::string& secret : secrets.values) {
    for (std::size_t at = text.find(secret); at != std::string_view::npos;
         at = text.find(secret, at + secret.size())) {
      ranges.push_back({at, at + secret.size()});
    }
  }
}

// `text` with each run of overlapping or touching ranges replaced by one mask.
std::string masked(std::string_view text, Ranges& ranges) {
  std::ranges::sort(ranges, {}, &Range::begin);
  std::string result;
  result.reserve(text.size());
  std::size_t copied = 0;  // text before this offset is in `result` already
  for (std::size_t i = 0; i < ranges.size();) {
    const std::size_t begin = ranges[i].begin;
    std::size_t end = ranges[i].end;
    for (++i; i < ranges.size() && ranges[i].begin <= end; ++i) end = std::max(end, ranges[i].end);
    result.append(text.substr(copied, begin - copied)).append(kMask);
    copied = end;
  }
  return result.append(text.substr(copied));
}

}  // namespace

void add_secret(std::string_view value) {
  if (value.size() < kMinRegisteredSecretLength) return;
  auto& secrets = registered_secrets();
  std::unique_lock lock(secrets.mutex);
  if (std::ranges::find(secrets.values, value) != secrets.values.end()) return;
  secrets.values.emplace_back(value);
}

void clear_secrets() {
  auto& secrets = registered_secrets();
  std::unique_lock lock(secrets.mutex);
  secrets.values.clear();
}

std::string redact(std::string_view text) {
  Ranges ranges;
  mark_registered_secrets(text, ranges);
  mark_credential_values(text, ranges);
  mark_auth_scheme_credentials(text, ranges);
  mark_api_keys(text, ranges);
  mark_jwts(text, ranges);
  if (ranges.empty()) return std::string(text);
  return masked(text, ranges);
}

}  // namespace oa::log
