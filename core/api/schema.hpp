#pragma once
// Request validation with OpenAlgo's (marshmallow's) semantics and messages:
// every field checked, all errors collected, unknown keys rejected, defaults
// applied only when a key is absent (rest_api.md A.3).
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace oa::api {

enum class FieldKind { String, Float, Integer, Boolean };

struct Field {
  std::string name;
  FieldKind kind = FieldKind::String;
  bool required = true;
  std::optional<boost::json::value> default_value;  // used when the key is absent
  std::vector<std::string> one_of;                  // allowed values (strings), empty = any
  std::optional<std::pair<std::size_t, std::size_t>> length;  // for strings
  std::string length_message;  // a schema's own text for a length outside `length`
  std::optional<double> minimum;  // for numbers, with range_message when below (or at, if exclusive)
  bool exclusive_minimum = false;
  std::string range_message;
  std::string choices_message;              // replaces "Must be one of: ..." when set
  bool upper_case = false;                  // strings are upper-cased before the choice check
  bool allow_null = false;                  // null is kept as null
  std::optional<boost::json::value> empty;  // what an empty string stands for
  std::optional<std::size_t> min_length;    // "Shorter than minimum length N."

  // Declared as Field::text("symbol").length_between(1, 50), and so on.
  static Field text(std::string name) { return Field(std::move(name), FieldKind::String); }
  static Field number(std::string name) { return Field(std::move(name), FieldKind::Float); }
  static Field integer(std::string name) { return Field(std::move(name), FieldKind::Integer); }
  static Field boolean(std::string name) { return Field(std::move(name), FieldKind::Boolean); }

  Field optional() && { required = false; return std::move(*this); }
  Field defaults_to(boost::json::value value) && {
    required = false;
    default_value = std::move(value);
    return std::move(*this);
  }
  Field choices(std::vector<std::string> allowed) && { one_of = std::move(allowed); return std::move(*this); }
  Field choices(std::vector<std::string> allowed, std::string message) && {
    one_of = std::move(allowed);
    choices_message = std::move(message);
    return std::move(*this);
  }
  Field upper_cased() && { upper_case = true; return std::move(*this); }
  Field nullable() && { allow_null = true; return std::move(*this); }
  Field empty_as(boost::json::value value) && { empty = std::move(value); return std::move(*this); }
  Field at_least_chars(std::size_t min) && { min_length = min; return std::move(*this); }
  Field length_between(std::size_t min, std::size_t max, std::string message = {}) && {
    length = {{min, max}};
    length_message = std::move(message);
    return std::move(*this);
  }
  // OpenAlgo's Range validators carry their own messages.
  Field at_least(double min, std::string message) && {
    minimum = min;
    range_message = std::move(message);
    return std::move(*this);
  }
  Field above(double min, std::string message) && {
    minimum = min;
    exclusive_minimum = true;
    range_message = std::move(message);
    return std::move(*this);
  }

 private:
  Field(std::string field_name, FieldKind field_kind) : name(std::move(field_name)), kind(field_kind) {}
};

// Field name -> messages, in the schema's field order, unknown keys last.
using FieldErrors = std::vector<std::pair<std::string, std::vector<std::string>>>;

struct Schema {
  std::vector<Field> fields;
  bool reject_unknown = true;  // false: unknown keys are dropped (marshmallow's EXCLUDE)
  // marshmallow's post_load: runs once every field passed and may adjust the
  // values; the errors it returns are reported alone.
  std::function<FieldErrors(boost::json::object& values)> after_fields = {};
};



struct Validated {
  boost::json::object values;  // converted values (Float as double, Integer as int64, Boolean as bool)
  FieldErrors errors;
  bool ok() const { return errors.empty(); }
};

Validated validate(const Schema& schema, const boost::json::object& input);

// {"field":["msg"]} — OpenAlgo's V-OBJ family.
boost::json::value errors_as_json(const FieldErrors& errors);
// "{'field': ['msg']}" — OpenAlgo's V-STR family (a Python dict repr).
std::string errors_as_python_repr(const FieldErrors& errors);
// The same for a JSON field map that may nest a list's item errors, keyed by
// position: {"orders":{"1":{"symbol":[...]}}} -> "{'orders': {1: {'symbol': [...]}}}".
std::string errors_as_python_repr(const boost::json::object& errors);

}  // namespace oa::api
