#pragma once
// The one route table. Paths match with or without a trailing slash (OpenAlgo's
// SDK uses the bare form, its own UI the slash form). A path with one segment
// a placeholder ("/api/v1/ticker/<symbol>", "/<broker>/callback") matches any
// one non-empty segment there; an exact path wins over a placeholder. Unknown
// path: 404; known path, wrong method: 405; both in the OpenAlgo error envelope.
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "api/rate_limit.hpp"
#include "api/request_doc.hpp"
#include "net/http_types.hpp"

namespace oa::api {

using Handler = std::function<void(net::HttpRequest&&, net::Responder)>;

// The segment a placeholder route matched: the last one of the request's path,
// undecoded ("NSE:RELIANCE" for "/api/v1/ticker/NSE:RELIANCE/").
std::string_view last_path_segment(std::string_view path);
// The first segment of a path ("zerodha" for "/zerodha/callback").
std::string_view first_path_segment(std::string_view path);

struct Route {
  std::string method;   // "GET", "POST"
  std::string path;     // "/api/v1/ping", or "/api/v1/ticker/<symbol>" (see above)
  std::string summary;  // one line, for listings and the API docs
  Handler handler;
  RateClass rate_class = RateClass::Api;  // which of OpenAlgo's limits it counts against
  // What the API docs (/api/docs) say it takes: the schema its handler validates with.
  RequestDoc request = {};

  Route documented(RequestDoc doc) && {
    request = std::move(doc);
    return std::move(*this);
  }
};

class RequestRecorder;

class Router {
 public:
  void add(Route route);
  // Answers every request exactly once, also when a handler throws.
  void handle(net::HttpRequest&& request, net::Responder respond) const;
  const std::vector<Route>& routes() const { return routes_; }
  // Checked before each handler; over the limit answers 429. Not owned; null: no limits.
  void set_rate_limiter(RateLimiter* limiter) { limiter_ = limiter; }
  // Told of every /api/ request and its answer (the traffic and analyzer logs). Not owned; null: none.
  void set_recorder(const RequestRecorder* recorder) { recorder_ = recorder; }

 private:
  using Methods = std::map<std::string, std::size_t>;  // method -> route index
  const Methods* methods_for(const std::string& path) const;

  // A placeholder route: what comes before and after its placeholder segment.
  struct Pattern {
    std::string prefix, suffix;  // "/api/v1/ticker/" and "", or "/" and "/callback"
    Methods methods;
    bool matches(const std::string& path) const;
  };

  std::vector<Route> routes_;
  std::map<std::string, Methods> by_path_;
  std::vector<Pattern> patterns_;  // few; tried in order when no exact path matches
  RateLimiter* limiter_ = nullptr;
  const RequestRecorder* recorder_ = nullptr;
};

}  // namespace oa::api
