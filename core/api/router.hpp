#pragma once
// The one route table. Paths match with or without a trailing slash (OpenAlgo's
// SDK uses the bare form, its own UI the slash form). Unknown path: 404; known
// path, wrong method: 405; both in the OpenAlgo error envelope.
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "net/http_types.hpp"

namespace oa::api {

using Handler = std::function<void(net::HttpRequest&&, net::Responder)>;

struct Route {
  std::string method;   // "GET", "POST"
  std::string path;     // "/api/v1/ping"
  std::string summary;  // one line, for listings and the API docs
  Handler handler;
};

class Router {
 public:
  void add(Route route);
  // Answers every request exactly once, also when a handler throws.
  void handle(net::HttpRequest&& request, net::Responder respond) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
  std::map<std::string, std::map<std::string, std::size_t>> by_path_;  // path -> method -> route index
};

}  // namespace oa::api
