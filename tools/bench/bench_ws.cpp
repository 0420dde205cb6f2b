// WebSocket feed benchmark (issue 6), in one process: the daemon's real feed
// path (MarketFeed, OpenAlgo's protocol in FeedServer, the WebSocket server on
// loopback) fed by a synthetic broker that ticks M symbols at a fixed rate,
// and N loopback clients (raw sockets on epoll threads) that each subscribe
// to all M symbols. K more clients subscribe the same way and then never read
// their socket (stalled). Prints one line of numbers:
//   deliveries_per_s=… p50_us=… p99_us=… daemon_cpu_percent=… rss_mib=… …
// Run by tools/bench-ws; never by the test suite's timing.
//   bench_ws --clients N --symbols M --rate TICKS_PER_SYMBOL_PER_S --seconds S
//            [--mode 1|2|3] [--stalled K] [--client-threads T] [--server-threads T] [--warmup-ms MS]
//   bench_ws --clients N --floor 1   (the kernel's floor: see measure_kernel_floor)
//
// Latency: the synthetic broker writes the bench's steady clock (µs) into
// each tick's exchange time, which the feed serialises as "ltt"; a client
// subtracts it from the clock right after the read that brought the message.
// It spans on_tick -> fan-out -> per-client queue -> socket -> client.
//
// CPU: the daemon side is the process's CPU time minus the client threads'
// own (RUSAGE_THREAD); it includes the ticker thread, which plays the
// plugin's thread that calls the feed's on_tick (and so does the fan-out).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>

#include "feed/market_feed.hpp"
#include "net/ws_server.hpp"
#include "ws/feed_server.hpp"
#include "ws/market_data_text.hpp"

namespace {

using Clock = std::chrono::steady_clock;

std::int64_t bench_us() {
  static const auto start = Clock::now();
  return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count();
}

std::int64_t epoch_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct Options {
  int clients = 100;
  int stalled = 0;
  int symbols = 10;
  int mode = 1;
  double rate = 10;  // ticks per symbol per second
  double seconds = 5;
  int client_threads = 1;
  int server_threads = 1;  // WS_THREADS
  int warmup_ms = 1000;
  bool floor = false;  // measure the kernel's floor instead (see measure_kernel_floor)
};

Options parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string name = argv[i];
    double value = std::atof(argv[i + 1]);
    if (name == "--clients") options.clients = static_cast<int>(value);
    else if (name == "--stalled") options.stalled = static_cast<int>(value);
    else if (name == "--symbols") options.symbols = static_cast<int>(value);
    else if (name == "--mode") options.mode = static_cast<int>(value);
    else if (name == "--rate") options.rate = value;
    else if (name == "--seconds") options.seconds = value;
    else if (name == "--client-threads") options.client_threads = static_cast<int>(value);
    else if (name == "--server-threads") options.server_threads = static_cast<int>(value);
    else if (name == "--warmup-ms") options.warmup_ms = static_cast<int>(value);
    else if (name == "--floor") options.floor = value != 0;
    else throw std::invalid_argument("unknown option " + name);
  }
  if (options.clients < 1 || options.symbols < 1 || options.mode < 1 || options.mode > 3 || options.rate <= 0 ||
      options.client_threads < 1)
    throw std::invalid_argument("bad options");
  return options;
}

std::string symbol_name(int index) { return "BENCH" + std::to_string(index); }

double thread_cpu_seconds(int who) {
  rusage usage{};
  getrusage(who, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

double rss_mib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::atof(line.c_str() + 6) / 1024.0;
  return 0;
}

// ---- the synthetic broker ------------------------------------------------------

// Accepts every subscription at once; a symbol is its own token.
class BenchUpstream : public oa::feed::StreamUpstream {
 public:
  oa::plugins::Outcome subscribe(const std::string&, const std::vector<oa::plugins::StreamKey>&,
                                 const oa::plugins::Session&) override {
    return {};
  }
  oa::plugins::Outcome unsubscribe(const std::string&, const std::vector<oa::plugins::StreamKey>&,
                                   const oa::plugins::Session&) override {
    return {};
  }
  std::optional<std::string> token_of(const std::string&, const std::string& symbol, const std::string&) override {
    return symbol;
  }
  std::optional<std::string> symbol_of(const std::string&, const std::string& token, const std::string&) override {
    return token;
  }
};

// Ticks the symbols round-robin, evenly spread in time (a real feed's ticks
// arrive spread, not in one burst per period). When on_tick cannot keep up,
// it runs flat out and the achieved rate says so.
class Ticker {
 public:
  Ticker(oa::feed::MarketFeed& feed, const Options& options) : feed_(feed), options_(options) {
    for (int i = 0; i < options.symbols; ++i) names_.push_back(symbol_name(i));
  }
  void start() {
    thread_ = std::thread([this] { run(); });
    pthread_setname_np(thread_.native_handle(), "bench-ticker");
  }
  void stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  std::uint64_t ticks() const { return ticks_.load(std::memory_order_relaxed); }

 private:
  void run() {
    const auto period = std::chrono::nanoseconds(static_cast<std::int64_t>(1e9 / (options_.rate * options_.symbols)));
    auto next = Clock::now();
    std::size_t index = 0;
    double price = 100.0;
    while (!stop_) {
      auto now = Clock::now();
      if (now - next > std::chrono::milliseconds(100)) next = now;  // behind: no catch-up burst
      while (next <= now && !stop_) {
        emit(names_[index], price);
        index = (index + 1) % names_.size();
        price = price >= 200.0 ? 100.0 : price + 0.05;
        next += period;
        ticks_.fetch_add(1, std::memory_order_relaxed);
      }
      std::this_thread::sleep_until(next);
    }
  }

  void emit(const std::string& name, double price) {
    oa_tick tick{};
    tick.struct_size = sizeof tick;
    tick.mode = static_cast<oa_stream_mode>(options_.mode);
    tick.symbol = {name.data(), name.size()};
    tick.exchange = {"NSE", 3};
    tick.ltp = price;
    tick.ltq = 10;
    tick.open = tick.high = tick.low = tick.close = tick.average_price = price;
    tick.volume = 123456;
    tick.total_buy_quantity = tick.total_sell_quantity = 1000;
    for (int level = 0; level < OA_DEPTH_LEVELS; ++level) {
      tick.bids[level] = {price - 0.05 * (level + 1), 100, 3};
      tick.asks[level] = {price + 0.05 * (level + 1), 100, 3};
    }
    tick.exchange_time_ms = bench_us();  // the latency stamp: see the file comment
    feed_.on_tick("bench", tick);
  }

  oa::feed::MarketFeed& feed_;
  const Options& options_;
  std::vector<std::string> names_;
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> ticks_{0};
  std::thread thread_;
};

// ---- a minimal WebSocket client (RFC 6455, text frames, no extensions) ----------------

std::string client_frame(int opcode, std::string_view payload) {
  static constexpr unsigned char kMask[4] = {0x12, 0x34, 0x56, 0x78};
  std::string out;
  out += static_cast<char>(0x80 | opcode);
  const std::size_t size = payload.size();
  if (size < 126) {
    out += static_cast<char>(0x80 | size);
  } else if (size < 65536) {
    out += static_cast<char>(0x80 | 126);
    out += static_cast<char>(size >> 8);
    out += static_cast<char>(size & 0xff);
  } else {
    out += static_cast<char>(0x80 | 127);
    for (int shift = 56; shift >= 0; shift -= 8) out += static_cast<char>((size >> shift) & 0xff);
  }
  out.append(reinterpret_cast<const char*>(kMask), 4);
  for (std::size_t i = 0; i < size; ++i) out += static_cast<char>(payload[i] ^ static_cast<char>(kMask[i % 4]));
  return out;
}

// Calls on_frame(opcode, payload) for every whole frame in data; returns the bytes used.
template <class OnFrame>
std::size_t read_frames(const char* data, std::size_t size, OnFrame&& on_frame) {
  std::size_t at = 0;
  while (size - at >= 2) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(data + at);
    std::size_t header = 2;
    std::uint64_t length = bytes[1] & 0x7f;
    if (length == 126) {
      if (size - at < 4) break;
      length = (std::uint64_t{bytes[2]} << 8) | bytes[3];
      header = 4;
    } else if (length == 127) {
      if (size - at < 10) break;
      length = 0;
      for (int i = 0; i < 8; ++i) length = (length << 8) | bytes[2 + i];
      header = 10;
    }
    if (size - at < header + length) break;
    on_frame(bytes[0] & 0x0f, std::string_view(data + at + header, length));
    at += header + length;
  }
  return at;
}

void send_all(int fd, std::string_view data) {
  while (!data.empty()) {
    auto sent = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (sent <= 0) throw std::runtime_error(std::string("send: ") + std::strerror(errno));
    data.remove_prefix(static_cast<std::size_t>(sent));
  }
}

struct Connection {
  int fd = -1;
  std::string partial;  // the start of a frame the last read cut off
};

// Blocking reads until a text frame contains `wanted`; returns that frame.
std::string wait_for(Connection& connection, std::string_view wanted) {
  char buffer[65536];
  for (;;) {
    std::string found;
    auto used = read_frames(connection.partial.data(), connection.partial.size(), [&](int, std::string_view payload) {
      if (found.empty() && payload.find(wanted) != std::string_view::npos) found = payload;
    });
    connection.partial.erase(0, used);
    if (!found.empty()) return found;
    auto got = ::recv(connection.fd, buffer, sizeof buffer, 0);
    if (got <= 0) throw std::runtime_error("connection closed while waiting for " + std::string(wanted));
    connection.partial.append(buffer, static_cast<std::size_t>(got));
  }
}

// Connects, upgrades, authenticates and subscribes; returns once the subscription is acknowledged.
Connection open_client(std::uint16_t port, const std::string& subscribe, bool stalled) {
  Connection connection;
  connection.fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (connection.fd < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  if (stalled) {
    int small = 4096;  // fills at once: the server's queue for it is what is tested
    setsockopt(connection.fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(connection.fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
    throw std::runtime_error(std::string("connect: ") + std::strerror(errno));
  int one = 1;
  setsockopt(connection.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  timeval timeout{30, 0};
  setsockopt(connection.fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  send_all(connection.fd,
           "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
  char buffer[4096];
  std::string response;
  while (response.find("\r\n\r\n") == std::string::npos) {
    auto got = ::recv(connection.fd, buffer, sizeof buffer, 0);
    if (got <= 0) throw std::runtime_error("the server closed during the handshake");
    response.append(buffer, static_cast<std::size_t>(got));
  }
  if (response.rfind("HTTP/1.1 101", 0) != 0) throw std::runtime_error("handshake refused: " + response);
  connection.partial = response.substr(response.find("\r\n\r\n") + 4);
  send_all(connection.fd, client_frame(1, R"({"action":"authenticate","api_key":"bench"})"));
  auto auth = wait_for(connection, R"("type": "auth")");
  if (auth.find(R"("status": "success")") == std::string::npos) throw std::runtime_error("auth failed: " + auth);
  send_all(connection.fd, client_frame(1, subscribe));
  auto ack = wait_for(connection, R"("type": "subscribe")");
  if (ack.find(R"("status": "success")") == std::string::npos) throw std::runtime_error("subscribe failed: " + ack);
  return connection;
}

// ---- the measuring clients ---------------------------------------------------------

enum Phase { kWarmup, kMeasuring, kDone };

class ClientThread {
 public:
  explicit ClientThread(const std::atomic<int>& phase) : phase_(phase) {}

  void add(Connection* connection) { connections_.push_back(connection); }
  void start() {
    thread_ = std::thread([this] { run(); });
    pthread_setname_np(thread_.native_handle(), "bench-client");
  }
  void join() { thread_.join(); }

  std::uint64_t messages = 0;  // market_data messages read while measuring
  std::uint64_t unstamped = 0;  // market_data without a readable "ltt"
  std::vector<std::uint32_t> latencies_us;
  double cpu_seconds = 0;  // this thread's, while measuring

 private:
  void run() {
    int epoll = epoll_create1(0);
    for (auto* connection : connections_) {
      epoll_event event{};
      event.events = EPOLLIN;
      event.data.ptr = connection;
      epoll_ctl(epoll, EPOLL_CTL_ADD, connection->fd, &event);
    }
    std::vector<char> buffer(1 << 18);
    std::vector<epoll_event> events(256);
    bool measuring = false;
    double cpu_start = 0;
    latencies_us.reserve(1 << 22);
    for (;;) {
      int phase = phase_.load(std::memory_order_acquire);
      if (phase == kMeasuring && !measuring) {
        measuring = true;
        cpu_start = thread_cpu_seconds(RUSAGE_THREAD);
      }
      if (phase == kDone) break;
      int ready = epoll_wait(epoll, events.data(), static_cast<int>(events.size()), 20);
      for (int i = 0; i < ready; ++i) drain(*static_cast<Connection*>(events[i].data.ptr), buffer, measuring);
    }
    cpu_seconds = thread_cpu_seconds(RUSAGE_THREAD) - cpu_start;
    ::close(epoll);
  }

  void drain(Connection& connection, std::vector<char>& buffer, bool measuring) {
    for (;;) {
      std::size_t kept = connection.partial.size();
      std::memcpy(buffer.data(), connection.partial.data(), kept);
      auto got = ::recv(connection.fd, buffer.data() + kept, buffer.size() - kept, MSG_DONTWAIT);
      if (got <= 0) return;
      const std::int64_t now = bench_us();
      std::size_t size = kept + static_cast<std::size_t>(got);
      auto used = read_frames(buffer.data(), size, [&](int opcode, std::string_view payload) {
        if (opcode == 0x9) return send_all(connection.fd, client_frame(0xA, payload));
        if (!measuring || payload.find("market_data") == std::string_view::npos) return;
        ++messages;
        auto at = payload.find(R"("ltt": )");
        std::int64_t stamp = 0;
        if (at == std::string_view::npos ||
            std::from_chars(payload.data() + at + 7, payload.data() + payload.size(), stamp).ec != std::errc()) {
          ++unstamped;
          return;
        }
        if (latencies_us.size() < (1u << 25)) latencies_us.push_back(static_cast<std::uint32_t>(std::max<std::int64_t>(0, now - stamp)));
      });
      connection.partial.assign(buffer.data() + used, size - used);
      if (static_cast<std::size_t>(got) < buffer.size() - kept) return;  // drained
    }
  }

  const std::atomic<int>& phase_;
  std::vector<Connection*> connections_;
  std::thread thread_;
};

std::string subscribe_text(const Options& options) {
  std::string text = R"({"action":"subscribe","mode":)" + std::to_string(options.mode) + R"(,"symbols":[)";
  for (int i = 0; i < options.symbols; ++i)
    text += std::string(i ? "," : "") + R"({"symbol":")" + symbol_name(i) + R"(","exchange":"NSE"})";
  return text + "]}";
}

std::uint32_t percentile(const std::vector<std::uint32_t>& sorted, double q) {
  if (sorted.empty()) return 0;
  return sorted[static_cast<std::size_t>(q * static_cast<double>(sorted.size() - 1))];
}

// What no server can beat on this machine: one message of a typical LTP
// update's size sent with a bare send() to each of N loopback TCP connections
// (TCP_NODELAY, the feed's send buffer), the way one tick reaches N clients
// that each have nothing else queued. On loopback the sender's send() also
// runs the receiver's TCP processing. Prints the median per send() and the
// median time to reach all N (one fan-out) over 50 rounds.
void measure_kernel_floor(const Options& options) {
  const int n = options.clients;
  int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(listener, n) != 0 ||
      ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) != 0)
    throw std::runtime_error("cannot listen on loopback");
  std::vector<int> senders, receivers;
  for (int i = 0; i < n; ++i) {
    int client = ::socket(AF_INET, SOCK_STREAM, 0);
    if (::connect(client, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
      throw std::runtime_error("cannot connect on loopback");
    int server = ::accept(listener, nullptr, nullptr);
    int one = 1, send_buffer = 128 * 1024;
    ::setsockopt(server, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ::setsockopt(server, SOL_SOCKET, SO_SNDBUF, &send_buffer, sizeof send_buffer);
    senders.push_back(server);
    receivers.push_back(client);
  }
  const std::string message(160, 'x');
  char sink[4096];
  std::vector<double> per_send, fanout;
  for (int round = 0; round < 50; ++round) {
    const auto started = Clock::now();
    for (int fd : senders) ::send(fd, message.data(), message.size(), MSG_NOSIGNAL);
    const double us = std::chrono::duration<double, std::micro>(Clock::now() - started).count();
    fanout.push_back(us);
    per_send.push_back(us / n);
    for (int fd : receivers) ::recv(fd, sink, sizeof sink, 0);
  }
  for (int fd : senders) ::close(fd);
  for (int fd : receivers) ::close(fd);
  ::close(listener);
  auto median = [](std::vector<double>& values) {
    std::nth_element(values.begin(), values.begin() + static_cast<long>(values.size() / 2), values.end());
    return values[values.size() / 2];
  };
  std::printf("clients=%d floor_send_us=%.1f floor_fanout_us=%.0f\n", n, median(per_send), median(fanout));
}

}  // namespace

int main(int argc, char** argv) try {
  const Options options = parse(argc, argv);
  if (options.floor) {
    measure_kernel_floor(options);
    return 0;
  }
  spdlog::set_level(spdlog::level::err);  // the stalled clients' closes are expected

  // The daemon's objects, wired as core/app/market_stream.cpp does, with its defaults.
  BenchUpstream upstream;
  oa::feed::FeedOptions feed_options;
  feed_options.format = oa::ws::market_data_text;
  feed_options.now_ms = epoch_ms;
  oa::feed::MarketFeed feed(upstream, feed_options);
  oa::ws::FeedServerServices services;
  services.authenticate = [](std::string_view) {
    return std::optional<oa::ws::Identity>(oa::ws::Identity{1, "bench", "bench", {}});
  };
  services.now_ms = epoch_ms;
  services.broker_status = [](const std::string&) { return std::string("connected"); };
  oa::ws::FeedServerOptions protocol;
  protocol.max_subscriptions = std::max<std::size_t>(protocol.max_subscriptions, options.symbols);
  protocol.max_symbols_per_message = protocol.max_subscriptions;
  oa::ws::FeedServer handler(feed, services, protocol);
  oa::net::WsServerOptions server_options;
  server_options.port = 0;
  server_options.threads = static_cast<unsigned>(options.server_threads);
  server_options.max_connections = static_cast<std::size_t>(options.clients + options.stalled) + 16;
  oa::net::WsServer server(server_options, handler);
  const std::uint16_t port = server.start();

  const std::string subscribe = subscribe_text(options);
  std::vector<Connection> connections;
  connections.reserve(static_cast<std::size_t>(options.clients + options.stalled));
  const auto setup_started = Clock::now();
  for (int i = 0; i < options.clients + options.stalled; ++i)
    connections.push_back(open_client(port, subscribe, i >= options.clients));
  std::fprintf(stderr, "bench_ws: %d clients subscribed in %.1f s\n", options.clients + options.stalled,
               std::chrono::duration<double>(Clock::now() - setup_started).count());

  std::atomic<int> phase{kWarmup};
  std::vector<std::unique_ptr<ClientThread>> threads;
  for (int t = 0; t < options.client_threads; ++t) threads.push_back(std::make_unique<ClientThread>(phase));
  for (int i = 0; i < options.clients; ++i)
    threads[static_cast<std::size_t>(i % options.client_threads)]->add(&connections[static_cast<std::size_t>(i)]);
  for (auto& thread : threads) thread->start();

  Ticker ticker(feed, options);
  ticker.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(options.warmup_ms));

  const double process_cpu_start = thread_cpu_seconds(RUSAGE_SELF);
  const std::uint64_t ticks_start = ticker.ticks();
  const auto started = Clock::now();
  phase.store(kMeasuring, std::memory_order_release);
  std::this_thread::sleep_for(std::chrono::duration<double>(options.seconds));
  phase.store(kDone, std::memory_order_release);
  const double wall = std::chrono::duration<double>(Clock::now() - started).count();
  const std::uint64_t ticks = ticker.ticks() - ticks_start;
  const double rss = rss_mib();
  for (auto& thread : threads) thread->join();
  const double process_cpu = thread_cpu_seconds(RUSAGE_SELF) - process_cpu_start;
  const std::size_t open_connections = server.connections();
  ticker.stop();

  std::uint64_t messages = 0, unstamped = 0;
  double client_cpu = 0;
  std::vector<std::uint32_t> latencies;
  for (auto& thread : threads) {
    messages += thread->messages;
    unstamped += thread->unstamped;
    client_cpu += thread->cpu_seconds;
    latencies.insert(latencies.end(), thread->latencies_us.begin(), thread->latencies_us.end());
  }
  std::sort(latencies.begin(), latencies.end());
  const double daemon_cpu = std::max(0.0, process_cpu - client_cpu);
  const double expected = static_cast<double>(ticks) * options.clients;  // one message per tick per client
  std::printf(
      "clients=%d stalled=%d symbols=%d mode=%d rate=%g ticks_per_s=%.0f deliveries_per_s=%.0f "
      "delivered_percent=%.1f p50_us=%u p99_us=%u p999_us=%u max_us=%u daemon_cpu_percent=%.0f "
      "client_cpu_percent=%.0f deliveries_per_daemon_cpu_s=%.0f rss_mib=%.1f open_connections=%zu unstamped=%llu\n",
      options.clients, options.stalled, options.symbols, options.mode, options.rate, ticks / wall, messages / wall,
      expected > 0 ? 100.0 * static_cast<double>(messages) / expected : 0.0, percentile(latencies, 0.50),
      percentile(latencies, 0.99), percentile(latencies, 0.999), latencies.empty() ? 0u : latencies.back(),
      100.0 * daemon_cpu / wall, 100.0 * client_cpu / wall, daemon_cpu > 0 ? messages / daemon_cpu : 0.0, rss,
      open_connections, static_cast<unsigned long long>(unstamped));
  std::fflush(stdout);

  for (auto& connection : connections) ::close(connection.fd);
  server.stop();
  return 0;
} catch (const std::exception& error) {
  std::fprintf(stderr, "bench_ws: %s\n", error.what());
  return 1;
}
