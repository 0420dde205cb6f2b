#include "support/daemon_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <random>
#include <regex>
#include <stdexcept>
#include <thread>

namespace oa::test {
namespace {

struct Pipe {
  int read_end = -1, write_end = -1;
  Pipe() {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    read_end = fds[0], write_end = fds[1];
  }
};

pid_t spawn(const std::vector<std::string>& args, const std::map<std::string, std::string>& env, int in_fd,
            int out_fd, int err_fd) {
  std::vector<std::string> argv_storage{openalgod_binary().string()};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  pid_t pid = fork();
  if (pid != 0) return pid;
  dup2(in_fd, 0), dup2(out_fd, 1), dup2(err_fd, 2);
  for (const auto& [name, value] : env) setenv(name.c_str(), value.c_str(), 1);
  setenv("LOG_COLORS", "false", 1);
  std::vector<char*> argv;
  for (auto& arg : argv_storage) argv.push_back(arg.data());
  argv.push_back(nullptr);
  execv(argv[0], argv.data());
  _exit(127);
}

std::string read_all(int fd) {
  std::string out;
  char buffer[4096];
  ssize_t n;
  while ((n = read(fd, buffer, sizeof buffer)) > 0) out.append(buffer, static_cast<std::size_t>(n));
  return out;
}

int exit_code_of(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

CommandResult run_openalgod(const std::vector<std::string>& args, const std::string& input,
                            const std::map<std::string, std::string>& env) {
  Pipe in, out, err;
  pid_t pid = spawn(args, env, in.read_end, out.write_end, err.write_end);
  close(in.read_end), close(out.write_end), close(err.write_end);
  if (!input.empty() && write(in.write_end, input.data(), input.size()) < 0) {}
  close(in.write_end);
  CommandResult result;
  std::thread err_reader([&] { result.err = read_all(err.read_end); });
  result.out = read_all(out.read_end);
  err_reader.join();
  close(out.read_end), close(err.read_end);
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = exit_code_of(status);
  return result;
}

TempDir::TempDir() {
  static std::atomic<int> counter{0};
  std::random_device random;
  path_ = std::filesystem::temp_directory_path() /
          ("openalgod-test-" + std::to_string(getpid()) + "-" + std::to_string(counter++) + "-" +
           std::to_string(random()));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

Daemon::Daemon(const std::filesystem::path& data_dir, std::vector<std::string> extra_args,
               std::map<std::string, std::string> env) {
  std::vector<std::string> args{"serve", "--data-dir", data_dir.string(), "--port", "0", "--set", plugin_dirs_flag(),
                                "--set", "WEBSOCKET_PORT=0"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  Pipe out;
  int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
  pid_ = spawn(args, env, devnull, out.write_end, devnull);
  close(out.write_end), close(devnull);
  stdout_fd_ = out.read_end;
  static const std::regex listening(R"(listening on https?://[^:\s]+:(\d+))");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  std::smatch match;
  while (!std::regex_search(output_, match, listening)) {
    if (std::chrono::steady_clock::now() > deadline || !drain_output(std::chrono::milliseconds(200))) {
      stop(std::chrono::seconds(5));
      throw std::runtime_error("openalgod did not start; it printed:\n" + output_);
    }
  }
  port_ = static_cast<std::uint16_t>(std::stoi(match[1]));
  static const std::regex feed(R"(websocket feed on ws://[^:\s]+:(\d+))");
  if (std::regex_search(output_, match, feed)) ws_port_ = static_cast<std::uint16_t>(std::stoi(match[1]));
}

Daemon::~Daemon() {
  if (pid_ > 0) stop(std::chrono::seconds(10));
  if (stdout_fd_ >= 0) close(stdout_fd_);
}

bool Daemon::drain_output(std::chrono::milliseconds wait) {
  pollfd fd{stdout_fd_, POLLIN, 0};
  if (poll(&fd, 1, static_cast<int>(wait.count())) <= 0) return true;  // nothing yet, still alive
  char buffer[4096];
  ssize_t n = read(stdout_fd_, buffer, sizeof buffer);
  if (n <= 0) return false;  // closed: the process is gone
  output_.append(buffer, static_cast<std::size_t>(n));
  return true;
}

std::string Daemon::output() {
  while (true) {
    auto before = output_.size();
    drain_output(std::chrono::milliseconds(0));
    if (output_.size() == before) return output_;
  }
}

bool Daemon::wait_for_output(const std::string& text, std::chrono::seconds deadline) {
  auto until = std::chrono::steady_clock::now() + deadline;
  while (output_.find(text) == std::string::npos) {
    if (std::chrono::steady_clock::now() > until || !drain_output(std::chrono::milliseconds(100))) return false;
  }
  return true;
}

void Daemon::signal(int signal_number) const { kill(pid_, signal_number); }

int Daemon::stop(std::chrono::seconds deadline) {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  auto until = std::chrono::steady_clock::now() + deadline;
  int status = 0;
  while (waitpid(pid_, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > until) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
      break;
    }
    drain_output(std::chrono::milliseconds(20));
  }
  pid_ = -1;
  return exit_code_of(status);
}

}  // namespace oa::test
