#pragma once
#include "api/api_context.hpp"
#include "api/router.hpp"

namespace oa::api {

// placesmartorder, basketorder, splitorder (rest_api.md C.1.2, C.1.7, C.1.8,
// D.1, D.2): each a journaled request whose orders go one by one through the
// order journal, to the broker plugin or, in analyzer mode, the sandbox.
void add_composite_order_routes(Router& router, const ApiContext& context);

}  // namespace oa::api
