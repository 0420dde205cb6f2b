#include "api/routes.hpp"

#include "api/account_routes.hpp"
#include "api/action_center_routes.hpp"
#include "api/admin_routes.hpp"
#include "api/broker_login_routes.hpp"
#include "api/bulk_order_routes.hpp"
#include "api/calendar_routes.hpp"
#include "api/composite_order_routes.hpp"
#include "api/gtt_routes.hpp"
#include "api/market_data_routes.hpp"
#include "api/options_order_routes.hpp"
#include "api/options_routes.hpp"
#include "api/order_routes.hpp"
#include "api/sandbox_routes.hpp"
#include "api/symbol_routes.hpp"
#include "api/system_routes.hpp"

namespace oa::api {

void add_all_routes(Router& router, const ApiContext& context) {
  add_system_routes(router, context);
  add_market_data_routes(router, context);
  add_options_routes(router, context);
  add_symbol_routes(router, context);
  add_admin_routes(router, context);
  add_action_center_routes(router, context);
  add_calendar_routes(router, context);
  add_order_routes(router, context);
  add_composite_order_routes(router, context);
  add_options_order_routes(router, context);
  add_bulk_order_routes(router, context);
  add_gtt_routes(router, context);
  add_sandbox_routes(router, context);
  add_account_routes(router, context);
  add_broker_login_routes(router, context);
}

}  // namespace oa::api
