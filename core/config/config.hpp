#pragma once
// The daemon's settings: an OpenAlgo-compatible .env file layered under the
// process environment and command-line flags, validated into one Config.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace oa::config {

enum class Severity { Error, Warning };

// Where a value came from when not from a file.
inline constexpr std::string_view kDefaultSource = "default";
inline constexpr std::string_view kEnvironmentSource = "environment";
inline constexpr std::string_view kFlagSource = "flag";

// Something wrong with the user's settings. `source` is the env file path,
// "environment" or "flag"; `line` is 0 when the value did not come from a file.
struct Problem {
  Severity severity;
  std::string source;
  int line;
  std::string key;
  std::string message;
};

// "path:12: API_RATE_LIMIT: 'abc' is not a rate like '10 per second'".
std::string describe(const Problem& problem);
bool has_errors(const std::vector<Problem>& problems);

// One part of a compound limit such as "10 per second;40 per minute".
struct RateLimit {
  int count;
  int window_seconds;
  bool operator==(const RateLimit&) const = default;
};

// nullopt unless every ';'-separated part is "N per second|minute|hour|day", N >= 1.
std::optional<std::vector<RateLimit>> parse_rate_limits(std::string_view text);

// True for OpenAlgo's sample and historically leaked secret values and for
// obvious placeholders ("your...", "...placeholder...", "change me", "xxxx").
bool is_placeholder_secret(std::string_view value);

struct LoadOptions {
  std::filesystem::path env_file;                  // may not exist: then only defaults, environment and flags
  std::map<std::string, std::string> environment;  // the whole process environment; only known names are read
  std::map<std::string, std::string> overrides;    // from command-line flags, highest precedence
  std::filesystem::path data_dir;                  // e.g. "var"
};

class Config {
 public:
  // Every key at its default; DATABASE_URL's default lives in `data_dir`.
  Config(std::filesystem::path data_dir, std::filesystem::path env_file);

  // Asking for a key that is not in the table is a programming error: std::logic_error.
  // The typed getters also throw std::logic_error when the value does not parse,
  // which load() reports as an Error first.
  const std::string& get(std::string_view key) const;
  long long get_int(std::string_view key) const;
  double get_decimal(std::string_view key) const;
  bool get_bool(std::string_view key) const;  // TRUE/true/1/yes/on vs FALSE/false/0/no/off, any case
  std::vector<RateLimit> get_rate(std::string_view key) const;
  std::vector<std::string> get_list(std::string_view key, char separator = ',') const;  // trimmed, empties dropped

  // "default", "<file>:<line>", "environment" or "flag".
  std::string origin(std::string_view key) const;
  // Where the value came from, split for Problem: source and line (0 unless from a file).
  const std::string& source(std::string_view key) const;
  int line(std::string_view key) const;

  // Non-empty values of every secret key, and the password inside DATABASE_URL,
  // for the log redactor.
  std::vector<std::string> secret_values() const;

  const std::filesystem::path& data_dir() const;
  const std::filesystem::path& env_file() const;
  // LOG_DIR, or <data_dir>/log when it is empty.
  std::filesystem::path log_dir() const;

  // A broker plugin's own setting (see is_plugin_setting), or nullopt when unset.
  std::optional<std::string> plugin_setting(std::string_view key) const;
  void set_plugin_setting(std::string key, std::string value);

  // `origin` is shown by origin() as given.
  void set(std::string key, std::string value, std::string origin);
  // Same, keeping a file line so that problems can point at it.
  void set(std::string key, std::string value, std::string source, int line);

 private:
  struct Setting {
    std::string value;
    std::string source;  // "default", a file path, "environment" or "flag"
    int line = 0;
  };
  const Setting& setting(std::string_view key) const;

  std::map<std::string, Setting, std::less<>> settings_;
  std::map<std::string, std::string, std::less<>> plugin_settings_;
  std::filesystem::path data_dir_;
  std::filesystem::path env_file_;
};

struct LoadResult {
  Config config;
  std::vector<Problem> problems;
};

// defaults < env file < environment < overrides. Never throws for bad user
// input: every mistake becomes a Problem.
LoadResult load(const LoadOptions& options);

// Generates APP_KEY, API_KEY_PEPPER (32 random bytes as 64 hex) and FERNET_SALT
// (16 bytes as 32 hex) when missing or a placeholder, writes them into the env
// file atomically and updates `config`. The values are never logged or printed.
// With `store_has_users` the pepper and salt are never generated: replacing them
// would make every password hash and stored ciphertext unusable, so their
// absence is an Error instead.
struct SecretsResult {
  std::vector<std::string> generated_keys;
  std::vector<Problem> problems;
};
SecretsResult ensure_secrets(Config& config, bool store_has_users);

// The text of config/openalgod.env.example, generated from the key table.
std::string render_example();

}  // namespace oa::config
