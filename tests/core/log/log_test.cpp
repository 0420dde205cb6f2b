#include <doctest/doctest.h>

#include <spdlog/spdlog.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "log/log.hpp"

namespace fs = std::filesystem;

namespace {

// A fresh log directory; on destruction logging goes back to the console only
// (closing the file) and the directory is removed.
struct LogDirectory {
  fs::path path = fs::temp_directory_path() / ("openalgod-log-test-" + std::to_string(std::random_device{}()));

  LogDirectory() = default;
  LogDirectory(const LogDirectory&) = delete;
  LogDirectory& operator=(const LogDirectory&) = delete;
  ~LogDirectory() {
    oa::log::init({.colors = false, .to_file = false});
    fs::remove_all(path);
  }

  oa::log::Options options(std::string level = "INFO") const {
    return {.level = std::move(level), .to_console = false, .to_file = true, .dir = path};
  }

  // Every log file in the directory, concatenated.
  std::string contents() const {
    spdlog::default_logger()->flush();
    std::string all;
    for (const auto& entry : fs::directory_iterator(path)) {
      std::ifstream file(entry.path());
      std::stringstream text;
      text << file.rdbuf();
      all += text.str();
    }
    return all;
  }
};

}  // namespace

TEST_SUITE("log") {

TEST_CASE("init writes log lines to a daily openalgod file in the given directory") {
  const LogDirectory dir;
  oa::log::init(dir.options());
  spdlog::info("hello from the file test");
  REQUIRE(dir.contents().find("hello from the file test") != std::string::npos);
  for (const auto& entry : fs::directory_iterator(dir.path)) {
    CHECK(entry.path().filename().string().starts_with("openalgod_"));
    CHECK(entry.path().extension() == ".log");
  }
}

TEST_CASE("no secret reaches the log file") {
  const LogDirectory dir;
  oa::log::init(dir.options());
  oa::log::add_secret("registered-session-value");
  const std::string api_key(64, 'c');
  const std::string jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl";
  spdlog::info("body {{\"apikey\":\"{}\",\"symbol\":\"SBIN\"}} Authorization: Bearer bearer-secret-1 "
               "password=password-secret-2 jwt {} session registered-session-value",
               api_key, jwt);
  oa::log::clear_secrets();

  const std::string log = dir.contents();
  CHECK(log.find("[REDACTED]") != std::string::npos);
  CHECK(log.find("\"symbol\":\"SBIN\"") != std::string::npos);
  for (const std::string& secret :
       {api_key, jwt, std::string("bearer-secret-1"), std::string("password-secret-2"),
        std::string("registered-session-value")}) {
    CAPTURE(secret);
    CHECK(log.find(secret) == std::string::npos);
  }
}

TEST_CASE("set_level filters lines below the chosen level") {
  const LogDirectory dir;
  oa::log::init(dir.options("INFO"));
  spdlog::debug("hidden debug line");
  REQUIRE(oa::log::set_level("debug"));
  spdlog::debug("shown debug line");
  REQUIRE(oa::log::set_level("WARN"));
  spdlog::info("hidden info line");

  const std::string log = dir.contents();
  CHECK(log.find("hidden debug line") == std::string::npos);
  CHECK(log.find("shown debug line") != std::string::npos);
  CHECK(log.find("hidden info line") == std::string::npos);
}

TEST_CASE("set_level rejects an unknown level and keeps the current one") {
  const LogDirectory dir;
  oa::log::init(dir.options("ERROR"));
  CHECK_FALSE(oa::log::set_level("verbose"));
  CHECK(spdlog::default_logger()->level() == spdlog::level::err);
}

TEST_CASE("an unknown level in the options falls back to INFO and says so") {
  const LogDirectory dir;
  oa::log::init(dir.options("loud"));
  CHECK(spdlog::default_logger()->level() == spdlog::level::info);
  CHECK(dir.contents().find("unknown level 'loud'") != std::string::npos);
}

TEST_CASE("a log directory that cannot be created leaves logging on the console") {
  const LogDirectory dir;
  fs::create_directories(dir.path);
  std::ofstream(dir.path / "not-a-directory") << "x";
  oa::log::Options options = dir.options();
  options.dir = dir.path / "not-a-directory" / "log";
  CHECK_NOTHROW(oa::log::init(options));
  CHECK(spdlog::default_logger()->name() == "openalgod");
}

TEST_CASE("init can be called again while other threads log") {
  const LogDirectory dir;
  oa::log::init(dir.options());
  std::atomic<bool> logging{true};
  std::vector<std::thread> writers;
  for (int i = 0; i < 2; ++i) {
    writers.emplace_back([&logging] {
      while (logging) spdlog::info("writer line password=concurrent-secret");
    });
  }
  for (int i = 0; i < 20; ++i) oa::log::init(dir.options());
  logging = false;
  for (std::thread& writer : writers) writer.join();
  spdlog::info("after reload");

  const std::string log = dir.contents();
  CHECK(log.find("after reload") != std::string::npos);
  CHECK(log.find("concurrent-secret") == std::string::npos);
}

}  // TEST_SUITE("log")
