#pragma once
// What every command of the binary starts from: configuration, logging, the
// store (migrated), secrets generated on first run, the keyring and accounts.
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "security/accounts.hpp"
#include "security/keyring.hpp"
#include "store/store.hpp"

namespace oa::app {

// Exit code 2: the user's command line or configuration is wrong.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ConfigSource {
  std::optional<std::filesystem::path> env_file;   // --env; else $OPENALGOD_ENV_FILE; else <data dir>/.env
  std::optional<std::filesystem::path> data_dir;   // --data-dir; else $OPENALGOD_DATA_DIR; else ./var
  std::map<std::string, std::string> overrides;    // --set KEY=VALUE and the per-command flags
};

// Loads and validates the configuration. Warnings go to stderr; errors throw
// UsageError listing every problem, one per line.
config::Config load_config(const ConfigSource& source);
// Every problem, errors and warnings, without side effects (for `config check`).
config::LoadResult check_config(const ConfigSource& source);

struct Runtime {
  config::Config config;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<security::Keyring> keyring;
  std::unique_ptr<security::Accounts> accounts;
  std::string store_display;                   // DATABASE_URL with the password masked
  std::vector<std::string> generated_secrets;  // key names written to the env file on this start
};

// The request logs' database: LOGS_DATABASE_URL, else logs.db next to a
// SQLite main database; nullopt when that is the main database itself (by
// default with PostgreSQL). UsageError for a malformed URL.
std::optional<store::DatabaseUrl> logs_database_url(const config::Config& config);

// Loads the configuration, starts logging, opens and migrates the store,
// generates missing secrets and derives the keyring. UsageError for
// configuration problems, std::runtime_error for everything else.
Runtime open_runtime(const ConfigSource& source);

}  // namespace oa::app
