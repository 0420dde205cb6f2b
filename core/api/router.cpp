#include "api/router.hpp"

#include <atomic>
#include <memory>
#include <optional>
#include <stdexcept>

#include <boost/json/object.hpp>
#include <spdlog/spdlog.h>

#include "api/json_reply.hpp"
#include "api/request_api_key.hpp"
#include "api/request_recorder.hpp"

namespace oa::api {
namespace {

std::string normalise(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

// {"/api/v1/ticker/", ""} for "/api/v1/ticker/<symbol>", {"/", "/callback"} for
// "/<broker>/callback"; nullopt when no segment is a placeholder.
std::optional<std::pair<std::string, std::string>> placeholder_split(const std::string& path) {
  auto open = path.find("/<");
  if (open == std::string::npos) return std::nullopt;
  auto close = path.find('>', open);
  if (close == std::string::npos || (close + 1 < path.size() && path[close + 1] != '/')) return std::nullopt;
  return std::pair{path.substr(0, open + 1), path.substr(close + 1)};
}

std::string allowed_methods(const std::map<std::string, std::size_t>& methods) {
  std::string out;
  for (const auto& [method, _] : methods) out += (out.empty() ? "" : ", ") + method;
  return out;
}

net::HttpResponse not_found(const std::string& path) {
  return json_reply(404, boost::json::object{{"status", "error"}, {"message", "Not found"}, {"path", path}});
}

}  // namespace

std::string_view first_path_segment(std::string_view path) {
  while (path.starts_with('/')) path.remove_prefix(1);
  return path.substr(0, path.find('/'));
}

bool Router::Pattern::matches(const std::string& path) const {
  if (path.size() <= prefix.size() + suffix.size() || !path.starts_with(prefix) || !path.ends_with(suffix))
    return false;
  auto segment = std::string_view(path).substr(prefix.size(), path.size() - prefix.size() - suffix.size());
  return segment.find('/') == std::string_view::npos;
}

std::string_view last_path_segment(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

void Router::add(Route route) {
  auto path = normalise(route.path);
  Methods* methods = nullptr;
  if (auto split = placeholder_split(path)) {
    for (auto& pattern : patterns_)
      if (pattern.prefix == split->first && pattern.suffix == split->second) methods = &pattern.methods;
    if (!methods) methods = &patterns_.emplace_back(Pattern{split->first, split->second, {}}).methods;
  } else {
    methods = &by_path_[path];
  }
  auto [it, inserted] = methods->emplace(route.method, routes_.size());
  if (!inserted) throw std::logic_error("route registered twice: " + route.method + " " + path);
  routes_.push_back(std::move(route));
}

const Router::Methods* Router::methods_for(const std::string& path) const {
  if (auto exact = by_path_.find(path); exact != by_path_.end()) return &exact->second;
  for (const auto& pattern : patterns_)
    if (pattern.matches(path)) return &pattern.methods;
  return nullptr;
}

void Router::handle(net::HttpRequest&& request, net::Responder raw_respond) const {
  const Methods* methods = methods_for(normalise(request.path));
  auto found = methods ? methods->find(request.method) : Methods::const_iterator();
  const Route* target = methods && found != methods->end() ? &routes_[found->second] : nullptr;
  std::string api_key = target && target->rate_class != RateClass::None ? request_api_key(request) : std::string();
  // One allocation per request for what its responder shares.
  struct Exchange {
    std::atomic<bool> answered{false};  // a handler that answers and then throws must not answer twice
    std::optional<RequestNote> note;
  };
  auto exchange = std::make_shared<Exchange>();
  if (recorder_) exchange->note = recorder_->begin(request, target ? target->path : std::string(), api_key);
  net::Responder respond = [raw_respond = std::move(raw_respond), exchange,
                            recorder = recorder_](net::HttpResponse reply) {
    if (exchange->answered.exchange(true)) return;
    if (exchange->note) recorder->finish(std::move(*exchange->note), reply);
    raw_respond(std::move(reply));
  };
  if (!methods) return respond(not_found(request.path));
  if (!target) {
    auto reply = error_reply(405, "Method " + request.method + " is not allowed for " + request.path +
                                      "; use " + allowed_methods(*methods));
    reply.headers.emplace_back("Allow", allowed_methods(*methods));
    if (request.method == "OPTIONS") reply.status = 204, reply.body.clear();
    return respond(std::move(reply));
  }
  if (limiter_ && target->rate_class != RateClass::None)
    if (auto refusal = limiter_->over_limit(target->rate_class, found->second, api_key, request.peer_ip))
      return respond(too_many_requests(*refusal));
  // Plugin calls the handler starts are charged to this request's broker time.
  traffic::BrokerClockScope broker_time(exchange->note ? exchange->note->broker : nullptr);
  try {
    target->handler(std::move(request), respond);
  } catch (const std::exception& error) {
    spdlog::error("api: {} {} failed: {}", target->method, target->path, error.what());
    respond(error_reply(500, "An unexpected error occurred"));
  }
}

}  // namespace oa::api
