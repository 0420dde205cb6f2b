#pragma once
// Scratch directories and env files for the config tests.

#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

#include "config/config.hpp"

namespace oa::config::testing {

// A fresh directory under the system temp dir, removed with everything in it.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "openalgod-config-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(std::string_view name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

inline void write_file(const std::filesystem::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline unsigned permissions_of(const std::filesystem::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) throw std::runtime_error("stat failed");
  return info.st_mode & 0777;
}

// An env file holding `text`, in its own scratch dir.
struct EnvFixture {
  ScratchDir dir;
  std::filesystem::path env_file = dir / ".env";

  explicit EnvFixture(std::string_view text = {}, bool create = true) {
    if (create) write_file(env_file, text);
  }

  LoadOptions options(std::map<std::string, std::string> environment = {},
                      std::map<std::string, std::string> overrides = {}) const {
    return LoadOptions{env_file, std::move(environment), std::move(overrides), dir / "var"};
  }
  LoadResult load(std::map<std::string, std::string> environment = {},
                  std::map<std::string, std::string> overrides = {}) const {
    return config::load(options(std::move(environment), std::move(overrides)));
  }
};

inline std::string described(const std::vector<Problem>& problems) {
  std::string text;
  for (const auto& problem : problems) text += describe(problem) + "\n";
  return text;
}

}  // namespace oa::config::testing
