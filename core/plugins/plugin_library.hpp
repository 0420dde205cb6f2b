#pragma once
// One loaded copy of a broker plugin's shared library, validated: entry
// symbol present, ABI major and build fingerprint equal to the host's, tables
// large enough, manifest well formed, capability bits matching the functions
// actually provided. Anything else is refused with a LoadError saying which
// plugin, which versions and what is wrong.
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "openalgo_plugin.h"

namespace oa::plugins {

class LoadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Manifest {
  std::string id;
  std::string display_name;
  std::string version;
  oa_auth_style auth_style = OA_AUTH_NONE;
  std::vector<std::string> config_keys;
  std::uint64_t capabilities = 0;
  std::vector<std::string> intervals;
  std::uint16_t abi_major = 0;
  std::uint16_t abi_minor = 0;
};

std::string auth_style_name(oa_auth_style style);
// "quotes, depth, ..." for the set bits.
std::vector<std::string> capability_names(std::uint64_t capabilities);

class PluginLibrary {
 public:
  // Copies `file` into `copy_dir` (so a half-written or replaced file is
  // never what runs, and a reload gets a fresh mapping), loads the copy and
  // validates it. Throws LoadError.
  static std::unique_ptr<PluginLibrary> load(const std::filesystem::path& file,
                                             const std::filesystem::path& copy_dir, const oa_host_api& host_api);
  ~PluginLibrary();  // unloads and deletes the copy
  PluginLibrary(const PluginLibrary&) = delete;
  PluginLibrary& operator=(const PluginLibrary&) = delete;

  // The plugin's table, padded with nulls past the plugin's struct_size: a
  // field a plugin built for an older minor version lacks reads as absent.
  const oa_plugin_api& api() const { return table_; }
  const Manifest& manifest() const { return manifest_; }
  const std::filesystem::path& file() const { return file_; }
  const std::filesystem::path& loaded_copy() const { return copy_; }

 private:
  struct Handle;
  PluginLibrary() = default;
  std::unique_ptr<Handle> handle_;
  oa_plugin_api table_{};
  Manifest manifest_;
  std::filesystem::path file_;
  std::filesystem::path copy_;
};

// True while `path` is still mapped into this process (/proc/self/maps):
// after unloading, it tells whether the library really left memory.
bool is_mapped(const std::filesystem::path& path);

}  // namespace oa::plugins
