#include "app/runtime.hpp"

#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "log/log.hpp"
#include "store/users.hpp"

extern char** environ;

namespace oa::app {
namespace {

std::map<std::string, std::string> environment_snapshot() {
  std::map<std::string, std::string> out;
  for (char** entry = environ; entry && *entry; ++entry) {
    std::string_view text(*entry);
    auto equals = text.find('=');
    if (equals != std::string_view::npos) out.emplace(text.substr(0, equals), text.substr(equals + 1));
  }
  return out;
}

std::filesystem::path from_env_or(const char* name, const std::filesystem::path& fallback) {
  const char* value = std::getenv(name);
  return value && *value ? std::filesystem::path(value) : fallback;
}

config::LoadOptions load_options(const ConfigSource& source) {
  config::LoadOptions options;
  options.data_dir = source.data_dir.value_or(from_env_or("OPENALGOD_DATA_DIR", "var"));
  options.env_file = source.env_file.value_or(from_env_or("OPENALGOD_ENV_FILE", options.data_dir / ".env"));
  options.environment = environment_snapshot();
  options.overrides = source.overrides;
  return options;
}

std::string list_problems(const std::vector<config::Problem>& problems) {
  std::string out;
  for (const auto& problem : problems)
    if (problem.severity == config::Severity::Error) out += "\n  " + config::describe(problem);
  return out;
}

void warn(const std::vector<config::Problem>& problems) {
  for (const auto& problem : problems)
    if (problem.severity == config::Severity::Warning)
      std::cerr << "openalgod: warning: " << config::describe(problem) << '\n';
}

void start_logging(const config::Config& config) {
  log::Options options;
  options.level = config.get("LOG_LEVEL");
  options.colors = config.get_bool("LOG_COLORS");
  options.to_file = config.get_bool("LOG_TO_FILE");
  options.dir = config.log_dir();
  options.retention_days = static_cast<int>(config.get_int("LOG_RETENTION"));
  log::init(options);
  for (const auto& secret : config.secret_values()) log::add_secret(secret);
}

void make_data_dir(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw std::runtime_error("cannot create data directory " + dir.string() + ": " + ec.message());
  std::filesystem::permissions(dir, std::filesystem::perms::owner_all, ec);
}

store::DatabaseUrl parse_url_setting(const config::Config& config, const std::string& key) {
  try {
    return store::parse_database_url(config.get(key));
  } catch (const std::invalid_argument& error) {
    throw UsageError(key + ": " + error.what());
  }
}

store::DatabaseUrl database_url(const config::Config& config) { return parse_url_setting(config, "DATABASE_URL"); }

bool same_database(const store::DatabaseUrl& a, const store::DatabaseUrl& b) {
  if (a.backend != b.backend) return false;
  if (a.backend == store::Backend::Postgres) return a.connect_string == b.connect_string;
  std::error_code ec;
  return std::filesystem::weakly_canonical(a.sqlite_path, ec) == std::filesystem::weakly_canonical(b.sqlite_path, ec);
}

}  // namespace

std::optional<store::DatabaseUrl> logs_database_url(const config::Config& config) {
  const auto main = database_url(config);
  store::DatabaseUrl logs;
  if (!config.get("LOGS_DATABASE_URL").empty()) {
    logs = parse_url_setting(config, "LOGS_DATABASE_URL");
  } else if (main.backend == store::Backend::Sqlite) {
    logs = store::parse_database_url("sqlite:///" + (main.sqlite_path.parent_path() / "logs.db").generic_string());
  } else {
    return std::nullopt;
  }
  if (same_database(main, logs)) return std::nullopt;
  return logs;
}

config::LoadResult check_config(const ConfigSource& source) { return config::load(load_options(source)); }

config::Config load_config(const ConfigSource& source) {
  auto loaded = check_config(source);
  warn(loaded.problems);
  if (config::has_errors(loaded.problems))
    throw UsageError("configuration has errors:" + list_problems(loaded.problems));
  return std::move(loaded.config);
}

Runtime open_runtime(const ConfigSource& source) {
  Runtime runtime{load_config(source), nullptr, nullptr, nullptr, {}, {}};
  make_data_dir(runtime.config.data_dir());
  start_logging(runtime.config);
  auto url = database_url(runtime.config);
  runtime.store_display = url.display;
  runtime.store = store::Store::open(url, static_cast<std::size_t>(runtime.config.get_int("DB_POOL_SIZE")));
  bool has_users = store::Users(*runtime.store).count() > 0;
  auto secrets = config::ensure_secrets(runtime.config, has_users);
  if (config::has_errors(secrets.problems))
    throw UsageError("cannot generate secrets:" + list_problems(secrets.problems));
  runtime.generated_secrets = secrets.generated_keys;
  for (const auto& secret : runtime.config.secret_values()) log::add_secret(secret);
  security::init_crypto();
  runtime.keyring = std::make_unique<security::Keyring>(security::Keyring::derive(
      runtime.config.get("API_KEY_PEPPER"), runtime.config.get("FERNET_SALT")));
  runtime.accounts = std::make_unique<security::Accounts>(*runtime.store, *runtime.keyring);
  return runtime;
}

}  // namespace oa::app
