#include "net/http_types.hpp"

namespace oa::net {

std::string_view HttpRequest::header(std::string_view lower_name) const {
  for (const auto& [name, value] : headers)
    if (name == lower_name) return value;
  return {};
}

}  // namespace oa::net
