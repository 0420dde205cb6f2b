#pragma once
#include <boost/json/object.hpp>

#include "api/api_context.hpp"
#include "api/router.hpp"

namespace oa::api {

// placegttorder, modifygttorder, cancelgttorder (through the order journal)
// and gttorderbook: to the broker plugin's GTT operations or, in analyzer
// mode, to the sandbox engine (rest_api.md C.2).
void add_gtt_routes(Router& router, const ApiContext& context);

// A validated placegttorder or modifygttorder document as the sandbox takes it.
sandbox::GttRequest sandbox_gtt_request(const boost::json::object& document);

}  // namespace oa::api
