// auth.hpp — Angel One's login: the client code, PIN and the 6-digit TOTP
// from the user's authenticator, POSTed to /angel/callback (OpenAlgo's form
// fields userid, pin, totp) and exchanged at SmartAPI's loginByPassword for a
// JWT (the session's auth token) and a feed token (SmartStream).
//
// SmartAPI also returns a refresh token. The host keeps three session fields
// and has no way for a plugin to replace them mid-session, so it is not kept:
// Angel's sessions end at the daily cut-off like OpenAlgo's, and a fresh login
// is the renewal.
#pragma once

#include "smartapi_client.hpp"

namespace oa::angel {

// {"userid"|"clientcode", "pin"|"password", "totp"} ->
// {"auth_token": JWT, "feed_token", "broker_user_id": client code}.
json::value authenticate(SmartApiClient& smartapi, const sdk::Call& call, const json::object& request);

}  // namespace oa::angel
