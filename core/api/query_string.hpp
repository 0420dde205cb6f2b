#pragma once
// The query string of GET endpoints (instruments, ticker), decoded as Flask's
// request.args decodes it.
#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace oa::api {

// %XX becomes that byte; a '%' not followed by two hex digits stays as it is.
// `plus_is_space` for query strings, where '+' encodes a space (not in paths).
std::string percent_decode(std::string_view text, bool plus_is_space);

// name -> value; the first of repeated names wins, as request.args.get(name).
using QueryParameters = std::map<std::string, std::string, std::less<>>;
QueryParameters parse_query(std::string_view query);

}  // namespace oa::api
