#include "cli/order_commands.hpp"

#include <charconv>
#include <iostream>
#include <stdexcept>

#include <boost/json.hpp>

#include "cli/daemon_request.hpp"

namespace oa::cli {
namespace {

namespace json = boost::json;

std::int64_t pending_id(const std::string& text) {
  std::int64_t id = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (error != std::errc() || end != text.data() + text.size() || id < 1)
    throw app::UsageError("ID must be a pending order's number (see `openalgod orders pending`), got '" + text + "'");
  return id;
}

std::string text(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  if (!value) return "";
  return value->is_string() ? std::string(value->get_string()) : json::serialize(*value);
}

// The daemon's answer when it is a success; else throws with its message.
const json::object& success(const DaemonReply& reply) {
  if (!reply.reachable)
    throw std::runtime_error("the daemon is not running (" + reply.error + "); start it with `openalgod serve`");
  const auto* body = reply.body.if_object();
  if (reply.status == 200 && body) return *body;
  const auto* message = body ? body->if_contains("message") : nullptr;
  throw std::runtime_error("the daemon refused (HTTP " + std::to_string(reply.status) + "): " +
                           (message && message->is_string() ? std::string(message->get_string())
                                                            : json::serialize(reply.body)));
}

DaemonReply ask(const app::ConfigSource& source, const std::string& path, json::object request) {
  auto runtime = app::open_runtime(source);
  return ask_daemon(runtime, path, std::move(request), admin_api_key(runtime));
}

}  // namespace

int orders_pending(const app::ConfigSource& source, const std::string& status) {
  auto reply = ask(source, "/api/v1/admin/pendingorders", {{"status", status}});
  const auto& orders = success(reply).at("data").as_array();
  for (const auto& item : orders) {
    const auto& order = item.as_object();
    std::cout << "#" << text(order, "id") << "  " << text(order, "status") << "  " << text(order, "api_type")
              << "  user " << text(order, "user") << "  queued " << text(order, "created_at") << '\n'
              << "    " << json::serialize(order.at("order")) << '\n';
    if (order.contains("decided_by"))
      std::cout << "    decided by " << text(order, "decided_by") << " at " << text(order, "decided_at") << '\n';
    if (order.contains("rejected_reason")) std::cout << "    reason: " << text(order, "rejected_reason") << '\n';
    if (order.contains("result"))
      std::cout << "    answered HTTP " << text(order, "result_status") << ": " << text(order, "result") << '\n';
  }
  if (orders.empty()) std::cout << "(no " << (status == "all" ? "" : status + " ") << "orders)\n";
  return 0;
}

int orders_approve(const app::ConfigSource& source, const std::string& id) {
  auto reply = ask(source, "/api/v1/admin/pendingorders/approve", {{"id", pending_id(id)}});
  const auto& data = success(reply).at("data").as_object();
  std::cout << "pending order " << id << " approved; the order was answered HTTP " << text(data, "result_status")
            << ": " << text(data, "result") << '\n';
  return 0;
}

int orders_reject(const app::ConfigSource& source, const std::string& id, const std::string& reason) {
  auto reply = ask(source, "/api/v1/admin/pendingorders/reject", {{"id", pending_id(id)}, {"reason", reason}});
  success(reply);
  std::cout << "pending order " << id << " rejected\n";
  return 0;
}

}  // namespace oa::cli
