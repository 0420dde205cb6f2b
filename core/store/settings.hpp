#pragma once

#include "store/store.hpp"

#include <optional>
#include <string>

namespace oa::store {

// Named text values the daemon keeps across restarts (analyze mode, ...).
class Settings {
 public:
  explicit Settings(Store& store) : store_(store) {}

  std::optional<std::string> get(const std::string& key) const;

  // Creates the setting or replaces its value.
  void set(const std::string& key, const std::string& value);

 private:
  Store& store_;
};

}  // namespace oa::store
