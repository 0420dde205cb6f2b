#include "store/credentials_version.hpp"

#include <soci/soci.h>

namespace oa::store {

std::int64_t credentials_version(Store& store) {
  auto lease = store.lease();
  long long version = 0;
  *lease << "SELECT version FROM credentials_version WHERE id = 1", soci::into(version);
  return version;
}

}  // namespace oa::store
