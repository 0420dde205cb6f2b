#pragma once
#include "api/api_context.hpp"
#include "api/router.hpp"

namespace oa::api {

// Account views and bulk order operations (rest_api.md C.3, C.4, C.1.5-6, C.9.1-2):
// from the sandbox engine in analyzer mode, else from the broker plugin.
void add_account_routes(Router& router, const ApiContext& context);

}  // namespace oa::api
