#pragma once
#include "api/api_context.hpp"
#include "api/router.hpp"

namespace oa::api {

// optionsorder and optionsmultiorder (rest_api.md C.1.9, C.1.10, D.5, D.6):
// the contract at an offset from the underlying's price, then its orders
// (split when asked, BUY legs before SELL legs) through the order journal.
void add_options_order_routes(Router& router, const ApiContext& context);

}  // namespace oa::api
