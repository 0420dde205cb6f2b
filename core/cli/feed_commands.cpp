#include "cli/feed_commands.hpp"

#include <chrono>
#include <iostream>

#include <boost/json.hpp>
#include <fmt/chrono.h>
#include <fmt/format.h>

#include "cli/daemon_request.hpp"

namespace oa::cli {
namespace {

namespace json = boost::json;

std::int64_t number(const json::object& object, std::string_view key) { return object.at(key).to_number<std::int64_t>(); }

// "12:01:05 UTC (3 s ago)", or "never".
std::string moment(std::int64_t epoch_ms) {
  if (epoch_ms == 0) return "never";
  auto at = std::chrono::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(epoch_ms));
  auto now = std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
  auto ago = std::chrono::duration_cast<std::chrono::seconds>(now - at).count();
  return fmt::format("{:%H:%M:%S} UTC ({} s {})", std::chrono::floor<std::chrono::seconds>(at), ago < 0 ? -ago : ago,
                     ago < 0 ? "from now" : "ago");
}

void print_broker(const json::object& feed) {
  std::cout << feed.at("broker").as_string() << "  " << feed.at("state").as_string() << '\n'
            << "    instruments streamed: " << number(feed, "lines") << ", subscriptions: " << number(feed, "subscriptions")
            << ", subscribers: " << number(feed, "subscribers") << '\n'
            << "    last tick: " << moment(number(feed, "last_tick_ms")) << ", ticks: " << number(feed, "ticks")
            << ", reconnects: " << number(feed, "reconnects") << '\n';
  if (!feed.at("last_error").as_string().empty()) std::cout << "    last loss: " << feed.at("last_error").as_string() << '\n';
  if (feed.at("state") == "reconnecting") std::cout << "    next attempt: " << moment(number(feed, "next_attempt_ms")) << '\n';
}

}  // namespace

int feed_status(const app::ConfigSource& source) {
  auto runtime = app::open_runtime(source);
  auto reply = ask_daemon(runtime, "/api/v1/admin/feed", {}, admin_api_key(runtime));
  if (!reply.reachable) throw std::runtime_error("cannot reach the daemon: " + reply.error);
  if (reply.status != 200) throw std::runtime_error("the daemon refused: " + json::serialize(reply.body));
  const auto& data = reply.body.at("data").as_object();
  std::cout << "WebSocket clients: " << number(data, "clients") << '\n';
  const auto& brokers = data.at("brokers").as_array();
  for (const auto& feed : brokers) print_broker(feed.as_object());
  if (brokers.empty()) std::cout << "(no broker has streamed yet)\n";
  return 0;
}

}  // namespace oa::cli
