#pragma once
#include "api/api_context.hpp"
#include "api/router.hpp"

namespace oa::api {

// cancelallorder and closeposition (rest_api.md C.1.5, C.1.6, D.3, D.4): the
// sandbox in analyzer mode; the broker's own bulk call when its plugin has
// one; otherwise one journaled cancel per open order, one journaled exit
// order per open position, with a result for each.
void add_bulk_order_routes(Router& router, const ApiContext& context);

}  // namespace oa::api
