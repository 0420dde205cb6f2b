#pragma once
// .env text: parsing into assignments, and setting values in place so that
// every other byte of a user's file survives a rewrite.

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace oa::config {

struct EnvEntry {
  int line;  // 1-based
  std::string key;
  std::string value;  // unquoted and unescaped
  // Where the value as written (with its quotes) sits in the whole text.
  std::size_t value_begin;
  std::size_t value_end;
  char quote;  // '\'', '"' or 0
};

struct EnvSyntaxError {
  int line;
  std::string message;  // never quotes the line: it may hold a secret
};

struct ParsedEnv {
  std::vector<EnvEntry> entries;  // in file order, duplicates included
  std::vector<EnvSyntaxError> errors;
};

// KEY=VALUE lines with an optional `export ` prefix, spaces around '=', '#'
// comment lines, single-quoted (literal) or double-quoted values (escapes:
// backslash before n, t, r, a quote or a backslash), and unquoted values
// trimmed with a " #comment" stripped.
ParsedEnv parse_env_text(std::string_view text);

struct EnvAssignment {
  std::string key;
  std::string value;  // must need no escaping inside double quotes
};

// `text` with each key's last assignment given the new value (keeping its
// quotes and any trailing comment), and keys that are absent appended.
std::string with_values_set(std::string_view text, const std::vector<EnvAssignment>& assignments);

// The file's text, or nullopt when it does not exist. Throws std::system_error
// when it exists but cannot be read.
std::optional<std::string> read_env_file(const std::filesystem::path& path);

// Replaces `path` (or the file its symlink points at) with `text`, mode 0600,
// through a temporary file in the same directory, fsync and rename, so that a
// crash leaves either the old or the new file. Throws std::system_error.
void write_env_file_atomically(const std::filesystem::path& path, std::string_view text);

}  // namespace oa::config
