#pragma once
// Where a user's order mode (rest_api.md A.10) steps into an order endpoint,
// right after validation and the key check. Semi-auto: the endpoints that
// place orders queue the request in the Action Center (in analyzer mode too);
// the ones that change or cancel orders are refused with 403 while orders go
// to a live broker, and allowed in analyzer mode.
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "api/action_center.hpp"
#include "api/api_context.hpp"
#include "api/auth_check.hpp"

namespace oa::api {

// The request's intake: its client_order_id (or Idempotency-Key header)
// taken out of the values, and the API key dropped.
OrderIntake intake_of(const net::HttpRequest& request, std::int64_t user_id, boost::json::object values);
OrderIntake intake_of(const net::HttpRequest& request, AuthorisedRequest authorised);

// The user's orders wait for approval (and an Action Center exists to keep them).
bool in_semi_auto(const ApiContext& context, std::int64_t user_id);

// True after queueing the intake and answering, when its user is in semi-auto mode.
bool held_for_approval(const ApiContext& context, std::string_view api_type, const OrderIntake& intake,
                       const net::Responder& respond);

// True after answering 403 `message`, when the user is in semi-auto mode and
// orders go to a live broker.
bool refused_in_semi_auto(const ApiContext& context, std::int64_t user_id, std::string_view message,
                          const net::Responder& respond);

// Registers how an approved request of `api_type` runs (no Action Center: nothing to do).
void on_approval(const ApiContext& context, std::string api_type, OrderExecutor execute);

}  // namespace oa::api
