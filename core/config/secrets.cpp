// ensure_secrets: generating the install's own secrets on first run.

#include <sodium.h>

#include <map>
#include <stdexcept>
#include <system_error>

#include <fmt/format.h>

#include "config/config.hpp"
#include "config/env_file.hpp"
#include "config/keys.hpp"

namespace oa::config {
namespace {

bool needs_generating(const std::string& value) { return value.empty() || is_placeholder_secret(value); }

std::string random_hex(int byte_count) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
  std::vector<unsigned char> bytes(static_cast<std::size_t>(byte_count));
  randombytes_buf(bytes.data(), bytes.size());
  std::string hex(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes.data(), bytes.size());
  sodium_memzero(bytes.data(), bytes.size());
  hex.pop_back();  // the terminating NUL
  return hex;
}

Problem error_for(const Config& config, const KeySpec& spec, std::string message) {
  return Problem{Severity::Error, config.source(spec.name), config.line(spec.name), std::string(spec.name),
                 std::move(message)};
}

// Why `spec` must not be generated now, or nullopt when it may be.
std::optional<std::string> refusal(const Config& config, const KeySpec& spec, bool store_has_users) {
  const std::string& source = config.source(spec.name);
  if (source == kEnvironmentSource || source == kFlagSource) {
    const std::string_view where = source == kFlagSource ? "command line" : "environment";
    return fmt::format("is empty or a placeholder in the {}, which would override a generated value in the env "
                       "file; remove it there or give a real value",
                       where);
  }
  if (config.env_file().empty()) return std::string("is missing and there is no env file to keep a generated value in");
  if (spec.guards_stored_data && store_has_users)
    return "is missing or a placeholder, but the store already has users: a new value would make every password "
           "hash and encrypted token unusable. Put the previous value back into " +
           config.env_file().string();
  return std::nullopt;
}

// Writes the values into the env file; returns the line each key now has there.
std::map<std::string, int> persist(const std::filesystem::path& env_file,
                                   const std::vector<EnvAssignment>& generated) {
  const std::string text = with_values_set(read_env_file(env_file).value_or(""), generated);
  write_env_file_atomically(env_file, text);
  std::map<std::string, int> lines;
  for (const EnvEntry& entry : parse_env_text(text).entries) lines[entry.key] = entry.line;
  return lines;
}

}  // namespace

SecretsResult ensure_secrets(Config& config, bool store_has_users) {
  SecretsResult result;
  std::vector<EnvAssignment> generated;
  for (const KeySpec& spec : all_keys()) {
    if (spec.generated_bytes == 0 || !needs_generating(config.get(spec.name))) continue;
    if (auto message = refusal(config, spec, store_has_users))
      result.problems.push_back(error_for(config, spec, std::move(*message)));
    else
      generated.push_back({std::string(spec.name), random_hex(spec.generated_bytes)});
  }
  if (generated.empty()) return result;

  std::map<std::string, int> lines;
  try {
    lines = persist(config.env_file(), generated);
  } catch (const std::system_error& e) {
    // Nothing is kept in memory either: a secret that is not on disk would be lost at the next start.
    result.problems.push_back(Problem{Severity::Error, config.env_file().string(), 0, {},
                                      "cannot store generated secrets: " + e.code().message()});
    return result;
  }
  for (auto& [key, value] : generated) {
    config.set(key, std::move(value), config.env_file().string(), lines[key]);
    result.generated_keys.push_back(key);
  }
  return result;
}

}  // namespace oa::config
