#include "log/redacting_sink.hpp"

#include "log/redact.hpp"

namespace oa::log {

void RedactingSink::sink_it_(const spdlog::details::log_msg& msg) {
  const std::string payload = redact(std::string_view(msg.payload.data(), msg.payload.size()));
  spdlog::details::log_msg redacted = msg;
  redacted.payload = spdlog::string_view_t(payload.data(), payload.size());
  dist_sink::sink_it_(redacted);
}

}  // namespace oa::log
