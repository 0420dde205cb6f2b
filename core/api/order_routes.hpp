#pragma once
#include "api/api_context.hpp"
#include "api/router.hpp"

namespace oa::api {

// placeorder, modifyorder, cancelorder: through the order journal, to the
// broker plugin or, in analyzer mode, to the sandbox engine.
void add_order_routes(Router& router, const ApiContext& context);

}  // namespace oa::api
