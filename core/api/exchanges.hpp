#pragma once
#include <string>
#include <vector>

namespace oa::api {

// OpenAlgo's VALID_EXCHANGES, in its order (rest_api.md B.1): the OneOf list
// of every schema with an exchange field, and the text of its error message.
const std::vector<std::string>& valid_exchanges();

}  // namespace oa::api
