#pragma once
#include "api/api_context.hpp"
#include "api/router.hpp"

namespace oa::api {

// POST /api/v1/market/holidays and /api/v1/market/timings (rest_api.md C.8),
// served from the market calendar file.
void add_calendar_routes(Router& router, const ApiContext& context);

}  // namespace oa::api
