#include "api/options_request.hpp"

#include <algorithm>
#include <map>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "api/request_body.hpp"

namespace oa::api {
namespace {

namespace json = boost::json;

json::array messages(std::string message) { return json::array{json::string(message)}; }

bool contains(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// Declared names in order, the list's in its place.
std::vector<std::string> declared_order(const OptionsSchema& schema) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i <= schema.fields.size(); ++i) {
    if (schema.list && i == schema.list_position) names.push_back(schema.list->name);
    if (i < schema.fields.size()) names.push_back(schema.fields[i].name);
  }
  return names;
}

// A nested list: its value, or its errors.
std::pair<json::value, std::optional<json::value>> check_list(const NestedList& list, const json::value* given) {
  if (!given) return {nullptr, messages("Missing data for required field.")};
  if (given->is_null()) return {nullptr, messages("Field may not be null.")};
  if (!given->is_array()) return {nullptr, messages("Not a valid list.")};
  json::array items;
  json::object item_errors;
  const auto& array = given->get_array();
  for (std::size_t i = 0; i < array.size(); ++i) {
    if (!array[i].is_object()) {
      item_errors[std::to_string(i)] = json::object{{"_schema", messages("Invalid input type.")}};
      continue;
    }
    auto checked = validate(list.item, array[i].get_object());
    if (checked.ok())
      items.push_back(std::move(checked.values));
    else
      item_errors[std::to_string(i)] = errors_as_json(checked.errors);
  }
  if (!item_errors.empty()) return {nullptr, json::value(std::move(item_errors))};
  if (array.size() < list.min_items || array.size() > list.max_items)
    return {nullptr, messages(!list.length_message.empty()
                                  ? list.length_message
                                  : fmt::format("Length must be between {} and {}.", list.min_items, list.max_items))};
  return {std::move(items), std::nullopt};
}

std::string bound_text(double bound) { return fmt::format("{}", bound); }

}  // namespace

FieldCheck range_check(std::string field, double min, std::optional<double> max) {
  std::string message = max ? fmt::format("Must be greater than or equal to {} and less than or equal to {}.",
                                          bound_text(min), bound_text(*max))
                            : fmt::format("Must be greater than or equal to {}.", bound_text(min));
  return {std::move(field), [min, max, message](const json::value& value) -> std::optional<std::string> {
            const double number = value.to_number<double>();
            if (number < min || (max && number > *max)) return message;
            return std::nullopt;
          }};
}

CheckedRequest check_request(const OptionsSchema& schema, const json::object& input) {
  const auto order = declared_order(schema);
  json::object fields;
  for (const auto& [key, value] : input) {
    const bool absent =
        (value.is_null() && contains(schema.nullable, key)) || (schema.list && key == schema.list->name);
    if (!absent && contains(order, key)) fields[key] = value;
  }
  auto validated = validate(Schema{schema.fields, false}, fields);
  std::map<std::string, json::value, std::less<>> errors;
  for (const auto& [field, list] : validated.errors) {
    json::array texts;
    for (const auto& text : list) texts.emplace_back(json::string(text));
    errors[field] = std::move(texts);
  }
  for (const auto& check : schema.checks) {
    const json::value* value = validated.values.if_contains(check.field);
    if (!value || errors.contains(check.field)) continue;
    if (auto message = check.test(*value)) errors[check.field] = messages(std::move(*message));
  }
  if (schema.list) {
    auto [items, list_errors] = check_list(*schema.list, input.if_contains(schema.list->name));
    if (list_errors)
      errors[schema.list->name] = std::move(*list_errors);
    else
      validated.values[schema.list->name] = std::move(items);
  }

  CheckedRequest checked;
  for (const auto& name : order)
    if (auto found = errors.find(name); found != errors.end()) checked.errors[name] = found->second;
  for (const auto& [key, _] : input)
    if (!contains(order, key)) checked.errors[key] = messages("Unknown field.");
  if (checked.ok()) checked.values = std::move(validated.values);
  return checked;
}

std::optional<json::object> read_options_request(const net::HttpRequest& request, const OptionsSchema& schema,
                                                 ErrorEnvelope envelope, KeyOrder order,
                                                 const net::Responder& respond) {
  const std::string_view summary =
      envelope == ErrorEnvelope::ValidationError ? "Validation error" : "Validation failed";
  auto reject = [&](json::object errors) {
    respond(options_reply(order, 400,
                          json::object{{"status", "error"}, {"message", summary}, {"errors", std::move(errors)}}));
  };
  auto body = parse_json_body(request);
  if (!body.object) {
    boost::system::error_code ec;
    auto value = json::parse(request.body, ec);
    // parse_json_body checks the media type first: only a JSON body of the
    // right type that is not an object gets the schema's own answer.
    const bool wrong_type = body.error.body.find("Content-Type") != std::string::npos;
    if (ec || wrong_type || value.is_object()) {
      respond(std::move(body.error));
    } else if (value.is_null() && envelope == ErrorEnvelope::ValidationFailed) {
      respond(options_error(order, 400, "Request body is missing or invalid JSON"));
    } else {
      reject(json::object{{"_schema", messages("Invalid input type.")}});
    }
    return std::nullopt;
  }
  auto checked = check_request(schema, *body.object);
  if (!checked.ok()) {
    reject(std::move(checked.errors));
    return std::nullopt;
  }
  return std::move(checked.values);
}

RequestDoc documented(const OptionsSchema& schema) {
  std::vector<ListDoc> lists;
  if (schema.list) lists.push_back({schema.list->name, &schema.list->item, schema.list->min_items, schema.list->max_items});
  return json_body(Schema{schema.fields, true}, lists);
}

}  // namespace oa::api
