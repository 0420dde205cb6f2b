#pragma once
#include "api/api_context.hpp"
#include "api/router.hpp"

namespace oa::api {

// POST /api/v1/optionsymbol, optionchain, syntheticfuture, optiongreeks and
// multioptiongreeks (rest_api.md C.7), priced from the user's broker quotes.
void add_options_routes(Router& router, const ApiContext& context);

}  // namespace oa::api
