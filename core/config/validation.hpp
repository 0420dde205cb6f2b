#pragma once
// Checks of resolved settings: each key against its kind, and the rules that
// tie keys together.

#include <vector>

#include "config/config.hpp"

namespace oa::config {

std::vector<Problem> validate(const Config& config);

}  // namespace oa::config
