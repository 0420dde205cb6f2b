#include "store/settings.hpp"

#include <soci/soci.h>

namespace oa::store {

std::optional<std::string> Settings::get(const std::string& key) const {
  auto lease = store_.lease();
  std::string value;
  *lease << "SELECT value FROM settings WHERE key = :key", soci::use(key), soci::into(value);
  if (!lease->got_data()) {
    return std::nullopt;
  }
  return value;
}

void Settings::set(const std::string& key, const std::string& value) {
  auto lease = store_.lease();
  *lease << "INSERT INTO settings (key, value) VALUES (:key, :value) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value, "
            "updated_at = excluded.updated_at",
      soci::use(key), soci::use(value);
}

}  // namespace oa::store
