#pragma once
#include <optional>

#include "api/api_context.hpp"
#include "api/auth_check.hpp"
#include "api/router.hpp"

#include <boost/json/object.hpp>

namespace oa::api {

// Administration, for the administrator's API key only:
//   POST /api/v1/admin/plugins         {apikey}      -> the loaded plugins
//   POST /api/v1/admin/plugins/reload  {apikey, id}  -> reload one ("*" = all)
//   POST /api/v1/admin/feed            {apikey}      -> the market feed per broker
void add_admin_routes(Router& router, const ApiContext& context);

// The request when it carries an administrator's key; else nullopt after answering 400 or 403.
std::optional<AuthorisedRequest> authorise_admin(const ApiContext& context, const net::HttpRequest& request,
                                                 const Schema& schema, const net::Responder& respond);

boost::json::object describe_plugin(const plugins::PluginInfo& plugin);
boost::json::object describe_reload(const plugins::ReloadReport& report);

}  // namespace oa::api
