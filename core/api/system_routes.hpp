#pragma once
#include "api/router.hpp"
#include "api/api_context.hpp"

namespace oa::api {

// GET /health (no auth) and POST /api/v1/ping.
void add_system_routes(Router& router, const ApiContext& context);

}  // namespace oa::api
