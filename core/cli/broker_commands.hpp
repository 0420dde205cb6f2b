#pragma once
// `openalgod broker ...`: log a user in to a broker and out again, in-process
// on the store the daemon uses; the running daemon notices within seconds and
// makes the broker of the latest login the active one.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/runtime.hpp"

namespace oa::cli {

// NAME=VALUE items, from the command line and, with `from_stdin`, one per line
// of standard input. Throws UsageError for an item without '='.
std::map<std::string, std::string> parse_login_fields(const std::vector<std::string>& items, bool from_stdin);

int broker_login(const app::ConfigSource& source, const std::string& broker, const std::optional<std::string>& username,
                 const std::map<std::string, std::string>& fields);
int broker_logout(const app::ConfigSource& source, const std::string& broker,
                  const std::optional<std::string>& username);
int broker_status(const app::ConfigSource& source);

}  // namespace oa::cli
