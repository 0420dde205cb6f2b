#pragma once
// Runs the real openalgod binary for integration tests: a fresh data directory,
// a free port, stdout captured; readiness is polled with a deadline, never slept for.
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace oa::test {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `openalgod args...` to completion with `input` on stdin.
CommandResult run_openalgod(const std::vector<std::string>& args, const std::string& input = "",
                            const std::map<std::string, std::string>& env = {});

// A unique, empty directory under the system temp dir, removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

class Daemon {
 public:
  // Starts `openalgod serve --data-dir DIR --port 0 --set PLUGIN_DIRS=build/plugins extra...`
  // and waits until it
  // prints its listening line (throws with its output if it exits or 30 s pass).
  explicit Daemon(const std::filesystem::path& data_dir, std::vector<std::string> extra_args = {},
                  std::map<std::string, std::string> env = {});
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  std::uint16_t port() const { return port_; }
  // The WebSocket feed's own port (WEBSOCKET_PORT=0 is passed: a free one).
  std::uint16_t ws_port() const { return ws_port_; }
  void signal(int signal_number) const;
  // Sends SIGTERM and waits; returns the exit code (or 128+signal).
  int stop(std::chrono::seconds deadline = std::chrono::seconds(30));
  // Everything it printed on stdout so far.
  std::string output();
  // Polls stdout until `text` appears or the deadline passes.
  bool wait_for_output(const std::string& text, std::chrono::seconds deadline = std::chrono::seconds(10));

 private:
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::uint16_t port_ = 0;
  std::uint16_t ws_port_ = 0;
  std::string output_;
  bool drain_output(std::chrono::milliseconds wait);
};

inline std::filesystem::path openalgod_binary() { return OPENALGOD_BINARY; }
// The built plugins (build/plugins), which every daemon started here loads.
inline std::string plugin_dirs_flag() { return std::string("PLUGIN_DIRS=") + OPENALGOD_PLUGIN_DIR; }

}  // namespace oa::test
