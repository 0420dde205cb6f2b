#include "plugins/plugin_watch.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cstring>
#include <map>
#include <stdexcept>

#include <spdlog/spdlog.h>

#include "log/thread_name.hpp"

namespace oa::plugins {

PluginWatch::PluginWatch(const std::vector<std::filesystem::path>& dirs, Changed changed,
                         std::chrono::milliseconds settle)
    : changed_(std::move(changed)), settle_(settle) {
  inotify_fd_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  stop_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (inotify_fd_ < 0 || stop_fd_ < 0) throw std::runtime_error(std::string("inotify: ") + std::strerror(errno));
  for (const auto& dir : dirs) {
    int wd = inotify_add_watch(inotify_fd_, dir.c_str(), IN_CLOSE_WRITE | IN_MOVED_TO);
    if (wd >= 0) watches_.emplace_back(wd, dir);
  }
  thread_ = std::thread([this] {
    log::name_this_thread("oa-plugin-watch");
    run();
  });
}

PluginWatch::~PluginWatch() {
  std::uint64_t one = 1;
  if (write(stop_fd_, &one, sizeof one) < 0) spdlog::warn("plugin watch: cannot signal its thread");
  thread_.join();
  close(inotify_fd_);
  close(stop_fd_);
}

void PluginWatch::run() {
  using Clock = std::chrono::steady_clock;
  std::map<std::filesystem::path, Clock::time_point> pending;  // file -> last event
  alignas(inotify_event) char buffer[8192];
  for (;;) {
    pollfd fds[2] = {{inotify_fd_, POLLIN, 0}, {stop_fd_, POLLIN, 0}};
    int timeout = pending.empty() ? -1 : static_cast<int>(settle_.count() / 2 + 1);
    poll(fds, 2, timeout);
    if (fds[1].revents & POLLIN) return;
    ssize_t length;
    while ((length = read(inotify_fd_, buffer, sizeof buffer)) > 0) {
      for (char* at = buffer; at < buffer + length;) {
        auto* event = reinterpret_cast<inotify_event*>(at);
        at += sizeof(inotify_event) + event->len;
        if (event->len == 0) continue;
        std::filesystem::path name(event->name);
        if (name.extension() != ".so") continue;
        for (const auto& [wd, dir] : watches_)
          if (wd == event->wd) pending[dir / name] = Clock::now();
      }
    }
    for (auto it = pending.begin(); it != pending.end();) {
      if (Clock::now() - it->second < settle_) {
        ++it;
        continue;
      }
      changed_(it->first);
      it = pending.erase(it);
    }
  }
}

}  // namespace oa::plugins
