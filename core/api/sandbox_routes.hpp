#pragma once
#include "api/api_context.hpp"
#include "api/router.hpp"

namespace oa::api {

// POST /sandbox/reset {apikey}: the key's user starts the sandbox afresh —
// orders, trades, positions, holdings, GTTs and daily P&L deleted, funds back
// to the starting capital (reference sandbox.md §7.4). OpenAlgo's UI also
// resets its sandbox settings to their defaults; here they are the daemon's
// settings file, which a request does not rewrite.
void add_sandbox_routes(Router& router, const ApiContext& context);

}  // namespace oa::api
