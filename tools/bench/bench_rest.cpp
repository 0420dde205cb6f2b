// bench_rest: a closed-loop HTTP/1.1 load client for openalgod's REST API.
//
//   bench_rest --port 5000 --path /api/v1/ping --body '{"apikey":"..."}'
//              --connections 64 --seconds 10 [--threads 2]   (one command line)
//
// Each connection keeps exactly one request in flight (keep-alive), so the
// latency it records is what one client waiting on each answer sees. Prints
// one line: requests/s, p50, p99, p99.9 in microseconds, and errors.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  int port = 5000;
  std::string path = "/api/v1/ping";
  std::string body;
  int connections = 1;
  int threads = 1;
  double seconds = 5;
};

struct Connection {
  int fd = -1;
  std::string in;
  Clock::time_point sent;
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
  connection.sent = Clock::now();
  if (write(connection.fd, request.data(), request.size()) != static_cast<ssize_t>(request.size())) {
    std::perror("write");
    std::exit(1);
  }
}

ThreadResult run_thread(const Options& options, int connections, Clock::time_point until) {
  ThreadResult result;
  std::string request = make_request(options);
  int epoll_fd = epoll_create1(0);
  std::vector<Connection> pool(static_cast<std::size_t>(connections));
  for (std::size_t i = 0; i < pool.size(); ++i) {
    pool[i].fd = connect_loopback(options.port);
    epoll_event event{EPOLLIN, {.u64 = i}};
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, pool[i].fd, &event);
    send_request(pool[i], request);
  }
  std::vector<epoll_event> events(pool.size());
  char buffer[65536];
  while (Clock::now() < until) {
    int ready = epoll_wait(epoll_fd, events.data(), static_cast<int>(events.size()), 100);
    for (int e = 0; e < ready; ++e) {
      auto& connection = pool[events[static_cast<std::size_t>(e)].data.u64];
      ssize_t n = read(connection.fd, buffer, sizeof buffer);
      if (n <= 0) {
        std::fprintf(stderr, "connection closed by the server\n");
        std::exit(1);
      }
      connection.in.append(buffer, static_cast<std::size_t>(n));
      int status = 0;
      while (auto size = complete_response(connection.in, status)) {
        auto took = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - connection.sent).count();
        result.latencies_us.push_back(static_cast<std::uint32_t>(took));
        if (status != 200) ++result.errors;
        connection.in.erase(0, size);
        send_request(connection, request);
      }
    }
  }
  for (auto& connection : pool) close(connection.fd);
  close(epoll_fd);
  return result;
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
  auto until = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(options.seconds));
  std::vector<ThreadResult> results(static_cast<std::size_t>(options.threads));
  std::vector<std::thread> threads;
  auto started = Clock::now();
  for (int t = 0; t < options.threads; ++t) {
    int share = options.connections / options.threads + (t < options.connections % options.threads ? 1 : 0);
    threads.emplace_back([&, t, share] { results[static_cast<std::size_t>(t)] = run_thread(options, share, until); });
  }
  for (auto& thread : threads) thread.join();
  double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
  std::vector<std::uint32_t> all;
  std::uint64_t errors = 0;
  for (auto& result : results) {
    all.insert(all.end(), result.latencies_us.begin(), result.latencies_us.end());
    errors += result.errors;
  }
  std::sort(all.begin(), all.end());
  auto percentile = [&all](double p) { return all.empty() ? 0u : all[std::min(all.size() - 1, static_cast<std::size_t>(p * all.size()))]; };
  std::printf("requests=%zu rps=%.0f p50_us=%u p99_us=%u p999_us=%u errors=%llu\n", all.size(), all.size() / elapsed,
              percentile(0.50), percentile(0.99), percentile(0.999), static_cast<unsigned long long>(errors));
  return errors == 0 ? 0 : 1;
}
