#pragma once
// Logging for the whole daemon. After init(), code logs through spdlog's
// default logger (spdlog::info(...) and friends); every record passes through
// redact() before any console or file sees it.
#include <filesystem>
#include <string>
#include <string_view>

#include "log/redact.hpp"

namespace oa::log {

struct Options {
  // DEBUG, INFO, WARNING (or WARN), ERROR or CRITICAL, in any case.
  std::string level = "INFO";
  // Console output goes to stderr.
  bool to_console = true;
  // Colours on the console, used only when stderr is a terminal or the
  // environment has FORCE_COLOR=1.
  bool colors = true;
  bool to_file = true;
  // Files are <dir>/openalgod_YYYY-MM-DD.log, a new one at local midnight.
  // "log" is OpenAlgo's LOG_DIR default.
  std::filesystem::path dir = "log";
  // How many daily files to keep; 0 or less keeps them all.
  int retention_days = 14;
};

// Makes the logger "openalgod" (console on stderr and the daily file) the
// spdlog default. Safe to call again, also while other threads log: the
// logger stays, its outputs and level are replaced (SIGHUP reload, tests).
// An unknown level falls back to INFO, and a log directory that cannot be
// written falls back to the console only; both are reported as log lines.
void init(const Options& options);

// Sets the default logger's level; false, changing nothing, when `level` is
// not one of the names Options::level accepts.
bool set_level(std::string_view level);

}  // namespace oa::log
