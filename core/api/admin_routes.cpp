#include "api/admin_routes.hpp"

#include <boost/json.hpp>

#include "api/auth_check.hpp"
#include "api/json_reply.hpp"

namespace oa::api {
namespace {

namespace json = boost::json;

json::array strings(const std::vector<std::string>& items) {
  json::array out;
  for (const auto& item : items) out.emplace_back(json::string(item));
  return out;
}

const Schema& key_only_schema() {
  static const Schema schema{{Field::text("apikey").length_between(1, 256)}};
  return schema;
}

const Schema& reload_schema() {
  static const Schema schema{{Field::text("apikey").length_between(1, 256), Field::text("id").length_between(1, 64)}};
  return schema;
}

void list_plugins(const ApiContext& context, net::HttpRequest&& request, net::Responder respond) {
  if (!authorise_admin(context, request, key_only_schema(), respond)) return;
  json::array plugins;
  for (const auto& plugin : context.plugins.list()) plugins.push_back(describe_plugin(plugin));
  respond(json_reply(200, json::object{{"data", std::move(plugins)}, {"status", "success"}}));
}

void reload_plugins(const ApiContext& context, net::HttpRequest&& request, net::Responder respond) {
  auto authorised = authorise_admin(context, request, reload_schema(), respond);
  if (!authorised) return;
  std::string id(authorised->values.at("id").get_string());
  auto task = [&context, id, respond] {
    auto reports = id == "*" ? context.plugins.reload_all() : std::vector{context.plugins.reload(id)};
    json::array data;
    bool all_ok = true;
    for (const auto& report : reports) {
      all_ok = all_ok && report.ok;
      data.push_back(describe_reload(report));
    }
    if (reports.size() == 1 && !all_ok)
      return respond(json_reply(reports[0].message.starts_with("no plugin") ? 404 : 500,
                                json::object{{"status", "error"}, {"message", reports[0].message}, {"data", data}}));
    respond(json_reply(200, json::object{{"status", all_ok ? "success" : "error"}, {"data", std::move(data)}}));
  };
  if (!context.run_control(std::move(task))) respond(error_reply(429, "Too many reloads queued; try again shortly"));
}

json::object describe_request(const traffic::LoggedRequest& request) {
  json::object out{{"at_ms", request.at_ms},       {"method", request.method},
                   {"path", request.path},         {"route", request.route},
                   {"status", request.status},     {"client_ip", request.client_ip},
                   {"total_us", request.total_us}, {"broker_us", request.broker_us},
                   {"daemon_us", std::max<std::int64_t>(0, request.total_us - request.broker_us)}};
  out["user_id"] = request.user_id ? json::value(*request.user_id) : json::value(nullptr);
  return out;
}

json::object describe_route(const traffic::RouteLatency& route) {
  return {{"route", route.route},           {"count", route.count},
          {"total_p50_us", route.total_p50},   {"total_p99_us", route.total_p99},
          {"daemon_p50_us", route.daemon_p50}, {"daemon_p99_us", route.daemon_p99},
          {"broker_p50_us", route.broker_p50}, {"broker_p99_us", route.broker_p99}};
}

// The traffic log as the writer last saw it: recent requests, newest first,
// and each route's latency percentiles over its latest requests.
void traffic(const ApiContext& context, net::HttpRequest&& request, net::Responder respond) {
  if (!authorise_admin(context, request, key_only_schema(), respond)) return;
  if (!context.request_log) return respond(error_reply(501, "The traffic log is not running"));
  auto snapshot = context.request_log->snapshot();
  json::array recent, routes;
  for (const auto& logged : snapshot.recent) recent.push_back(describe_request(logged));
  for (const auto& route : snapshot.routes) routes.push_back(describe_route(route));
  json::object data{{"recent", std::move(recent)},
                    {"routes", std::move(routes)},
                    {"written", snapshot.written},
                    {"dropped", snapshot.dropped},
                    {"failed", snapshot.failed},
                    {"latency_window", traffic::RequestLog::kLatencyWindow}};
  respond(json_reply(200, json::object{{"data", std::move(data)}, {"status", "success"}}));
}

void feed_status(const ApiContext& context, net::HttpRequest&& request, net::Responder respond) {
  if (!authorise_admin(context, request, key_only_schema(), respond)) return;
  if (!context.feed_status) return respond(error_reply(503, "The market feed is not running"));
  respond(json_reply(200, json::object{{"data", context.feed_status()}, {"status", "success"}}));
}

}  // namespace

std::optional<AuthorisedRequest> authorise_admin(const ApiContext& context, const net::HttpRequest& request,
                                                 const Schema& schema, const net::Responder& respond) {
  auto authorised = authorise(request, schema, context.accounts, respond);
  if (!authorised) return std::nullopt;
  if (context.accounts.is_admin(authorised->user_id)) return authorised;
  respond(error_reply(403, "This operation needs the administrator's API key"));
  return std::nullopt;
}

json::object describe_plugin(const plugins::PluginInfo& plugin) {
  const auto& manifest = plugin.manifest;
  return json::object{
      {"id", manifest.id},
      {"display_name", manifest.display_name},
      {"version", manifest.version},
      {"abi", std::to_string(manifest.abi_major) + "." + std::to_string(manifest.abi_minor)},
      {"auth_style", plugins::auth_style_name(manifest.auth_style)},
      {"capabilities", strings(plugins::capability_names(manifest.capabilities))},
      {"intervals", strings(manifest.intervals)},
      {"config_keys", strings(manifest.config_keys)},
      {"state", plugin.state},
      {"file", plugin.file},
      {"calls", plugin.calls},
      {"reloads", plugin.reloads},
      {"subscriptions", plugin.subscriptions},
      {"last_reload_error", plugin.last_reload_error},
      {"stream", json::object{{"reported", plugin.stream.reported},
                              {"connected", plugin.stream.connected},
                              {"reason", plugin.stream.reason},
                              {"changed_ms", plugin.stream.changed_ms},
                              {"disconnects", plugin.stream.disconnects}}},
      {"master_contract", json::object{{"phase", plugin.master_contract.phase},
                                       {"source", plugin.master_contract.source},
                                       {"rows", plugin.master_contract.rows},
                                       {"started_ms", plugin.master_contract.started_ms},
                                       {"finished_ms", plugin.master_contract.finished_ms},
                                       {"last_success_ms", plugin.master_contract.last_success_ms},
                                       {"last_error", plugin.master_contract.last_error}}},
  };
}

json::object describe_reload(const plugins::ReloadReport& report) {
  return json::object{{"id", report.id},           {"ok", report.ok},
                      {"message", report.message}, {"old_version", report.old_version},
                      {"new_version", report.new_version}, {"old_unloaded", report.old_unloaded}};
}

void add_admin_routes(Router& router, const ApiContext& context) {
  router.add(endpoint_route(context, "POST", "/api/v1/admin/plugins", "Loaded broker plugins (administrator)",
                            list_plugins)
                 .documented(json_body(key_only_schema())));
  router.add(endpoint_route(context, "POST", "/api/v1/admin/plugins/reload", "Reloads a broker plugin (administrator)",
                            reload_plugins)
                 .documented(json_body(reload_schema())));
  router.add(endpoint_route(context, "POST", "/api/v1/admin/traffic",
                            "Recent requests and latency percentiles per endpoint, daemon time apart from broker "
                            "time (administrator)",
                            traffic)
                 .documented(json_body(key_only_schema())));
  router.add(endpoint_route(context, "POST", "/api/v1/admin/feed",
                            "The market feed per broker and its WebSocket clients (administrator)", feed_status)
                 .documented(json_body(key_only_schema())));
}

}  // namespace oa::api
