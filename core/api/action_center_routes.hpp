#pragma once
// The Action Center for operators (rest_api.md A.10), with an administrator's
// key that is itself in auto mode:
//   POST /api/v1/admin/pendingorders          {apikey, status?, limit?} -> queued orders, newest first
//   POST /api/v1/admin/pendingorders/approve  {apikey, id}              -> approve and execute one
//   POST /api/v1/admin/pendingorders/reject   {apikey, id, reason?}     -> reject one
#include "api/api_context.hpp"
#include "api/router.hpp"

namespace oa::api {

void add_action_center_routes(Router& router, const ApiContext& context);

}  // namespace oa::api
