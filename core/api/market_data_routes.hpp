#pragma once
#include "api/api_context.hpp"
#include "api/router.hpp"

namespace oa::api {

// The market-data endpoints, served by the user's broker plugin (rest_api.md
// C.5): POST /api/v1/quotes, /multiquotes, /depth, /history, /intervals and
// GET /api/v1/ticker/<exchange>:<symbol>.
void add_market_data_routes(Router& router, const ApiContext& context);

}  // namespace oa::api
