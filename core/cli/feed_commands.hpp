#pragma once
// `openalgod feed status`: the running daemon's market feed per broker
// (state, subscriptions, last tick, reconnects) and its WebSocket clients.
#include "app/runtime.hpp"

namespace oa::cli {

int feed_status(const app::ConfigSource& source);

}  // namespace oa::cli
