#include "feed/tick_event.hpp"

namespace oa::feed {

const Frame& TickEvent::frame(int mode) const {
  auto& slot = frames_.at(static_cast<std::size_t>(mode));
  if (!slot) slot = std::make_shared<const std::string>(format_(line_, tick_, mode, received_ms_));
  return slot;
}

}  // namespace oa::feed
