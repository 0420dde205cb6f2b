#include "api/openapi.hpp"

#include <cctype>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "api/json_reply.hpp"

namespace oa::api {
namespace {

namespace json = boost::json;

constexpr std::string_view kApiPrefix = "/api/";

// "/api/v1/ticker/<symbol>" -> "/api/v1/ticker/{symbol}", and the placeholder's name.
std::pair<std::string, std::string> openapi_path(const std::string& path) {
  auto open = path.rfind("/<");
  if (open == std::string::npos || path.back() != '>') return {path, {}};
  auto name = path.substr(open + 2, path.size() - open - 3);
  return {path.substr(0, open) + "/{" + name + "}", name};
}

std::string operation_id(const Route& route) {
  std::string id = route.method;
  for (char c : route.path) id += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return id;
}

json::object error_response(const char* description) {
  return {{"description", description},
          {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
}

json::object responses() {
  json::object success{{"type", "object"},
                       {"properties", {{"status", {{"type", "string"}, {"enum", json::array{"success"}}}}}}};
  return {{"200", {{"description", "Success: {\"status\":\"success\", ...}"},
                   {"content", {{"application/json", {{"schema", std::move(success)}}}}}}},
          {"400", error_response("Invalid request: bad JSON, a field's error, an unknown field")},
          {"403", error_response("Invalid openalgo apikey")},
          {"429", error_response("Over the endpoint's rate limit")},
          {"500", error_response("The broker or the daemon failed")},
          {"501", error_response("The active broker lacks this capability")}};
}

json::array query_parameters(const json::object& schema) {
  json::array out;
  const auto* required = schema.if_contains("required");
  auto is_required = [required](std::string_view name) {
    if (!required) return false;
    for (const auto& entry : required->as_array())
      if (entry.as_string() == name) return true;
    return false;
  };
  for (const auto& [name, property] : schema.at("properties").as_object())
    out.push_back(json::object{{"name", name}, {"in", "query"}, {"required", is_required(name)},
                               {"schema", property}});
  return out;
}

json::object operation(const Route& route, const std::string& placeholder) {
  json::object out{{"summary", route.summary}, {"operationId", operation_id(route)}, {"responses", responses()}};
  json::array parameters;
  if (!placeholder.empty())
    parameters.push_back(
        json::object{{"name", placeholder}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}});
  if (route.request.place == RequestDoc::Place::Query)
    for (auto& parameter : query_parameters(route.request.schema)) parameters.push_back(std::move(parameter));
  if (!parameters.empty()) out["parameters"] = std::move(parameters);
  if (route.request.place == RequestDoc::Place::JsonBody)
    out["requestBody"] = {{"required", true},
                          {"content", {{"application/json", {{"schema", route.request.schema}}}}}};
  return out;
}

json::object error_schema() {
  return {{"type", "object"},
          {"required", json::array{"status", "message"}},
          {"properties",
           {{"status", {{"type", "string"}, {"enum", json::array{"error"}}}},
            {"message", {{"description", "A sentence, or the field errors as an object or their Python repr"}}},
            {"mode", {{"type", "string"}, {"description", "\"analyze\" where OpenAlgo adds it"}}},
            {"errors", {{"type", "object"}}}}}};
}

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return {};
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

}  // namespace

json::object openapi_document(const Router& router) {
  json::object paths;
  for (const auto& route : router.routes()) {
    if (!route.path.starts_with(kApiPrefix)) continue;
    auto [path, placeholder] = openapi_path(route.path);
    std::string method(route.method);
    for (auto& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto& item = paths[path];
    if (!item.is_object()) item.emplace_object();
    item.as_object()[method] = operation(route, placeholder);
  }
  return {{"openapi", "3.0.3"},
          {"info",
           {{"title", "openalgod REST API"},
            {"version", "1"},
            {"description",
             "OpenAlgo's REST API, drop-in compatible. POST endpoints take a JSON body with the API key in "
             "\"apikey\"; GET endpoints take it as a query parameter. Every path also answers with a trailing "
             "slash."}}},
          {"paths", std::move(paths)},
          {"components", {{"schemas", {{"Error", error_schema()}}}}}};
}

bool add_docs_routes(Router& router, const std::filesystem::path& web_dir) {
  auto document = std::make_shared<std::pair<std::once_flag, std::string>>();
  router.add({"GET", "/api/docs/openapi.json", "This API's OpenAPI 3 document",
              [&router, document](net::HttpRequest&&, net::Responder respond) {
                std::call_once(document->first,
                               [&] { document->second = json::serialize(openapi_document(router)); });
                respond(net::HttpResponse{200, "application/json", document->second, {{"Cache-Control", "no-cache"}}});
              },
              RateClass::None});
  auto page = read_file(web_dir / "docs" / "index.html");
  if (page.empty()) return false;
  router.add({"GET", "/api/docs", "This API's documentation, rendered from /api/docs/openapi.json",
              [page = std::move(page)](net::HttpRequest&&, net::Responder respond) {
                respond(net::HttpResponse{200, "text/html; charset=utf-8", page, {{"Cache-Control", "no-cache"}}});
              },
              RateClass::None});
  return true;
}

}  // namespace oa::api
