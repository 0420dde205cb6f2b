// bench_rest: an HTTP/1.1 load client for openalgod's REST API.
//
//   bench_rest --port 5000 --path /api/v1/ping --body '{"apikey":"..."}'
//              --connections 64 --seconds 10 [--threads 2] [--rate R]
//              [--daemon-pid PID]                          (one command line)
//
// Each connection keeps at most one request in flight (keep-alive, no
// pipelining). Without --rate the loop is closed: a connection sends its next
// request as soon as the answer arrives, which measures throughput; at
// saturation its latency is only queueing (Little's law: connections /
// throughput). With --rate the loop is open, as in wrk2: R requests per second
// in total, each connection sending on a fixed schedule, and each latency is
// measured from the time the request was *scheduled*, so a slow answer that
// delays the next sends counts against those too (no coordinated omission).
// It reports its own CPU time per answered request and, with --daemon-pid,
// the daemon's (all its threads). Prints one line of name=value pairs.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;  // CLOCK_MONOTONIC, as the timerfd below

struct Options {
  int port = 5000;
  std::string path = "/api/v1/ping";
  std::string body;
  int connections = 1;
  int threads = 1;
  double seconds = 5;
  double rate = 0;  // requests/s in total; 0 = closed loop
  int daemon_pid = 0;
};

struct Connection {
  int fd = -1;
  std::string in;
  bool waiting = false;         // a request is in flight
  Clock::time_point scheduled;  // when the request in flight (or the next one) was due
};

struct ThreadResult {
  std::vector<std::uint32_t> latencies_us;
  std::uint64_t errors = 0;
};

int connect_loopback(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    std::perror("connect");
    std::exit(1);
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

std::string make_request(const Options& options) {
  std::string method = options.body.empty() ? "GET" : "POST";
  std::string request = method + " " + options.path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  if (!options.body.empty()) request += "Content-Type: application/json\r\n";
  request += "Content-Length: " + std::to_string(options.body.size()) + "\r\n\r\n" + options.body;
  return request;
}

// Length of one complete response at the front of `in`, or 0 if incomplete.
std::size_t complete_response(const std::string& in, int& status) {
  auto header_end = in.find("\r\n\r\n");
  if (header_end == std::string::npos) return 0;
  status = std::atoi(in.c_str() + 9);
  auto length_at = in.find("Content-Length: ");
  if (length_at == std::string::npos || length_at > header_end) length_at = in.find("content-length: ");
  std::size_t length = length_at < header_end ? std::strtoul(in.c_str() + length_at + 16, nullptr, 10) : 0;
  std::size_t total = header_end + 4 + length;
  return in.size() >= total ? total : 0;
}

void send_request(Connection& connection, const std::string& request) {
  connection.waiting = true;
  if (write(connection.fd, request.data(), request.size()) != static_cast<ssize_t>(request.size())) {
    std::perror("write");
    std::exit(1);
  }
}

void arm(int timer_fd, Clock::time_point at) {
  auto since_epoch = std::chrono::duration_cast<std::chrono::nanoseconds>(at.time_since_epoch()).count();
  itimerspec spec{};
  spec.it_value.tv_sec = since_epoch / 1'000'000'000;
  spec.it_value.tv_nsec = std::max<long long>(1, since_epoch % 1'000'000'000);
  timerfd_settime(timer_fd, TFD_TIMER_ABSTIME, &spec, nullptr);
}

// One thread's share of the connections; `rate` is this thread's share of
// --rate (0 = closed loop). Latency runs from `scheduled`: the send time in the
// closed loop, the due time in the open loop.
ThreadResult run_thread(const Options& options, int connections, double rate, Clock::time_point start,
                        Clock::time_point until) {
  ThreadResult result;
  const std::string request = make_request(options);
  const bool open_loop = rate > 0;
  // Each connection sends every `interval`; their phases are spread evenly.
  const auto interval = open_loop ? std::chrono::duration_cast<Clock::duration>(
                                        std::chrono::duration<double>(connections / rate))
                                  : Clock::duration::zero();
  int epoll_fd = epoll_create1(0);
  int timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
  const auto timer_tag = std::numeric_limits<std::uint64_t>::max();
  epoll_event timer_event{EPOLLIN, {.u64 = timer_tag}};
  epoll_ctl(epoll_fd, EPOLL_CTL_ADD, timer_fd, &timer_event);
  std::vector<Connection> pool(static_cast<std::size_t>(connections));
  for (std::size_t i = 0; i < pool.size(); ++i) {
    pool[i].fd = connect_loopback(options.port);
    epoll_event event{EPOLLIN, {.u64 = i}};
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, pool[i].fd, &event);
    pool[i].scheduled = start + interval * static_cast<long>(i) / static_cast<long>(pool.size());
  }
  std::this_thread::sleep_until(start);
  std::vector<epoll_event> events(pool.size() + 1);
  char buffer[65536];
  for (auto now = Clock::now(); now < until; now = Clock::now()) {
    // Send what is due; in the open loop, arm the timer for the next due send.
    auto next_due = Clock::time_point::max();
    for (auto& connection : pool) {
      if (connection.waiting) continue;
      if (!open_loop) connection.scheduled = now;
      if (connection.scheduled <= now) send_request(connection, request);
      else next_due = std::min(next_due, connection.scheduled);
    }
    if (next_due != Clock::time_point::max()) arm(timer_fd, next_due);
    int ready = epoll_wait(epoll_fd, events.data(), static_cast<int>(events.size()), 100);
    for (int e = 0; e < ready; ++e) {
      auto tag = events[static_cast<std::size_t>(e)].data.u64;
      if (tag == timer_tag) {
        std::uint64_t expirations;
        (void)!read(timer_fd, &expirations, sizeof expirations);
        continue;
      }
      auto& connection = pool[tag];
      ssize_t n = read(connection.fd, buffer, sizeof buffer);
      if (n <= 0) {
        std::fprintf(stderr, "connection closed by the server\n");
        std::exit(1);
      }
      connection.in.append(buffer, static_cast<std::size_t>(n));
      int status = 0;
      if (auto size = complete_response(connection.in, status)) {
        auto took = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - connection.scheduled);
        result.latencies_us.push_back(static_cast<std::uint32_t>(took.count()));
        if (status != 200) ++result.errors;
        connection.in.erase(0, size);
        connection.waiting = false;
        connection.scheduled += interval;
      }
    }
  }
  for (auto& connection : pool) close(connection.fd);
  close(timer_fd);
  close(epoll_fd);
  return result;
}

// CPU time of every thread of process `pid` so far, in nanoseconds (from
// schedstat, which counts in nanoseconds, unlike /proc/PID/stat's ticks).
double process_cpu_ns(int pid) {
  double total = 0;
  std::error_code ec;
  for (const auto& task : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec)) {
    std::ifstream schedstat(task.path() / "schedstat");
    double on_cpu = 0;
    if (schedstat >> on_cpu) total += on_cpu;
  }
  return total;
}

double own_cpu_ns() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto ns = [](const timeval& time) { return time.tv_sec * 1e9 + time.tv_usec * 1e3; };
  return ns(usage.ru_utime) + ns(usage.ru_stime);
}

Options parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string name = argv[i], value = argv[i + 1];
    if (name == "--port") options.port = std::stoi(value);
    else if (name == "--path") options.path = value;
    else if (name == "--body") options.body = value;
    else if (name == "--connections") options.connections = std::stoi(value);
    else if (name == "--threads") options.threads = std::stoi(value);
    else if (name == "--seconds") options.seconds = std::stod(value);
    else if (name == "--rate") options.rate = std::stod(value);
    else if (name == "--daemon-pid") options.daemon_pid = std::stoi(value);
    else {
      std::fprintf(stderr, "unknown option %s\n", name.c_str());
      std::exit(2);
    }
  }
  options.threads = std::max(1, std::min(options.threads, options.connections));
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  Options options = parse(argc, argv);
  // Connections open before the clock starts.
  auto start = Clock::now() + std::chrono::milliseconds(50 + 2 * options.connections);
  auto until = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(options.seconds));
  std::vector<ThreadResult> results(static_cast<std::size_t>(options.threads));
  std::vector<std::thread> threads;
  for (int t = 0; t < options.threads; ++t) {
    int share = options.connections / options.threads + (t < options.connections % options.threads ? 1 : 0);
    double rate = options.rate * share / options.connections;
    threads.emplace_back(
        [&, t, share, rate] { results[static_cast<std::size_t>(t)] = run_thread(options, share, rate, start, until); });
  }
  std::this_thread::sleep_until(start);
  double cpu_before = options.daemon_pid ? process_cpu_ns(options.daemon_pid) : 0;
  double own_before = own_cpu_ns();
  for (auto& thread : threads) thread.join();
  double cpu_after = options.daemon_pid ? process_cpu_ns(options.daemon_pid) : 0;
  double own_after = own_cpu_ns();
  double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<std::uint32_t> all;
  std::uint64_t errors = 0;
  for (auto& result : results) {
    all.insert(all.end(), result.latencies_us.begin(), result.latencies_us.end());
    errors += result.errors;
  }
  std::sort(all.begin(), all.end());
  auto percentile = [&all](double p) { return all.empty() ? 0u : all[std::min(all.size() - 1, static_cast<std::size_t>(p * all.size()))]; };
  auto per_request_us = [&all](double ns) { return all.empty() ? 0 : ns / 1000.0 / static_cast<double>(all.size()); };
  std::printf("requests=%zu rps=%.0f p50_us=%u p99_us=%u p999_us=%u errors=%llu daemon_cpu_us=%.1f client_cpu_us=%.1f\n",
              all.size(), all.size() / elapsed, percentile(0.50), percentile(0.99), percentile(0.999),
              static_cast<unsigned long long>(errors), per_request_us(cpu_after - cpu_before),
              per_request_us(own_after - own_before));
  return errors == 0 ? 0 : 1;
}
