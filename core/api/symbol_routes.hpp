#pragma once
#include "api/api_context.hpp"
#include "api/router.hpp"

namespace oa::api {

// The symbol services, answered from the user's broker's master contract
// without a broker call (rest_api.md C.6): POST /api/v1/symbol, /search,
// /expiry and GET /api/v1/instruments.
void add_symbol_routes(Router& router, const ApiContext& context);

}  // namespace oa::api
