#include "config/config.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <system_error>

#include <fmt/format.h>

#include "config/env_file.hpp"
#include "config/keys.hpp"
#include "config/validation.hpp"
#include "config/value_syntax.hpp"

namespace oa::config {
namespace {

// One KEY=VALUE from one layer, under the name it was given (canonical or alias).
struct Assignment {
  const KeySpec* spec;
  std::string name;
  std::string value;
  std::string source;
  int line;
};

Problem warning_at(const Assignment& a, std::string message) {
  return Problem{Severity::Warning, a.source, a.line, std::string(a.spec->name), std::move(message)};
}

std::string sqlite_url_in(const std::filesystem::path& data_dir) {
  return "sqlite:///" + (data_dir / "openalgo.db").generic_string();
}

// Within one layer the canonical name beats the OpenAlgo alias, and a
// repeated name's last value wins.
void choose(Assignment& chosen, Assignment next, std::vector<Problem>& problems) {
  if (chosen.name == next.name) {
    problems.push_back(warning_at(next, "set again; this value wins over line " + std::to_string(chosen.line)));
    chosen = std::move(next);
    return;
  }
  const bool next_is_canonical = next.name == next.spec->name;
  if (chosen.value != next.value) {
    const Assignment& alias = next_is_canonical ? chosen : next;
    problems.push_back(warning_at(alias, fmt::format("both {0} and its OpenAlgo name {1} are set, to different "
                                                     "values; {0} wins",
                                                     alias.spec->name, alias.name)));
  }
  if (next_is_canonical) chosen = std::move(next);
}

void apply_layer(Config& config, std::vector<Assignment> layer, std::vector<Problem>& problems) {
  std::map<std::string_view, Assignment> chosen;
  for (auto& a : layer) {
    const std::string_view key = a.spec->name;
    if (auto it = chosen.find(key); it != chosen.end())
      choose(it->second, std::move(a), problems);
    else
      chosen.emplace(key, std::move(a));
  }
  for (auto& [key, a] : chosen) config.set(std::string(key), std::move(a.value), std::move(a.source), a.line);
}

std::optional<std::string> read_text(const std::filesystem::path& path, std::vector<Problem>& problems) {
  if (path.empty()) return std::nullopt;
  try {
    return read_env_file(path);
  } catch (const std::system_error& e) {
    problems.push_back(Problem{Severity::Error, path.string(), 0, {}, "cannot read: " + e.code().message()});
    return std::nullopt;
  }
}

using PluginLayer = std::vector<std::pair<std::string, std::string>>;

std::vector<Assignment> file_layer(const std::filesystem::path& path, PluginLayer& plugin_layer,
                                   std::vector<Problem>& problems) {
  const auto text = read_text(path, problems);
  if (!text) return {};
  const std::string source = path.string();
  ParsedEnv parsed = parse_env_text(*text);
  for (auto& error : parsed.errors)
    problems.push_back(Problem{Severity::Error, source, error.line, {}, std::move(error.message)});
  std::vector<Assignment> layer;
  for (auto& entry : parsed.entries) {
    if (const KeySpec* spec = find_key_or_alias(entry.key))
      layer.push_back({spec, std::move(entry.key), std::move(entry.value), source, entry.line});
    else if (is_plugin_setting(entry.key))
      plugin_layer.emplace_back(std::move(entry.key), std::move(entry.value));
    else if (!is_openalgo_only_key(entry.key))
      problems.push_back(Problem{Severity::Warning, source, entry.line, entry.key, "unknown key, ignored"});
  }
  return layer;
}

// The process environment holds arbitrary variables: only known names are read.
std::vector<Assignment> environment_layer(const std::map<std::string, std::string>& environment,
                                          PluginLayer& plugin_layer) {
  std::vector<Assignment> layer;
  for (const auto& [name, value] : environment)
    if (is_plugin_setting(name)) plugin_layer.emplace_back(name, value);
  for (const KeySpec& spec : all_keys()) {
    for (const std::string_view name : {spec.name, spec.alias}) {
      if (name.empty()) continue;
      if (auto it = environment.find(std::string(name)); it != environment.end())
        layer.push_back({&spec, it->first, it->second, std::string(kEnvironmentSource), 0});
    }
  }
  return layer;
}

// A flag naming an unknown key is a typo the user should hear about.
std::vector<Assignment> flag_layer(const std::map<std::string, std::string>& overrides,
                                   PluginLayer& plugin_layer, std::vector<Problem>& problems) {
  std::vector<Assignment> layer;
  for (const auto& [name, value] : overrides) {
    if (const KeySpec* spec = find_key_or_alias(name))
      layer.push_back({spec, name, value, std::string(kFlagSource), 0});
    else if (is_plugin_setting(name))
      plugin_layer.emplace_back(name, value);
    else
      problems.push_back(Problem{Severity::Error, std::string(kFlagSource), 0, name, "unknown setting"});
  }
  return layer;
}

}  // namespace

std::string describe(const Problem& problem) {
  std::string text = problem.source;
  if (problem.line > 0) text += ":" + std::to_string(problem.line);
  text += ": ";
  if (!problem.key.empty()) text += problem.key + ": ";
  return text + problem.message;
}

bool has_errors(const std::vector<Problem>& problems) {
  return std::ranges::any_of(problems, [](const Problem& p) { return p.severity == Severity::Error; });
}

Config::Config(std::filesystem::path data_dir, std::filesystem::path env_file)
    : data_dir_(std::move(data_dir)), env_file_(std::move(env_file)) {
  for (const KeySpec& spec : all_keys())
    settings_[std::string(spec.name)] = Setting{std::string(spec.default_value), std::string(kDefaultSource), 0};
  settings_["DATABASE_URL"].value = sqlite_url_in(data_dir_);
}

const Config::Setting& Config::setting(std::string_view key) const {
  const auto it = settings_.find(key);
  if (it == settings_.end()) throw std::logic_error("unknown config key " + std::string(key));
  return it->second;
}

const std::string& Config::get(std::string_view key) const { return setting(key).value; }

long long Config::get_int(std::string_view key) const {
  const auto number = parse_integer(get(key));
  if (!number) throw std::logic_error("config key " + std::string(key) + " is not a whole number");
  return *number;
}

double Config::get_decimal(std::string_view key) const {
  const auto number = parse_decimal(get(key));
  if (!number) throw std::logic_error("config key " + std::string(key) + " is not a number");
  return *number;
}

bool Config::get_bool(std::string_view key) const {
  const auto flag = parse_boolean(get(key));
  if (!flag) throw std::logic_error("config key " + std::string(key) + " is not a boolean");
  return *flag;
}

std::vector<RateLimit> Config::get_rate(std::string_view key) const {
  auto limits = parse_rate_limits(get(key));
  if (!limits) throw std::logic_error("config key " + std::string(key) + " is not a rate limit");
  return std::move(*limits);
}

std::vector<std::string> Config::get_list(std::string_view key, char separator) const {
  return split_list(get(key), separator);
}

std::string Config::origin(std::string_view key) const {
  const Setting& s = setting(key);
  return s.line > 0 ? s.source + ":" + std::to_string(s.line) : s.source;
}

const std::string& Config::source(std::string_view key) const { return setting(key).source; }

int Config::line(std::string_view key) const { return setting(key).line; }

std::vector<std::string> Config::secret_values() const {
  std::vector<std::string> values;
  for (const KeySpec& spec : all_keys()) {
    if (spec.secret && !get(spec.name).empty()) values.push_back(get(spec.name));
  }
  // A database URL's password, whichever database (DATABASE_URL, LOGS_DATABASE_URL, ...).
  for (const KeySpec& spec : all_keys()) {
    if (spec.kind != Kind::Url) continue;
    if (const auto password = url_password(get(spec.name)); !password.empty()) values.emplace_back(password);
  }
  return values;
}

const std::filesystem::path& Config::data_dir() const { return data_dir_; }

const std::filesystem::path& Config::env_file() const { return env_file_; }

std::filesystem::path Config::log_dir() const {
  const std::string& dir = get("LOG_DIR");
  return dir.empty() ? data_dir_ / "log" : std::filesystem::path(dir);
}

void Config::set(std::string key, std::string value, std::string origin) {
  set(std::move(key), std::move(value), std::move(origin), 0);
}

void Config::set(std::string key, std::string value, std::string source, int line) {
  if (!find_key(key)) throw std::logic_error("unknown config key " + key);
  settings_[std::move(key)] = Setting{std::move(value), std::move(source), line};
}

std::optional<std::string> Config::plugin_setting(std::string_view key) const {
  auto found = plugin_settings_.find(key);
  if (found == plugin_settings_.end()) return std::nullopt;
  return found->second;
}

void Config::set_plugin_setting(std::string key, std::string value) { plugin_settings_[std::move(key)] = std::move(value); }

LoadResult load(const LoadOptions& options) {
  LoadResult result{Config(options.data_dir, options.env_file), {}};
  auto& problems = result.problems;
  // Plugin settings are layered in the same order: later layers win.
  PluginLayer plugin_layer;
  apply_layer(result.config, file_layer(options.env_file, plugin_layer, problems), problems);
  apply_layer(result.config, environment_layer(options.environment, plugin_layer), problems);
  apply_layer(result.config, flag_layer(options.overrides, plugin_layer, problems), problems);
  for (auto& [name, value] : plugin_layer) result.config.set_plugin_setting(std::move(name), std::move(value));
  // Set but empty means the default, as it does for LOGS_DATABASE_URL.
  if (result.config.get("DATABASE_URL").empty())
    result.config.set("DATABASE_URL", sqlite_url_in(options.data_dir), std::string(kDefaultSource));
  for (auto& problem : validate(result.config)) problems.push_back(std::move(problem));
  return result;
}

}  // namespace oa::config
