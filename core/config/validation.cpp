#include "config/validation.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "config/keys.hpp"
#include "config/value_syntax.hpp"

namespace oa::config {
namespace {

using Message = std::optional<std::string>;

constexpr long long kMaxPort = 65535;
constexpr std::string_view kCallbackSuffix = "/callback";
constexpr std::string_view kRedirectExample = "http://127.0.0.1:5000/zerodha/callback";

std::string in_quotes(std::string_view value) { return fmt::format("'{}'", value); }

Message check_integer(const KeySpec& spec, const std::string& value) {
  const auto number = parse_integer(value);
  if (!number) return in_quotes(value) + " is not a whole number";
  if (*number < spec.min || *number > spec.max)
    return fmt::format("{} is out of range; use {}..{}", in_quotes(value), spec.min, spec.max);
  return std::nullopt;
}

// Choices are listed in the key table separated by spaces.
std::string choice_list(const KeySpec& spec) {
  return fmt::format("{}", fmt::join(split_list(spec.choices, ' '), ", "));
}

Message check_decimal(const KeySpec& spec, const std::string& value) {
  const auto number = parse_decimal(value);
  if (!number) return in_quotes(value) + " is not a number";
  if (!spec.choices.empty()) {
    for (const auto& choice : split_list(spec.choices, ' '))
      if (parse_decimal(choice) == number) return std::nullopt;
    return fmt::format("{} is not one of {}", in_quotes(value), choice_list(spec));
  }
  if (*number < static_cast<double>(spec.min) || *number > static_cast<double>(spec.max))
    return fmt::format("{} is out of range; use {}..{}", in_quotes(value), spec.min, spec.max);
  return std::nullopt;
}

Message check_choice(const KeySpec& spec, const std::string& value) {
  for (const auto& choice : split_list(spec.choices, ' '))
    if (to_lower(choice) == to_lower(value)) return std::nullopt;
  return fmt::format("{} is not one of {}", in_quotes(value), choice_list(spec));
}

Message check_port(const std::string& value) {
  const auto number = parse_integer(value);
  if (number && *number >= 0 && *number <= kMaxPort) return std::nullopt;
  return in_quotes(value) + " is not a port number; use 1..65535, or 0 to pick a free port";
}

Message check_url(const KeySpec& spec, const std::string& value) {
  // An empty default stands for one worked out at run time (see the key's description).
  if (value.empty() && spec.default_value.empty()) return std::nullopt;
  const auto schemes = split_list(spec.schemes, ' ');
  const auto scheme = std::ranges::find_if(schemes, [&value](const std::string& s) { return value.starts_with(s); });
  if (scheme == schemes.end())
    return fmt::format("{} must start with {}", in_quotes(without_password(value)), fmt::join(schemes, " or "));
  if (value.size() == scheme->size()) return fmt::format("{} has nothing after {}", in_quotes(value), *scheme);
  return std::nullopt;
}

// The path segment before "/callback"; empty when the URL does not end in /<broker>/callback.
std::string broker_in_redirect_url(std::string_view url) {
  const std::size_t path = url.find('/', url.find("://") + 3);
  if (path == std::string_view::npos || !url.ends_with(kCallbackSuffix)) return {};
  const std::string_view before = url.substr(path, url.size() - kCallbackSuffix.size() - path);
  return to_lower(before.substr(before.rfind('/') + 1));
}

bool is_valid_broker(const Config& config, const std::string& broker) {
  const auto brokers = split_list(to_lower(config.get("VALID_BROKERS")), ',');
  return std::ranges::find(brokers, broker) != brokers.end();
}

Message check_redirect_url(const std::string& value, const Config& config) {
  if (value.empty()) return std::nullopt;
  if (value.find("<broker>") != std::string::npos)
    return fmt::format("still has the sample's '<broker>'; put your broker's id there, e.g. {}, or leave it empty",
                       kRedirectExample);
  if (!value.starts_with("http://") && !value.starts_with("https://"))
    return in_quotes(value) + " must start with http:// or https://";
  const std::string broker = broker_in_redirect_url(value);
  if (broker.empty())
    return fmt::format("{} must end in /<broker>/callback, e.g. {}", in_quotes(value), kRedirectExample);
  if (!is_valid_broker(config, broker))
    return fmt::format("{} names broker '{}', which is not in VALID_BROKERS", in_quotes(value), broker);
  return std::nullopt;
}

Message check_existing_file(const std::string& value) {
  std::error_code ignored;
  if (value.empty() || std::filesystem::is_regular_file(value, ignored)) return std::nullopt;
  return in_quotes(value) + " does not exist or is not a regular file";
}

Message check_directory(const std::string& value) {
  std::error_code ignored;
  if (value.empty() || !std::filesystem::exists(value, ignored) || std::filesystem::is_directory(value, ignored))
    return std::nullopt;
  return in_quotes(value) + " exists but is not a directory";
}

// The value is never shown. Missing or placeholder secrets are left to ensure_secrets.
Message check_secret(const KeySpec& spec, const std::string& value) {
  if (value.empty() || is_placeholder_secret(value)) return std::nullopt;
  const auto length = static_cast<long long>(value.size());
  if (spec.kind == Kind::HexSecret && (!is_hex(value) || length < spec.min))
    return fmt::format("must be at least {} hexadecimal characters (0-9, a-f)", spec.min);
  if (length < spec.min) return fmt::format("must be at least {} characters long (it has {})", spec.min, length);
  return std::nullopt;
}

Message check_value(const KeySpec& spec, const std::string& value, const Config& config) {
  switch (spec.kind) {
    case Kind::Text:
    case Kind::List: return std::nullopt;
    case Kind::Integer: return check_integer(spec, value);
    case Kind::Port: return check_port(value);
    case Kind::Boolean:
      if (parse_boolean(value)) return std::nullopt;
      return in_quotes(value) + " is not a boolean; use true or false";
    case Kind::Rate:
      if (parse_rate_limits(value)) return std::nullopt;
      return in_quotes(value) + " is not a rate like '10 per second' (N per second, minute, hour or day; "
                             "join several with ';')";
    case Kind::ClockTime:
      if (is_clock_time(value)) return std::nullopt;
      return in_quotes(value) + " is not a time like '03:00' (HH:MM, 24-hour, IST)";
    case Kind::Decimal: return check_decimal(spec, value);
    case Kind::Choice: return check_choice(spec, value);
    case Kind::LogLevel:
      if (is_log_level(value)) return std::nullopt;
      return in_quotes(value) + " is not a log level; use DEBUG, INFO, WARNING, ERROR or CRITICAL";
    case Kind::Url: return check_url(spec, value);
    case Kind::RedirectUrl: return check_redirect_url(value, config);
    case Kind::ExistingFile: return check_existing_file(value);
    case Kind::Directory: return check_directory(value);
    case Kind::Secret:
    case Kind::HexSecret: return check_secret(spec, value);
  }
  return std::nullopt;
}

Problem error_at(const Config& config, std::string_view located_by, std::string_view key, std::string message) {
  return Problem{Severity::Error, config.source(located_by), config.line(located_by), std::string(key),
                 std::move(message)};
}

void check_tls_pair(const Config& config, std::vector<Problem>& problems) {
  const bool has_cert = !config.get("TLS_CERT_FILE").empty();
  const bool has_key = !config.get("TLS_KEY_FILE").empty();
  if (has_cert == has_key) return;
  const std::string_view given = has_cert ? "TLS_CERT_FILE" : "TLS_KEY_FILE";
  const std::string_view missing = has_cert ? "TLS_KEY_FILE" : "TLS_CERT_FILE";
  problems.push_back(error_at(config, given, missing,
                              fmt::format("is empty but {} is set; set both for HTTPS, or neither", given)));
}

void check_active_broker(const Config& config, std::vector<Problem>& problems) {
  const std::string& broker = config.get("ACTIVE_BROKER");
  if (broker.empty() || is_valid_broker(config, to_lower(broker))) return;
  problems.push_back(error_at(config, "ACTIVE_BROKER", "ACTIVE_BROKER",
                              in_quotes(broker) + " is not in VALID_BROKERS"));
}

}  // namespace

std::vector<Problem> validate(const Config& config) {
  std::vector<Problem> problems;
  for (const KeySpec& spec : all_keys()) {
    if (auto message = check_value(spec, config.get(spec.name), config))
      problems.push_back(error_at(config, spec.name, spec.name, std::move(*message)));
  }
  check_tls_pair(config, problems);
  check_active_broker(config, problems);
  return problems;
}

}  // namespace oa::config
