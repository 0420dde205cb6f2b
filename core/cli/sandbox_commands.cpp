#include "cli/sandbox_commands.hpp"

#include <iostream>
#include <stdexcept>

#include <boost/json.hpp>

#include "cli/daemon_request.hpp"

namespace oa::cli {

namespace json = boost::json;

int sandbox_reset(const app::ConfigSource& source, const std::optional<std::string>& username) {
  auto runtime = app::open_runtime(source);
  const auto key = username ? user_api_key(runtime, *username) : admin_api_key(runtime);
  auto reply = ask_daemon(runtime, "/sandbox/reset", {}, key);
  // The sandbox lives in the daemon: resetting the store behind its back would
  // leave its in-memory books stale, so there is no offline fallback.
  if (!reply.reachable)
    throw std::runtime_error("the daemon is not running (" + reply.error +
                             "); start it with `openalgod serve` and try again");
  const auto* body = reply.body.if_object();
  const auto* status = body ? body->if_contains("status") : nullptr;
  if (reply.status == 200 && status != nullptr && *status == "success") {
    std::cout << "sandbox reset";
    if (const auto* count = body->if_contains("reset_count")) std::cout << " (reset count " << json::serialize(*count) << ")";
    std::cout << '\n';
    return 0;
  }
  const auto* message = body ? body->if_contains("message") : nullptr;
  std::cerr << "openalgod: the daemon refused the reset (HTTP " << reply.status
            << "): " << (message && message->is_string() ? std::string(message->get_string()) : json::serialize(reply.body))
            << '\n';
  return 1;
}

}  // namespace oa::cli
