// fake-broker: one of the loopback broker fakes as a process of its own, so that tools outside the C++
// test binaries (tools/sdk-check) can point a daemon at it. Prints the daemon's `--set` flags, one
// KEY=VALUE a line, then `ready`; the feed ticks every --tick-ms. Reads commands from stdin, one a line:
// `daemon URL` (where the daemon serves; an OAuth fake redirects logins to its callback there); stops
// when stdin closes.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "smartapi_fake.hpp"
#include "fakes/zerodha/kite_fake.hpp"

namespace {

struct Fake {
  std::vector<std::string> settings;
  std::function<void()> tick;
  std::function<void(const std::string&)> daemon_at = [](const std::string&) {};
  std::shared_ptr<void> keep;
};

Fake start(const std::string& broker) {
  if (broker == "zerodha") {
    auto fake = std::make_shared<oa::test::KiteFake>();
    return {fake->settings(), [fake] { fake->tick(); },
            [fake](const std::string& url) { fake->set_redirect_url(url + "/zerodha/callback"); }, fake};
  }
  if (broker == "angel") {
    auto fake = std::make_shared<oa::test::SmartApiFake>();
    return {fake->settings(), [fake] { fake->tick(); }, [](const std::string&) {}, fake};
  }
  throw std::invalid_argument("unknown broker '" + broker + "' (zerodha or angel)");
}

int usage() {
  std::cerr << "usage: fake-broker zerodha|angel [--tick-ms N]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 && argc != 4) return usage();
  int tick_ms = 100;
  if (argc == 4) {
    if (std::string(argv[2]) != "--tick-ms") return usage();
    tick_ms = std::stoi(argv[3]);
  }
  Fake fake;
  try {
    fake = start(argv[1]);
  } catch (const std::exception& error) {
    std::cerr << "fake-broker: " << error.what() << '\n';
    return usage();
  }
  for (const auto& setting : fake.settings)
    if (setting != "--set") std::cout << setting << '\n';
  std::cout << "ready" << std::endl;

  std::atomic<bool> running{true};
  std::thread ticker([&] {
    while (running) {
      fake.tick();
      std::this_thread::sleep_for(std::chrono::milliseconds(tick_ms));
    }
  });
  for (std::string line; std::getline(std::cin, line);)
    if (line.starts_with("daemon ")) fake.daemon_at(line.substr(7));
  running = false;
  ticker.join();
  return 0;
}
