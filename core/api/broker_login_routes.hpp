#pragma once
// OpenAlgo's broker login callbacks, /<broker>/callback (security_db.md §4.3):
// GET from an OAuth redirect (Zerodha's ?request_token=...), POST from a
// credentials form (Angel's client code, PIN and TOTP). The fields go to the
// plugin's authenticate as one JSON object; the tokens it returns are sealed
// into the store by the host and never appear in a response or a log line.
// A callback must carry a one-time `state` from POST /api/v1/broker/login_url
// (login CSRF), and logs in the user that state was issued to. The broker is
// resolved per request, so a plugin loaded after start has its callback.
#include "api/api_context.hpp"
#include "api/router.hpp"

namespace oa::api {

// /<broker>/callback (GET and POST) and /api/v1/broker/login_url.
void add_broker_login_routes(Router& router, const ApiContext& context);

}  // namespace oa::api
