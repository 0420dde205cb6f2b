#include "api/request_body.hpp"

#include <cctype>
#include <string>

#include <boost/json/stream_parser.hpp>

#include "api/json_reply.hpp"

namespace oa::api {
namespace {

bool is_json_media_type(std::string_view content_type) {
  auto media = content_type.substr(0, content_type.find(';'));
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  std::string lower(media);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "application/json" || (lower.starts_with("application/") && lower.ends_with("+json"));
}

JsonBody failure(std::string message) { return {std::nullopt, error_reply(400, message)}; }

}  // namespace

JsonBody parse_json_body(const net::HttpRequest& request) {
  auto content_type = request.header("content-type");
  if (!is_json_media_type(content_type))
    return failure(content_type.empty() ? "Content-Type must be application/json (none was sent)"
                                        : "Content-Type must be application/json, not '" +
                                              std::string(content_type.substr(0, 100)) + "'");
  if (request.body.empty()) return failure("Request body is empty: expected a JSON object");
  boost::json::stream_parser parser;
  boost::system::error_code ec;
  std::size_t used = parser.write(request.body, ec);
  if (!ec) parser.finish(ec);
  if (ec) return failure("Malformed JSON at byte " + std::to_string(used) + ": " + ec.message());
  auto value = parser.release();
  if (!value.is_object()) return failure("Request body must be a JSON object");
  return {std::move(value.as_object()), {}};
}

}  // namespace oa::api
