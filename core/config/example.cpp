// render_example: config/openalgod.env.example, generated from the key table
// so that the documentation cannot drift from the code.

#include <string>

#include "config/config.hpp"
#include "config/keys.hpp"

namespace oa::config {
namespace {

constexpr std::string_view kHeader =
    "# openalgod settings: every key with its default value.\n"
    "#\n"
    "# Copy this file to your env file and change what you need; keys left out keep\n"
    "# their defaults. Precedence, lowest to highest: built-in defaults, the env file,\n"
    "# environment variables, command-line flags.\n"
    "#\n"
    "# An OpenAlgo .env works as it is: FLASK_HOST_IP and FLASK_PORT are read as\n"
    "# HTTP_HOST and HTTP_PORT, and settings only OpenAlgo uses are ignored.\n";

constexpr std::string_view kGeneratedNote =
    "# Generated into the env file on first run when empty; keep it secret, never commit it.\n";

// The example shows the default data dir.
constexpr std::string_view kExampleDataDir = "var";

std::string example_value(const std::string& value) {
  if (value.find_first_of(" \t#\"") == std::string::npos) return value;
  return "'" + value + "'";
}

}  // namespace

std::string render_example() {
  const Config defaults(kExampleDataDir, {});
  std::string text(kHeader);
  std::string_view group;
  for (const KeySpec& spec : all_keys()) {
    if (spec.group != group) {
      group = spec.group;
      text += "\n# ===== " + std::string(group) + " =====\n";
    }
    text += "\n# " + std::string(spec.description) + "\n";
    if (spec.generated_bytes > 0) text += kGeneratedNote;
    text += std::string(spec.name) + "=" + example_value(defaults.get(spec.name)) + "\n";
  }
  return text;
}

}  // namespace oa::config
