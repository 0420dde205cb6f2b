#include "api/request_doc.hpp"

#include <stdexcept>

#include <boost/json/array.hpp>

namespace oa::api {
namespace {

namespace json = boost::json;

const char* type_name(FieldKind kind) {
  switch (kind) {
    case FieldKind::String: return "string";
    case FieldKind::Float: return "number";
    case FieldKind::Integer: return "integer";
    case FieldKind::Boolean: return "boolean";
  }
  return "string";
}

json::object property(const Field& field) {
  json::object out{{"type", type_name(field.kind)}};
  if (!field.one_of.empty()) {
    json::array allowed;
    for (const auto& value : field.one_of) allowed.emplace_back(json::string(value));
    out["enum"] = std::move(allowed);
  }
  if (field.length) {
    out["minLength"] = field.length->first;
    out["maxLength"] = field.length->second;
  }
  if (field.minimum) {
    out["minimum"] = *field.minimum;
    if (field.exclusive_minimum) out["exclusiveMinimum"] = true;
  }
  if (field.default_value) out["default"] = *field.default_value;
  std::string description;
  if (field.kind == FieldKind::Float) description = "A JSON number or a numeric string.";
  if (field.kind == FieldKind::Integer) description = "A JSON integer or a numeric string; fractions are truncated.";
  if (!field.range_message.empty()) description += (description.empty() ? "" : " ") + field.range_message;
  if (!description.empty()) out["description"] = description;
  return out;
}

}  // namespace

json::object schema_object(const Schema& schema) {
  json::object properties;
  json::array required;
  for (const auto& field : schema.fields) {
    // validate() keeps the first of two fields of one name: a programming
    // error, caught here when the route is documented at start.
    if (properties.contains(field.name))
      throw std::logic_error("a request schema lists the field \"" + field.name + "\" twice");
    properties[field.name] = property(field);
    if (field.required) required.emplace_back(json::string(field.name));
  }
  json::object out{{"type", "object"}, {"properties", std::move(properties)}};
  if (!required.empty()) out["required"] = std::move(required);
  if (schema.reject_unknown) out["additionalProperties"] = false;
  return out;
}

RequestDoc json_body(const Schema& schema, const std::vector<ListDoc>& lists) {
  auto out = schema_object(schema);
  for (const auto& list : lists) {
    json::object items{{"type", "array"}, {"items", schema_object(*list.item)}, {"minItems", list.min_items}};
    if (list.max_items) items["maxItems"] = list.max_items;
    out["properties"].as_object()[list.name] = std::move(items);
    if (!list.required) continue;
    if (!out.contains("required")) out["required"] = json::array();
    out["required"].as_array().emplace_back(json::string(list.name));
  }
  return {RequestDoc::Place::JsonBody, std::move(out)};
}

RequestDoc query_parameters(const Schema& schema) { return {RequestDoc::Place::Query, schema_object(schema)}; }

}  // namespace oa::api
