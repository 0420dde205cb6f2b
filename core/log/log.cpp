#include "log/log.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <vector>

#include <spdlog/sinks/daily_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "log/redacting_sink.hpp"

namespace oa::log {
namespace {

constexpr const char* kLoggerName = "openalgod";
constexpr const char* kPattern = "[%Y-%m-%d %H:%M:%S.%e] [%^%l%$] %v";

// One sink and one logger for the life of the process; init() only swaps the
// sink's children, so a logging thread never holds a logger that is replaced.
const std::shared_ptr<RedactingSink>& redacting_sink() {
  static const auto sink = std::make_shared<RedactingSink>();
  return sink;
}

const std::shared_ptr<spdlog::logger>& openalgod_logger() {
  static const auto logger = std::make_shared<spdlog::logger>(kLoggerName, redacting_sink());
  return logger;
}

std::optional<spdlog::level::level_enum> parse_level(std::string_view name) {
  std::string lower(name);
  std::ranges::transform(lower, lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lower == "debug") return spdlog::level::debug;
  if (lower == "info") return spdlog::level::info;
  if (lower == "warning" || lower == "warn") return spdlog::level::warn;
  if (lower == "error") return spdlog::level::err;
  if (lower == "critical") return spdlog::level::critical;
  return std::nullopt;
}

spdlog::color_mode console_color_mode(bool colors) {
  const char* force_color = std::getenv("FORCE_COLOR");
  const bool forced = force_color != nullptr && std::string_view(force_color) == "1";
  const bool use_colors = colors && (forced || isatty(STDERR_FILENO) == 1);
  return use_colors ? spdlog::color_mode::always : spdlog::color_mode::never;
}

spdlog::sink_ptr console_sink(bool colors) {
  auto sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>(console_color_mode(colors));
  sink->set_pattern(kPattern);
  return sink;
}

// Throws when the directory or file cannot be created.
spdlog::sink_ptr file_sink(const std::filesystem::path& dir, int retention_days) {
  std::filesystem::create_directories(dir);
  const auto max_files = static_cast<std::uint16_t>(std::clamp(retention_days, 0, 0xFFFF));
  auto sink = std::make_shared<spdlog::sinks::daily_file_sink_mt>(
      (dir / "openalgod.log").string(), 0, 0, false, max_files);
  sink->set_pattern(kPattern);
  return sink;
}

// The sinks `options` asks for. When the file cannot be opened, the reason goes
// to `file_error` and the console is used even if it was not asked for, so that
// the reason is seen somewhere.
std::vector<spdlog::sink_ptr> outputs_for(const Options& options, std::string& file_error) {
  std::vector<spdlog::sink_ptr> outputs;
  if (options.to_file) {
    try {
      outputs.push_back(file_sink(options.dir, options.retention_days));
    } catch (const std::exception& error) {
      file_error = error.what();
    }
  }
  if (options.to_console || !file_error.empty()) outputs.push_back(console_sink(options.colors));
  return outputs;
}

}  // namespace

void init(const Options& options) {
  std::string file_error;
  redacting_sink()->set_sinks(outputs_for(options, file_error));

  const auto& logger = openalgod_logger();
  if (spdlog::default_logger() != logger) spdlog::set_default_logger(logger);
  // Every record is flushed, as Python's handlers do: the lines written just
  // before a crash are the ones most needed.
  logger->flush_on(spdlog::level::trace);
  const auto level = parse_level(options.level);
  logger->set_level(level.value_or(spdlog::level::info));

  if (!level) {
    logger->warn("log: unknown level '{}', using INFO (expected DEBUG, INFO, WARNING, ERROR or CRITICAL)",
                 options.level);
  }
  if (!file_error.empty()) {
    logger->error("log: cannot write log files in '{}': {}; logging to the console only",
                  options.dir.string(), file_error);
  }
}

bool set_level(std::string_view level) {
  const auto parsed = parse_level(level);
  if (!parsed) return false;
  spdlog::default_logger()->set_level(*parsed);
  return true;
}

}  // namespace oa::log
