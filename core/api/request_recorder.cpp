#include "api/request_recorder.hpp"

#include <array>
#include <string_view>

namespace oa::api {
namespace {

constexpr std::string_view kApiPrefix = "/api/v1/";

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::optional<std::string> analyzer_api_type(const std::string& route) {
  static constexpr std::array<std::string_view, 18> kLogged{
      "placeorder",     "placesmartorder", "modifyorder",       "cancelorder",    "cancelallorder",
      "closeposition",  "basketorder",     "splitorder",        "optionsorder",   "optionsmultiorder",
      "placegttorder",  "modifygttorder",  "cancelgttorder",    "orderstatus",    "openposition",
      "analyzer",       "analyzer/toggle", "margin"};
  if (!route.starts_with(kApiPrefix)) return std::nullopt;
  std::string_view name(route);
  name.remove_prefix(kApiPrefix.size());
  for (auto logged : kLogged)
    if (name == logged) return std::string(name);
  return std::nullopt;
}

RequestRecorder::RequestRecorder(traffic::RequestLog& log, std::function<bool()> analyze_mode)
    : log_(log), analyze_mode_(std::move(analyze_mode)) {}

std::optional<RequestNote> RequestRecorder::begin(const net::HttpRequest& request, const std::string& route,
                                                  std::string api_key) const {
  if (!request.path.starts_with("/api/")) return std::nullopt;
  RequestNote note{.started = std::chrono::steady_clock::now(),
                   .at_ms = now_ms(),
                   .method = request.method,
                   .path = request.path,
                   .route = route,
                   .client_ip = request.peer_ip,
                   .api_key = std::move(api_key)};
  if (auto type = analyzer_api_type(route); type && analyze_mode_ && analyze_mode_()) {
    note.analyzer_type = std::move(type);
    note.request_body = request.body;
  }
  return note;
}

void RequestRecorder::finish(RequestNote&& note, const net::HttpResponse& response) const {
  auto total = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - note.started);
  auto broker = std::min(note.broker->elapsed(), total);
  // OpenAlgo leaves requests with an unknown key out of the analyzer log.
  if (note.analyzer_type && response.status != 403)
    log_.record(traffic::AnalyzerEntry{note.at_ms, std::move(*note.analyzer_type), std::move(note.request_body),
                                       response.body});
  log_.record(traffic::TrafficEntry{note.at_ms, std::move(note.method), std::move(note.path), std::move(note.route),
                                    response.status, std::move(note.client_ip), std::move(note.api_key),
                                    total.count(), broker.count()});
}

}  // namespace oa::api
