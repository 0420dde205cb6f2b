#pragma once
// `openalgod orders ...`: the running daemon's Action Center (rest_api.md
// A.10), through its admin endpoints with the administrator's key: what
// semi-auto users' orders wait for approval, and approving or rejecting one.
#include <cstdint>
#include <string>

#include "app/runtime.hpp"

namespace oa::cli {

// Lists pending orders (status "pending", "approved", "rejected" or "all").
int orders_pending(const app::ConfigSource& source, const std::string& status);
// Approves one and executes it in the daemon; prints the order's answer.
int orders_approve(const app::ConfigSource& source, const std::string& id);
int orders_reject(const app::ConfigSource& source, const std::string& id, const std::string& reason);

}  // namespace oa::cli
