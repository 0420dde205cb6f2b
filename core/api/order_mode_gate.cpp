#include "api/order_mode_gate.hpp"

#include "api/json_reply.hpp"
#include "api/order_dispatch.hpp"

namespace oa::api {
bool in_semi_auto(const ApiContext& context, std::int64_t user_id) {
  return context.action_center && context.accounts.order_mode(user_id) == security::OrderMode::SemiAuto;
}

OrderIntake intake_of(const net::HttpRequest& request, std::int64_t user_id, boost::json::object values) {
  auto client_order_id = idempotency_key(request, values);
  values.erase("apikey");
  return {user_id, std::move(values), std::move(client_order_id)};
}

OrderIntake intake_of(const net::HttpRequest& request, AuthorisedRequest authorised) {
  return intake_of(request, authorised.user_id, std::move(authorised.values));
}

bool held_for_approval(const ApiContext& context, std::string_view api_type, const OrderIntake& intake,
                       const net::Responder& respond) {
  if (!in_semi_auto(context, intake.user_id)) return false;
  context.action_center->queue(api_type, intake, respond);
  return true;
}

bool refused_in_semi_auto(const ApiContext& context, std::int64_t user_id, std::string_view message,
                          const net::Responder& respond) {
  const bool analyze = context.analyze_mode && context.analyze_mode();
  if (analyze || !in_semi_auto(context, user_id)) return false;
  respond(error_reply(403, message));
  return true;
}

void on_approval(const ApiContext& context, std::string api_type, OrderExecutor execute) {
  if (context.action_center) context.action_center->add_executor(std::move(api_type), std::move(execute));
}

}  // namespace oa::api
