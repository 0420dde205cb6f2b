#pragma once
// The OpenAPI 3 document of the REST API, generated from the router's own
// registrations and the request schemas attached to them: an endpoint appears
// as soon as it is registered, with the fields its validator checks.
#include <filesystem>

#include <boost/json/object.hpp>

#include "api/router.hpp"

namespace oa::api {

// Every route under /api/, at the moment of the call.
boost::json::object openapi_document(const Router& router);

// GET /api/docs/openapi.json (the document, built on first use, after every
// route is registered) and GET /api/docs (WEB_DIR/docs/index.html, a page
// that renders it without anything from outside). Returns false, adding only
// the document, when that page is missing.
bool add_docs_routes(Router& router, const std::filesystem::path& web_dir);

}  // namespace oa::api
