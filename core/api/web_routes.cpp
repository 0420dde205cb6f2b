#include "api/web_routes.hpp"

#include <fstream>
#include <map>
#include <memory>
#include <sstream>

namespace oa::api {
namespace {

std::string content_type_for(const std::filesystem::path& file) {
  static const std::map<std::string, std::string> types{
      {".html", "text/html; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"}, {".json", "application/json"},
      {".svg", "image/svg+xml"}, {".png", "image/png"}, {".ico", "image/x-icon"},
      {".txt", "text/plain; charset=utf-8"}};
  auto found = types.find(file.extension().string());
  return found == types.end() ? "application/octet-stream" : found->second;
}

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

Handler serve_bytes(const std::filesystem::path& file) {
  auto response = std::make_shared<const net::HttpResponse>(
      net::HttpResponse{200, content_type_for(file), read_file(file), {{"Cache-Control", "no-cache"}}});
  return [response](net::HttpRequest&&, net::Responder respond) { respond(*response); };
}

}  // namespace

std::size_t add_web_routes(Router& router, const std::filesystem::path& web_dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(web_dir, ec)) return 0;
  std::size_t count = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(web_dir, ec)) {
    if (!entry.is_regular_file()) continue;
    auto relative = std::filesystem::relative(entry.path(), web_dir).generic_string();
    router.add({"GET", "/" + relative, "Web UI file", serve_bytes(entry.path()), RateClass::None});
    if (relative == "index.html") router.add({"GET", "/", "Web UI", serve_bytes(entry.path()), RateClass::None});
    ++count;
  }
  return count;
}

}  // namespace oa::api
