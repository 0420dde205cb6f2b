#pragma once
// The table of every setting openalgod reads: its name, OpenAlgo alias,
// default, kind of value and one-line description.

#include <span>
#include <string_view>

namespace oa::config {

enum class Kind {
  Text,
  Integer,       // whole number within [min, max]
  Port,          // 1..65535, or 0 to pick a free port
  Boolean,
  Rate,          // "N per second|minute|hour|day", ';'-joined
  ClockTime,     // HH:MM, 24-hour, IST
  Decimal,       // a number within [min, max]; when `choices` is set, equal to one of them
  Choice,        // one of `choices`, any case
  LogLevel,
  Url,           // must start with one of `schemes`
  RedirectUrl,   // empty, or http(s)://.../<broker>/callback with broker in VALID_BROKERS
  ExistingFile,  // empty, or the path of a regular file
  Directory,     // empty, or a path that is not an existing non-directory
  List,
  Secret,        // at least `min` characters
  HexSecret,     // at least `min` hexadecimal characters
};

struct KeySpec {
  std::string_view name;
  std::string_view group;
  Kind kind;
  std::string_view default_value;  // DATABASE_URL's default is computed from the data dir
  std::string_view description;
  std::string_view alias = {};  // OpenAlgo's name for the same setting
  long long min = 0;  // Integer: smallest value; Secret, HexSecret: shortest length
  long long max = 0;  // Integer: largest value
  std::string_view schemes = {};  // for Kind::Url: space-separated prefixes
  std::string_view choices = {};  // for Kind::Choice and Kind::Decimal: space-separated values
  bool secret = false;            // the value never appears in a message and is redacted from logs
  int generated_bytes = 0;        // > 0: ensure_secrets generates this many random bytes as hex
  bool guards_stored_data = false;  // replacing it makes stored hashes or ciphertext unusable
};

std::span<const KeySpec> all_keys();
// nullptr when `name` is not a key's canonical name.
const KeySpec* find_key(std::string_view name);
// Also finds a key by its OpenAlgo alias.
const KeySpec* find_key_or_alias(std::string_view name);
// Settings of OpenAlgo's .env that openalgod has no use for; accepted silently.
bool is_openalgo_only_key(std::string_view name);
// A broker plugin's own setting: <BROKER>_<PURPOSE> for a broker id of the
// default VALID_BROKERS list (ZERODHA_API_URL, SIMULATOR_SEED, ...). Plugins
// declare these in their manifests, so the key table cannot list them.
bool is_plugin_setting(std::string_view name);

}  // namespace oa::config
