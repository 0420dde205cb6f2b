#pragma once
#include "app/runtime.hpp"

namespace oa::app {

// `openalgod serve`: call before starting any thread (it blocks the stop and
// reload signals so that only its own sigwait sees them); runs until SIGINT/SIGTERM, then drains in-flight requests
// and closes the store. SIGHUP re-reads the configuration and applies what can
// change while running (log level). Returns the process exit code.
int serve(const ConfigSource& source);

}  // namespace oa::app
