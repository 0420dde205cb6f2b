// fake-broker: one of the loopback broker fakes as a process of its own, so that tools outside the C++
// test binaries (tools/sdk-check) can point a daemon at it. Prints the daemon's `--set` flags, one
// KEY=VALUE a line, then `ready`; the feed ticks every --tick-ms; stops when stdin closes.
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
  std::shared_ptr<void> keep;
};

Fake start(const std::string& broker) {
  if (broker == "zerodha") {
    auto fake = std::make_shared<oa::test::KiteFake>();
    return {fake->settings(), [fake] { fake->tick(); }, fake};
  }
  if (broker == "angel") {
    auto fake = std::make_shared<oa::test::SmartApiFake>();
    return {fake->settings(), [fake] { fake->tick(); }, fake};
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
  for (int c = std::getchar(); c != EOF; c = std::getchar()) {
  }
  running = false;
  ticker.join();
  return 0;
}
