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

// The request, or nullopt after answering through `respond` (400 or 403).
std::optional<AuthorisedRequest> authorise(const net::HttpRequest& request, const Schema& schema,
                                           security::Accounts& accounts, const net::Responder& respond);

}  // namespace oa::api
