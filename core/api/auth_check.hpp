#pragma once
// The steps every authenticated JSON endpoint starts with: parse the body,
// validate it (errors as OpenAlgo's V-OBJ field map), check the API key.
#include <cstdint>
#include <optional>

#include <boost/json/object.hpp>

#include "api/schema.hpp"
#include "net/http_types.hpp"
#include "security/accounts.hpp"

namespace oa::api {

struct AuthorisedRequest {
  std::int64_t user_id = 0;
  boost::json::object values;  // validated and converted, "apikey" included
};

// How a schema failure is reported (rest_api.md A.3): a JSON field map
// (V-OBJ) or the Python repr of it as a string (V-STR, the order endpoints),
// the latter with "mode":"analyze" where OpenAlgo adds it in analyzer mode.
enum class ErrorStyle { FieldMap, PythonRepr, PythonReprAnalyze };

// The request, or nullopt after answering through `respond` (400 or 403).
std::optional<AuthorisedRequest> authorise(const net::HttpRequest& request, const Schema& schema,
                                           security::Accounts& accounts, const net::Responder& respond,
                                           ErrorStyle style = ErrorStyle::FieldMap);

// The user whose API key `values` (already validated) carries, or nullopt
// after answering 403.
std::optional<AuthorisedRequest> with_user(boost::json::object values, security::Accounts& accounts,
                                           const net::Responder& respond);

}  // namespace oa::api
