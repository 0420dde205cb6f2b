#pragma once
// Order-family requests that carry a list of objects (basketorder's orders,
// margin's positions): validated with the options schemas' nested-list rules
// but answered in the order endpoints' envelope, the Python repr of the
// error dict with list positions as integers (rest_api.md A.3):
//   {"status":"error","message":"{'orders': {1: {'symbol': [...]}}}"}
#include <optional>

#include "api/auth_check.hpp"
#include "api/options_request.hpp"

namespace oa::api {

// The validated request and its user, or nullopt after answering 400 or 403.
std::optional<AuthorisedRequest> authorise_with_list(const net::HttpRequest& request, const OptionsSchema& schema,
                                                     security::Accounts& accounts, const net::Responder& respond,
                                                     ErrorStyle style);

}  // namespace oa::api
