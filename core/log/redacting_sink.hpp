#pragma once
#include <mutex>

#include <spdlog/sinks/dist_sink.h>

namespace oa::log {

// The only sink the logger writes to. It formats nothing itself: it replaces
// each record's payload with redact(payload) and hands the record to its child
// sinks (console, file), so no child can ever see an unredacted line.
// Children are replaced under the sink's own mutex (set_sinks), which is what
// makes init() safe to call again while other threads log.
class RedactingSink final : public spdlog::sinks::dist_sink<std::mutex> {
 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override;
};

}  // namespace oa::log
