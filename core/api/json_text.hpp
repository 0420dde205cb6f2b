#pragma once
// JSON text as OpenAlgo's clients get it from Python: floats written the way
// Python writes them (1187.75, 0.0, 1e-05), not Boost.JSON's 1.18775E3.
#include <string>

#include <boost/json/value.hpp>

namespace oa::api {

std::string to_json_text(const boost::json::value& value);

}  // namespace oa::api
