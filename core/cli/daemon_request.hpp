#pragma once
// How a CLI command asks the running daemon: a POST to its own HTTP port on
// loopback with an API key read from the store. The CLI runs with access to
// the data directory, which is what the keys protect anyway.
#include <string>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "app/runtime.hpp"

namespace oa::cli {

struct DaemonReply {
  bool reachable = false;  // false: nothing answered (the daemon is not running); `error` says why
  int status = 0;
  boost::json::value body;  // the parsed JSON, or the raw text when it was not JSON
  std::string error;
};

// The administrator's API key; throws UsageError saying how to get one when there is none.
std::string admin_api_key(app::Runtime& runtime);
// `username`'s API key; throws UsageError when the user or the key does not exist.
std::string user_api_key(app::Runtime& runtime, const std::string& username);

// POSTs `request` with "apikey" set to `api_key` to `path` on the daemon.
DaemonReply ask_daemon(app::Runtime& runtime, const std::string& path, boost::json::object request,
                       const std::string& api_key);

}  // namespace oa::cli
