#include "api/request_body.hpp"

#include <string>

#include <boost/json/stream_parser.hpp>

#include "api/json_reply.hpp"
#include "net/text_case.hpp"

namespace oa::api {
namespace {

bool is_json_media_type(std::string_view content_type) {
  auto media = content_type.substr(0, content_type.find(';'));
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  constexpr std::string_view kType = "application/", kSuffix = "+json";
  using net::equals_ignoring_case;
  return equals_ignoring_case(media, "application/json") ||
         (media.size() > kType.size() + kSuffix.size() && equals_ignoring_case(media.substr(0, kType.size()), kType) &&
          equals_ignoring_case(media.substr(media.size() - kSuffix.size()), kSuffix));
}

JsonBody failure(std::string message) { return {std::nullopt, error_reply(400, message)}; }

}  // namespace

JsonBody parse_json_body(const net::HttpRequest& request, boost::json::storage_ptr storage) {
  auto content_type = request.header("content-type");
  if (!is_json_media_type(content_type))
    return failure(content_type.empty() ? "Content-Type must be application/json (none was sent)"
                                        : "Content-Type must be application/json, not '" +
                                              std::string(content_type.substr(0, 100)) + "'");
  if (request.body.empty()) return failure("Request body is empty: expected a JSON object");
  // The parser's own stack starts in this buffer: no allocation for a body
  // of ordinary depth.
  unsigned char stack[1024];
  boost::json::stream_parser parser({}, {}, stack, sizeof stack);
  parser.reset(std::move(storage));
  boost::system::error_code ec;
  std::size_t used = parser.write(request.body, ec);
  if (!ec) parser.finish(ec);
  if (ec) return failure("Malformed JSON at byte " + std::to_string(used) + ": " + ec.message());
  auto value = parser.release();
  if (!value.is_object()) return failure("Request body must be a JSON object");
  return {std::move(value.as_object()), {}};
}

}  // namespace oa::api
