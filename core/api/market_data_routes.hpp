#pragma once
#include "api/api_context.hpp"
#include "api/router.hpp"

namespace oa::api {

// POST /api/v1/quotes, served by the user's broker plugin.
void add_market_data_routes(Router& router, const ApiContext& context);

}  // namespace oa::api
