#include "api/router.hpp"

#include <atomic>
#include <memory>
#include <stdexcept>

#include <boost/json/object.hpp>
#include <spdlog/spdlog.h>

#include "api/json_reply.hpp"

namespace oa::api {
namespace {

std::string normalise(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
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

void Router::add(Route route) {
  auto path = normalise(route.path);
  auto [it, inserted] = by_path_[path].emplace(route.method, routes_.size());
  if (!inserted) throw std::logic_error("route registered twice: " + route.method + " " + path);
  routes_.push_back(std::move(route));
}

void Router::handle(net::HttpRequest&& request, net::Responder raw_respond) const {
  // A handler that answers and then throws must not answer twice.
  auto answered = std::make_shared<std::atomic<bool>>(false);
  net::Responder respond = [raw_respond = std::move(raw_respond), answered](net::HttpResponse reply) {
    if (!answered->exchange(true)) raw_respond(std::move(reply));
  };
  auto path_routes = by_path_.find(normalise(request.path));
  if (path_routes == by_path_.end()) return respond(not_found(request.path));
  auto route = path_routes->second.find(request.method);
  if (route == path_routes->second.end()) {
    auto reply = error_reply(405, "Method " + request.method + " is not allowed for " + request.path +
                                      "; use " + allowed_methods(path_routes->second));
    reply.headers.emplace_back("Allow", allowed_methods(path_routes->second));
    if (request.method == "OPTIONS") reply.status = 204, reply.body.clear();
    return respond(std::move(reply));
  }
  const Route& target = routes_[route->second];
  try {
    target.handler(std::move(request), respond);
  } catch (const std::exception& error) {
    spdlog::error("api: {} {} failed: {}", target.method, target.path, error.what());
    respond(error_reply(500, "An unexpected error occurred"));
  }
}

}  // namespace oa::api
