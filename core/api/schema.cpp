#include "api/schema.hpp"

#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdlib>

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

namespace oa::api {
namespace {

namespace json = boost::json;

using Outcome = std::pair<std::optional<json::value>, std::string>;  // value or message

Outcome fail(std::string message) { return {std::nullopt, std::move(message)}; }

std::optional<double> parse_number(std::string_view text) {
  std::string copy(text);
  char* end = nullptr;
  double number = std::strtod(copy.c_str(), &end);
  if (copy.empty() || end != copy.c_str() + copy.size()) return std::nullopt;
  return number;
}

Outcome to_float(const json::value& value) {
  std::optional<double> number;
  if (value.is_double()) number = value.get_double();
  else if (value.is_int64()) number = static_cast<double>(value.get_int64());
  else if (value.is_uint64()) number = static_cast<double>(value.get_uint64());
  else if (value.is_string()) number = parse_number(value.get_string());
  if (!number) return fail("Not a valid number.");
  if (!std::isfinite(*number)) return fail("Special numeric values (nan or infinity) are not permitted.");
  return {json::value(*number), {}};
}

Outcome to_integer(const json::value& value) {
  if (value.is_int64()) return {value, {}};
  if (value.is_uint64() && value.get_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
    return {json::value(static_cast<std::int64_t>(value.get_uint64())), {}};
  auto as_float = to_float(value);
  // marshmallow's non-strict Int truncates 1.5 to 1 and accepts "2".
  if (!as_float.first || std::fabs(as_float.first->get_double()) > 9.0e18) return fail("Not a valid integer.");
  return {json::value(static_cast<std::int64_t>(as_float.first->get_double())), {}};
}

Outcome to_boolean(const json::value& value) {
  static const std::vector<std::string_view> truthy{"true", "True", "TRUE", "1", "yes", "Yes", "YES",
                                                    "on", "On", "ON", "y", "Y", "t", "T"};
  static const std::vector<std::string_view> falsy{"false", "False", "FALSE", "0", "no", "No", "NO",
                                                   "off", "Off", "OFF", "n", "N", "f", "F"};
  if (value.is_bool()) return {value, {}};
  if (value.is_int64() && (value.get_int64() == 0 || value.get_int64() == 1))
    return {json::value(value.get_int64() == 1), {}};
  if (value.is_string()) {
    std::string_view text = value.get_string();
    for (auto t : truthy) if (text == t) return {json::value(true), {}};
    for (auto f : falsy) if (text == f) return {json::value(false), {}};
  }
  return fail("Not a valid boolean.");
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

Outcome to_string(const Field& field, const json::value& value) {
  if (!value.is_string()) return fail("Not a valid string.");
  std::string_view text = value.get_string();
  std::string upper;
  if (field.upper_case) {
    upper = text;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    text = upper;
  }
  if (field.min_length && text.size() < *field.min_length)
    return fail("Shorter than minimum length " + std::to_string(*field.min_length) + ".");
  if (field.length && (text.size() < field.length->first || text.size() > field.length->second)) {
    if (!field.length_message.empty()) return fail(field.length_message);
    return fail("Length must be between " + std::to_string(field.length->first) + " and " +
                std::to_string(field.length->second) + ".");
  }
  if (!field.one_of.empty()) {
    bool allowed = false;
    for (const auto& choice : field.one_of) allowed = allowed || text == choice;
    if (!allowed) return fail(field.choices_message.empty() ? "Must be one of: " + join(field.one_of) + "."
                                                            : field.choices_message);
  }
  return {json::value(text), {}};
}

Outcome in_range(const Field& field, Outcome number) {
  if (!number.first || !field.minimum) return number;
  double value = number.first->to_number<double>();
  bool below = field.exclusive_minimum ? value <= *field.minimum : value < *field.minimum;
  return below ? fail(field.range_message) : number;
}

Outcome convert(const Field& field, const json::value& value) {
  if (field.empty && value.is_string() && value.get_string().empty()) return {*field.empty, {}};
  if (value.is_null()) {
    if (field.allow_null) return {value, {}};
    return fail("Field may not be null.");
  }
  switch (field.kind) {
    case FieldKind::String: return to_string(field, value);
    case FieldKind::Float: return in_range(field, to_float(value));
    case FieldKind::Integer: return in_range(field, to_integer(value));
    case FieldKind::Boolean: return to_boolean(value);
  }
  return fail("Unsupported field kind.");
}

bool is_declared(const Schema& schema, std::string_view key) {
  for (const auto& field : schema.fields)
    if (field.name == key) return true;
  return false;
}

void append_python_string(std::string& out, std::string_view text) {
  // Python's repr picks double quotes when the text holds a single quote.
  char quote = text.find('\'') != std::string_view::npos && text.find('"') == std::string_view::npos ? '"' : '\'';
  out += quote;
  for (char c : text) {
    if (c == quote || c == '\\') out += '\\';
    out += c;
  }
  out += quote;
}

bool is_position(std::string_view key) {
  return !key.empty() && key.find_first_not_of("0123456789") == std::string_view::npos;
}

void append_python_value(std::string& out, const json::value& value) {
  if (value.is_string()) return append_python_string(out, value.get_string());
  if (value.is_array()) {
    out += '[';
    bool first = true;
    for (const auto& item : value.get_array()) {
      if (!first) out += ", ";
      first = false;
      append_python_value(out, item);
    }
    out += ']';
    return;
  }
  if (!value.is_object()) return void(out += json::serialize(value));
  out += '{';
  bool first = true;
  for (const auto& [key, item] : value.get_object()) {
    if (!first) out += ", ";
    first = false;
    // marshmallow keys a list's item errors by integer position.
    if (is_position(key)) out += key;
    else append_python_string(out, key);
    out += ": ";
    append_python_value(out, item);
  }
  out += '}';
}

}  // namespace

Validated validate(const Schema& schema, const json::object& input) {
  Validated result;
  // Room for every field at once: growing the object field by field was a
  // tenth of the validation's instructions.
  result.values.reserve(schema.fields.size());
  for (const auto& field : schema.fields) {
    const json::value* given = input.if_contains(field.name);
    if (!given) {
      if (field.required) result.errors.push_back({field.name, {"Missing data for required field."}});
      else if (field.default_value) result.values.emplace(field.name, *field.default_value);
      continue;
    }
    auto [value, message] = convert(field, *given);
    // Field names are unique in a schema: emplace inserts, never replaces.
    if (value) result.values.emplace(field.name, std::move(*value));
    else result.errors.push_back({field.name, {std::move(message)}});
  }
  if (schema.reject_unknown)
    for (const auto& [key, _] : input)
      if (!is_declared(schema, key)) result.errors.push_back({std::string(key), {"Unknown field."}});
  if (result.ok() && schema.after_fields) result.errors = schema.after_fields(result.values);
  return result;
}

json::value errors_as_json(const FieldErrors& errors) {
  json::object out;
  for (const auto& [field, messages] : errors) {
    json::array list;
    for (const auto& message : messages) list.emplace_back(json::string(message));
    out[field] = std::move(list);
  }
  return out;
}

std::string errors_as_python_repr(const FieldErrors& errors) {
  std::string out = "{";
  for (std::size_t i = 0; i < errors.size(); ++i) {
    if (i) out += ", ";
    append_python_string(out, errors[i].first);
    out += ": [";
    for (std::size_t j = 0; j < errors[i].second.size(); ++j) {
      if (j) out += ", ";
      append_python_string(out, errors[i].second[j]);
    }
    out += ']';
  }
  return out + "}";
}

std::string errors_as_python_repr(const json::object& errors) {
  std::string out;
  append_python_value(out, errors);
  return out;
}

}  // namespace oa::api
