#include "cli/plugin_commands.hpp"

#include <chrono>
#include <iostream>

#include <boost/json.hpp>
#include <fmt/chrono.h>

#include "api/admin_routes.hpp"
#include "app/gateway.hpp"
#include "cli/broker_commands.hpp"
#include "cli/daemon_request.hpp"
#include "net/http_client.hpp"
#include "net/ws_client.hpp"
#include "plugins/conformance.hpp"

namespace oa::cli {
namespace {

namespace json = boost::json;

std::string join(const json::value& list) {
  std::string out;
  for (const auto& item : list.as_array()) out += (out.empty() ? "" : ", ") + std::string(item.as_string());
  return out.empty() ? "-" : out;
}

std::string_view text(const json::object& object, std::string_view key) { return object.at(key).as_string(); }

std::int64_t number(const json::object& object, std::string_view key) { return object.at(key).to_number<std::int64_t>(); }

// "master contract: loaded, 84213 rows (download), last success 2026-11-26 08:31:02 UTC"
void print_master_contract(const json::object& contract) {
  std::cout << "    master contract: " << text(contract, "phase");
  if (text(contract, "phase") != "never") std::cout << ", " << number(contract, "rows") << " rows";
  if (!text(contract, "source").empty()) std::cout << " (" << text(contract, "source") << ")";
  if (auto success = number(contract, "last_success_ms"))
    std::cout << ", last success "
              << fmt::format("{:%F %T} UTC", std::chrono::floor<std::chrono::seconds>(
                                                 std::chrono::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(success))));
  if (text(contract, "phase") == "failed") std::cout << ", error: " << text(contract, "last_error");
  std::cout << '\n';
}

void print_plugin(const json::object& plugin, bool detailed) {
  std::cout << text(plugin, "id") << "  " << text(plugin, "version") << "  ABI " << text(plugin, "abi") << "  "
            << text(plugin, "state") << "  " << text(plugin, "file")
            << "\n    capabilities: " << join(plugin.at("capabilities")) << '\n';
  if (!detailed) return;
  std::cout << "    name: " << text(plugin, "display_name") << "\n    login: " << text(plugin, "auth_style")
            << "\n    settings: " << join(plugin.at("config_keys")) << "\n    intervals: " << join(plugin.at("intervals"))
            << "\n    calls: " << plugin.at("calls").to_number<std::int64_t>()
            << ", reloads: " << plugin.at("reloads").to_number<std::int64_t>()
            << ", subscriptions: " << plugin.at("subscriptions").to_number<std::int64_t>() << '\n';
  if (!text(plugin, "last_reload_error").empty())
    std::cout << "    last reload error: " << text(plugin, "last_reload_error") << '\n';
  print_master_contract(plugin.at("master_contract").as_object());
}

// The plugins as the daemon sees them, or, when it is not running, as found on disk.
json::array plugins_on_disk(app::Runtime& runtime) {
  app::Gateway gateway(runtime);
  for (const auto& problem : gateway.plugins().discover()) std::cerr << "skipped: " << problem << '\n';
  json::array out;
  for (auto plugin : gateway.plugins().list()) {
    plugin.state = "on disk (daemon not running)";
    out.push_back(api::describe_plugin(plugin));
  }
  return out;
}

json::array current_plugins(app::Runtime& runtime) {
  DaemonReply reply;
  try {
    reply = ask_daemon(runtime, "/api/v1/admin/plugins", {}, admin_api_key(runtime));
  } catch (const app::UsageError& no_key) {
    std::cerr << "openalgod: cannot ask the daemon (" << no_key.what() << "); showing the plugins on disk\n";
    return plugins_on_disk(runtime);
  }
  if (reply.reachable && reply.status == 200) return reply.body.at("data").as_array();
  if (reply.reachable) throw std::runtime_error("the daemon refused: " + json::serialize(reply.body));
  std::cerr << "openalgod: the daemon is not running (" << reply.error << "); showing the plugins on disk\n";
  return plugins_on_disk(runtime);
}

}  // namespace

int plugins_list(const app::ConfigSource& source) {
  auto runtime = app::open_runtime(source);
  auto plugins = current_plugins(runtime);
  for (const auto& plugin : plugins) print_plugin(plugin.as_object(), false);
  if (plugins.empty()) std::cout << "(no plugins in " << runtime.config.get("PLUGIN_DIRS") << ")\n";
  return 0;
}

int plugins_info(const app::ConfigSource& source, const std::string& id) {
  auto runtime = app::open_runtime(source);
  for (const auto& plugin : current_plugins(runtime)) {
    if (plugin.at("id") != id.c_str()) continue;
    print_plugin(plugin.as_object(), true);
    return 0;
  }
  throw app::UsageError("no plugin '" + id + "' (see `openalgod plugins list`)");
}

int plugins_reload(const app::ConfigSource& source, const std::string& id) {
  auto runtime = app::open_runtime(source);
  auto reply = ask_daemon(runtime, "/api/v1/admin/plugins/reload", {{"id", id}}, admin_api_key(runtime));
  if (!reply.reachable) throw std::runtime_error("cannot reach the daemon: " + reply.error);
  if (reply.body.is_object() && reply.body.as_object().contains("data"))
    for (const auto& report : reply.body.at("data").as_array())
      std::cout << text(report.as_object(), "id") << ": " << text(report.as_object(), "message") << '\n';
  else
    std::cout << json::serialize(reply.body) << '\n';
  return reply.status == 200 && reply.body.at("status") == "success" ? 0 : 1;
}

int plugins_check(const app::ConfigSource& source, const std::filesystem::path& file,
                  const std::vector<std::string>& login_fields) {
  if (!std::filesystem::is_regular_file(file)) throw app::UsageError("no such plugin file: " + file.string());
  auto config = app::load_config(source);
  auto scratch = std::filesystem::temp_directory_path() / ("openalgod-plugin-check-" + std::to_string(::getpid()));
  net::HttpClient http(net::HttpClient::Options{});
  net::WsClient ws;
  plugins::ConformanceOptions options{scratch, [&config](const std::string& key) { return app::plugin_visible_setting(config, key); },
                                      &http, &ws, {}};
  if (!login_fields.empty()) {
    json::object fields;
    for (const auto& [name, value] : parse_login_fields(login_fields, false)) fields[name] = value;
    options.login_fields = json::serialize(fields);
  }
  auto results = plugins::check_plugin(file, options);
  std::filesystem::remove_all(scratch);
  int failures = 0;
  for (const auto& result : results) {
    const char* verdict = result.verdict == plugins::CheckResult::Verdict::Pass   ? "PASS"
                          : result.verdict == plugins::CheckResult::Verdict::Fail ? "FAIL"
                                                                                   : "SKIP";
    failures += result.verdict == plugins::CheckResult::Verdict::Fail;
    std::cout << verdict << "  " << result.name << (result.detail.empty() ? "" : ": " + result.detail) << '\n';
  }
  std::cout << (failures ? "plugin-check: " + std::to_string(failures) + " check(s) failed\n"
                         : "plugin-check: all checks passed\n");
  return failures ? 1 : 0;
}

}  // namespace oa::cli
