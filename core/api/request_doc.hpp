#pragma once
// What the API docs say a route takes, made from the same Schema its handler
// validates with, so the docs cannot drift from the validation.
#include <string>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>

#include "api/schema.hpp"

namespace oa::api {

struct RequestDoc {
  enum class Place { None, JsonBody, Query };
  Place place = Place::None;
  boost::json::object schema;  // an OpenAPI 3.0 schema object: the body, or the query parameters as properties
};

// A list of objects inside a request ("symbols", "orders"), of min..max items.
struct ListDoc {
  std::string name;
  const Schema* item;
  std::size_t min_items = 1, max_items = 0;  // 0: no upper bound
  bool required = true;
};

RequestDoc json_body(const Schema& schema, const std::vector<ListDoc>& lists = {});
RequestDoc query_parameters(const Schema& schema);
// The OpenAPI schema object of a Schema: types, allowed values, lengths,
// minimums, defaults, required fields, and no other properties when it
// rejects unknown keys.
boost::json::object schema_object(const Schema& schema);

}  // namespace oa::api
