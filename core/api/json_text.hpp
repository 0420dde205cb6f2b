#pragma once
// JSON text as OpenAlgo's clients get it from Python: floats written the way
// Python writes them (1187.75, 0.0, 1e-05), not Boost.JSON's 1.18775E3.
// Two layouts: Flask's compact one for REST, and json.dumps' defaults for the
// WebSocket feed (", " and ": " separators, non-ASCII escaped as \uXXXX).
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

namespace oa::api {

enum class JsonLayout { Compact, PythonDumps };

std::string to_json_text(const boost::json::value& value, JsonLayout layout = JsonLayout::Compact);

// The pieces, for writers that build text directly on a hot path.
void append_json_string(std::string& out, std::string_view text, JsonLayout layout = JsonLayout::Compact);
void append_json_double(std::string& out, double number);

}  // namespace oa::api
