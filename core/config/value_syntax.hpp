#pragma once
// Parsing of single setting values, shared by validation and the typed getters.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace oa::config {

std::string_view trim(std::string_view text);
std::string to_lower(std::string_view text);
std::vector<std::string> split_list(std::string_view text, char separator);  // trimmed, empties dropped

std::optional<long long> parse_integer(std::string_view text);
std::optional<bool> parse_boolean(std::string_view text);
std::optional<double> parse_decimal(std::string_view text);  // finite, e.g. "5", "2.5", "10000000.00"
bool is_clock_time(std::string_view text);  // H:MM or HH:MM, 24-hour
bool is_log_level(std::string_view text);   // DEBUG INFO WARNING WARN ERROR CRITICAL, any case
bool is_hex(std::string_view text);

// The password in a URL's user info ("postgresql://user:PASSWORD@host/db"), or empty.
std::string_view url_password(std::string_view url);
// The URL with its password shown as "***", fit for a message.
std::string without_password(std::string_view url);

}  // namespace oa::config
