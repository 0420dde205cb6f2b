#pragma once
// Reading a request to the options endpoints as OpenAlgo does (rest_api.md
// A.2, A.3): all fields checked, all errors reported together, in the
// endpoint's envelope:
//   V-ERRS   {"status":"error","message":"Validation error","errors":{...}}
//            optionsymbol, optionchain, syntheticfuture;
//   V-FAILED the same with "Validation failed": optiongreeks, multioptiongreeks.
// Adds to Schema what these schemas use and it lacks: fields that may be null,
// range and pattern checks with their own messages, and one list of nested
// objects whose errors are keyed by position.
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "api/options_reply.hpp"
#include "api/request_doc.hpp"
#include "api/schema.hpp"
#include "net/http_types.hpp"

namespace oa::api {

// A check on a field's converted value: the error message, or nullopt.
struct FieldCheck {
  std::string field;
  std::function<std::optional<std::string>(const boost::json::value&)> test;
};

// A required list of objects, each validated against `item`, of min..max items.
struct NestedList {
  std::string name;
  Schema item;
  std::size_t min_items = 1, max_items = 1;
  std::string length_message = {};  // the schema's own text for a length outside min..max
};

struct OptionsSchema {
  std::vector<Field> fields = {};          // in declared order
  std::vector<std::string> nullable = {};  // null reads as absent (allow_none)
  std::vector<FieldCheck> checks = {};
  std::optional<NestedList> list = {};  // declared after fields[list_position - 1]
  std::size_t list_position = 0;
};

enum class ErrorEnvelope { ValidationError, ValidationFailed };

// Checks in order: errors as a JSON object keyed by field (list positions as
// "0", "1", ...), unknown keys last. Values as validate() converts them, plus
// the list's items.
struct CheckedRequest {
  boost::json::object values;
  boost::json::object errors;
  bool ok() const { return errors.empty(); }
};
CheckedRequest check_request(const OptionsSchema& schema, const boost::json::object& input);

// Range(min, max) and Range(min) with marshmallow's messages.
FieldCheck range_check(std::string field, double min, std::optional<double> max);

// The validated fields, or nullopt after answering 400: a body that is not
// JSON (as every endpoint here does), JSON that is not an object (OpenAlgo's
// "_schema" error; the Greeks endpoints answer a null body with their own
// message), or schema errors.
// What the API docs show of it (api/request_doc.hpp).
RequestDoc documented(const OptionsSchema& schema);

std::optional<boost::json::object> read_options_request(const net::HttpRequest& request, const OptionsSchema& schema,
                                                        ErrorEnvelope envelope, KeyOrder order,
                                                        const net::Responder& respond);

}  // namespace oa::api
