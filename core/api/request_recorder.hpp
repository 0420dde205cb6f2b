#pragma once
// What the router notes about each /api/ request for the traffic log and, in
// analyzer mode, the analyzer log (core/traffic). Kept cheap on the request
// path: a few strings copied and one queue append when the answer goes out.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "net/http_types.hpp"
#include "traffic/broker_clock.hpp"
#include "traffic/request_log.hpp"

namespace oa::api {

// One request between arrival and answer.
struct RequestNote {
  std::chrono::steady_clock::time_point started;
  std::int64_t at_ms = 0;
  std::string method, path, route, client_ip, api_key;
  std::shared_ptr<traffic::BrokerClock> broker = std::make_shared<traffic::BrokerClock>();
  std::optional<std::string> analyzer_type{};  // set when the analyzer log keeps this request
  std::string request_body{};                  // kept only then
};

class RequestRecorder {
 public:
  // `analyze_mode` says whether analyzer mode is on; it is asked once per
  // request of an endpoint the analyzer log keeps.
  RequestRecorder(traffic::RequestLog& log, std::function<bool()> analyze_mode);

  // nullopt for what is not logged (the web UI's files, /health).
  // `route` is the matched route's path, empty when none matched.
  std::optional<RequestNote> begin(const net::HttpRequest& request, const std::string& route,
                                   std::string api_key) const;
  void finish(RequestNote&& note, const net::HttpResponse& response) const;

 private:
  traffic::RequestLog& log_;
  std::function<bool()> analyze_mode_;
};

// The analyzer log's api_type of a route: OpenAlgo logs its order endpoints,
// orderstatus, openposition, analyzer, analyzer/toggle and margin there
// (rest_api.md A.9); nullopt for every other route.
std::optional<std::string> analyzer_api_type(const std::string& route);

}  // namespace oa::api
