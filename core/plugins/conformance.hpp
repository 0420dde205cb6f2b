#pragma once
// The ABI conformance suite any plugin .so can be run through
// (`tools/plugin-check path/to/x.so`): it loads the plugin the way the daemon
// does and checks that every capability its manifest declares answers in
// OpenAlgo's canonical shape, and that errors come back as statuses with a
// message rather than crashes or empty answers.
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace oa::net {
class HttpClient;
class WsClient;
}  // namespace oa::net

namespace oa::plugins {

struct CheckResult {
  std::string name;
  enum class Verdict { Pass, Fail, Skip } verdict = Verdict::Pass;
  std::string detail;
};

struct ConformanceOptions {
  std::filesystem::path scratch_dir;  // for the loaded copy
  // Plugin settings (e.g. <ID>_API_URL pointing at a fake upstream).
  std::function<std::optional<std::string>(const std::string&)> setting;
  net::HttpClient* http = nullptr;  // upstream clients for plugins that talk to a (fake) broker
  net::WsClient* ws = nullptr;
  // For a plugin with a login: the callback's fields as a JSON object (e.g.
  // {"request_token": "..."} for a fake upstream). The checks then run with
  // the session it returns; empty = no login, calls run without a session.
  std::string login_fields;
};

std::vector<CheckResult> check_plugin(const std::filesystem::path& file, const ConformanceOptions& options);

}  // namespace oa::plugins
