#pragma once

#include "store/store.hpp"

#include <cstdint>

namespace oa::store {

// The credentials_version row: database triggers add one to it on every
// write to api_keys or broker_auth, whichever process made it.
std::int64_t credentials_version(Store& store);

}  // namespace oa::store
