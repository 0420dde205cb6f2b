#pragma once
#include <filesystem>

#include "api/router.hpp"

namespace oa::api {

// Registers GET /<file> for every file under `web_dir`, and GET / for its
// index.html, read once at start. Only files present at start are served, so
// no request path can reach outside the directory. Returns the number of files.
std::size_t add_web_routes(Router& router, const std::filesystem::path& web_dir);

}  // namespace oa::api
