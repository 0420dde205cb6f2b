#pragma once
// The sandbox engine's options from the daemon's settings: OpenAlgo's
// sandbox_config keys (SANDBOX_*) and SESSION_EXPIRY_TIME. Config validation
// has already checked each value against its bounds.
#include "config/config.hpp"
#include "sandbox/engine.hpp"

namespace oa::app {

sandbox::EngineOptions sandbox_options(const config::Config& config);

}  // namespace oa::app
