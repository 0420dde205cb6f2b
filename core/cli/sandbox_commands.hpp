#pragma once
// `openalgod sandbox ...`: asks the running daemon to act on a user's sandbox.
#include <optional>
#include <string>

#include "app/runtime.hpp"

namespace oa::cli {

// POST /sandbox/reset for `username` (default: the administrator): orders,
// trades, positions, holdings and GTTs deleted, funds back to the starting
// capital. Fails with a clear message when the daemon is not running.
int sandbox_reset(const app::ConfigSource& source, const std::optional<std::string>& username);

}  // namespace oa::cli
