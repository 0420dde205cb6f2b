#pragma once
// Watches the plugin directories (inotify) and reports a plugin file that was
// written or moved into place, once it has been quiet for a moment, so that a
// copy in progress is never picked up half-written.
#include <chrono>
#include <filesystem>
#include <functional>
#include <thread>
#include <vector>

namespace oa::plugins {

class PluginWatch {
 public:
  using Changed = std::function<void(const std::filesystem::path& file)>;
  // Throws std::runtime_error when inotify cannot be set up.
  PluginWatch(const std::vector<std::filesystem::path>& dirs, Changed changed,
              std::chrono::milliseconds settle = std::chrono::milliseconds(500));
  ~PluginWatch();
  PluginWatch(const PluginWatch&) = delete;
  PluginWatch& operator=(const PluginWatch&) = delete;

 private:
  void run();

  int inotify_fd_ = -1;
  int stop_fd_ = -1;  // eventfd that wakes the thread for shutdown
  std::vector<std::pair<int, std::filesystem::path>> watches_;
  Changed changed_;
  std::chrono::milliseconds settle_;
  std::thread thread_;
};

}  // namespace oa::plugins
