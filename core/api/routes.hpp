#pragma once
#include "api/api_context.hpp"
#include "api/router.hpp"

namespace oa::api {

// The one place where every endpoint family joins the route table.
void add_all_routes(Router& router, const ApiContext& context);

}  // namespace oa::api
