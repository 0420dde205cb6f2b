#pragma once
// `openalgod plugins ...`: list, info and reload talk to the running daemon
// through its admin endpoints, with the administrator's key read from the
// store; check runs the conformance suite on a plugin file in-process.
#include <filesystem>
#include <string>
#include <vector>

#include "app/runtime.hpp"

namespace oa::cli {

int plugins_list(const app::ConfigSource& source);
int plugins_info(const app::ConfigSource& source, const std::string& id);
int plugins_reload(const app::ConfigSource& source, const std::string& id);
// `login_fields`: NAME=VALUE items for a plugin with a login (run against a fake upstream).
int plugins_check(const app::ConfigSource& source, const std::filesystem::path& file,
                  const std::vector<std::string>& login_fields = {});

}  // namespace oa::cli
