#include "api/sandbox_routes.hpp"

#include <boost/json.hpp>

#include "api/auth_check.hpp"
#include "api/json_reply.hpp"
#include "api/order_fields.hpp"

namespace oa::api {
namespace {

void reset(const ApiContext& context, net::HttpRequest&& request, net::Responder respond) {
  static const Schema schema{{api_key_field()}};
  auto authorised = authorise(request, schema, context.accounts, respond);
  if (!authorised) return;
  if (!context.sandbox) return respond(error_reply(503, "The sandbox is not running"));
  context.sandbox->reset_user(authorised->user_id, [respond = std::move(respond)](sandbox::Reply reply) {
    respond(json_reply(reply.status, reply.body));
  });
}

}  // namespace

void add_sandbox_routes(Router& router, const ApiContext& context) {
  router.add(endpoint_route(context, "POST", "/sandbox/reset",
                            "Resets the caller's sandbox: activity deleted, funds back to the starting capital", reset));
}

}  // namespace oa::api
