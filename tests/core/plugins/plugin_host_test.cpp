#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <thread>

#include <boost/json.hpp>

#include "plugins/plugin_host.hpp"
#include "support/daemon_process.hpp"

using namespace oa::plugins;
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

fs::path test_plugin(const std::string& name) { return fs::path(TEST_PLUGIN_DIR) / (name + ".so"); }

struct Fixture {
  oa::test::TempDir dir;
  std::atomic<int> ticks{0};
  std::mutex updates_mutex;
  std::vector<std::string> updates;  // the orderid of each order update, in order
  std::map<std::string, std::string> settings{{"TEST_BROKER_GREETING", "namaste"}};

  HostOptions options(std::vector<fs::path> plugin_dirs = {}) {
    HostOptions out;
    out.plugin_dirs = std::move(plugin_dirs);
    out.copy_dir = dir.path() / "loaded";
    out.workers = 4;
    out.max_queued = 256;
    out.default_deadline = std::chrono::milliseconds(2000);
    out.drain_timeout = std::chrono::milliseconds(2000);
    out.setting = [this](const std::string& key) -> std::optional<std::string> {
      auto found = settings.find(key);
      if (found == settings.end()) return std::nullopt;
      return found->second;
    };
    return out;
  }
  HostServices services() {
    HostServices out;
    out.on_tick = [this](const std::string&, const oa_tick& tick) {
      if (tick.ltp == 100.5) ++ticks;
    };
    out.on_order_update = [this](const std::string&, std::string_view text) {
      std::lock_guard lock(updates_mutex);
      updates.emplace_back(json::parse(text).at("orderid").as_string());
    };
    return out;
  }
  // A plugin file in a directory of its own, so a test can replace it.
  fs::path install(const std::string& name, const std::string& as = "testbroker.so") {
    auto target = dir.path() / "plugins" / as;
    fs::create_directories(target.parent_path());
    fs::copy_file(test_plugin(name), target, fs::copy_options::overwrite_existing);
    return target;
  }
};

std::string load_error(PluginHost& host, const std::string& name) {
  try {
    host.load(test_plugin(name));
  } catch (const LoadError& error) {
    return error.what();
  }
  return "";
}

}  // namespace

TEST_SUITE("plugins") {
  TEST_CASE("a good plugin loads and lists its manifest, capabilities and settings") {
    Fixture fixture;
    PluginHost host(fixture.options(), fixture.services());
    CHECK(host.load(test_plugin("testbroker")) == "testbroker");
    auto plugins = host.list();
    REQUIRE(plugins.size() == 1);
    CHECK(plugins[0].manifest.display_name == "Test Broker");
    CHECK(plugins[0].manifest.version == "1.0.0");
    CHECK(plugins[0].manifest.abi_major == OA_PLUGIN_ABI_MAJOR);
    CHECK(capability_names(plugins[0].manifest.capabilities) ==
          std::vector<std::string>{"quotes", "history", "market_stream", "order_stream"});
    auto outcome = host.call_and_wait("testbroker", Operation::Quotes, R"({"symbol":"SBIN"})");
    REQUIRE(outcome.ok());
    auto answer = json::parse(outcome.json);
    CHECK(answer.at("echo").at("symbol") == "SBIN");
    CHECK(answer.at("greeting") == "namaste");
  }

  TEST_CASE("plugins that break the contract are refused with a message naming plugin and versions") {
    Fixture fixture;
    PluginHost host(fixture.options(), fixture.services());
    CHECK(load_error(host, "raw_no_entry").find("does not export openalgo_plugin_entry") != std::string::npos);
    auto major = load_error(host, "raw_wrong_major");
    CHECK(major.find("raw_wrong_major.so is built for ABI 99.0, this host speaks ABI 1.") != std::string::npos);
    CHECK(load_error(host, "raw_wrong_fingerprint").find("build fingerprint 'oa-abi-1;ptr4;be'") != std::string::npos);
    CHECK(load_error(host, "raw_missing_capability").find("capability 'quotes' is declared but its functions are missing") !=
          std::string::npos);
    CHECK(load_error(host, "raw_refuses_host").find("refused to work with this host") != std::string::npos);
    CHECK(load_error(host, "testbroker_fails_create").find("failed to start: credentials missing") != std::string::npos);
    CHECK(host.list().empty());
  }

  TEST_CASE("a plugin built for ABI 1.1 loads, and whatever lies past its table is never read") {
    Fixture fixture;
    PluginHost host(fixture.options(), fixture.services());
    CHECK(host.load(test_plugin("raw_abi_1_1")) == "rawbroker");
    CHECK(host.list().at(0).manifest.abi_minor == 1);
    auto outcome = host.call_and_wait("rawbroker", Operation::OrderStreamOpen, "{}");
    CHECK(outcome.status == OA_ERR_NOT_SUPPORTED);
    CHECK(outcome.message == "broker 'rawbroker' does not support order updates");
  }

  TEST_CASE("a plugin built for ABI 1.1 cannot declare order updates, whose functions came in 1.2") {
    Fixture fixture;
    PluginHost host(fixture.options(), fixture.services());
    CHECK(load_error(host, "raw_abi_1_1_order_stream").find("capability 'order_stream' is declared but its functions are missing") !=
          std::string::npos);
  }

  TEST_CASE("discovery loads the good plugins and skips the bad ones without stopping") {
    Fixture fixture;
    PluginHost host(fixture.options({TEST_PLUGIN_DIR}), fixture.services());
    auto problems = host.discover();
    std::vector<std::string> ids;
    for (const auto& plugin : host.list()) ids.push_back(plugin.manifest.id);
    CHECK(ids == std::vector<std::string>{"gttbroker", "loginbroker", "nativebroker", "ordersbroker", "rawbroker", "testbroker"});
    CHECK(problems.size() >= 6);  // the bad ones, and the second copies of testbroker/rawbroker
  }

  TEST_CASE("an exception inside a plugin becomes an internal error, a broker error keeps its text") {
    Fixture fixture;
    PluginHost host(fixture.options(), fixture.services());
    host.load(test_plugin("testbroker"));
    auto thrown = host.call_and_wait("testbroker", Operation::Quotes, R"({"throw":true})");
    CHECK(thrown.status == OA_ERR_INTERNAL);
    CHECK(thrown.message == "plugin error: exploded on purpose");
    auto broker = host.call_and_wait("testbroker", Operation::Quotes, R"({"fail":true})");
    CHECK(broker.status == OA_ERR_BROKER);
    CHECK(broker.message == "Upstream says: insufficient permission");
    CHECK(host.call_and_wait("testbroker", Operation::Quotes, "not json").status == OA_ERR_INVALID_ARGUMENT);
  }

  TEST_CASE("a capability the plugin lacks is answered as not supported, naming broker and capability") {
    Fixture fixture;
    PluginHost host(fixture.options(), fixture.services());
    host.load(test_plugin("testbroker"));
    auto outcome = host.call_and_wait("testbroker", Operation::PlaceOrder, "{}");
    CHECK(outcome.status == OA_ERR_NOT_SUPPORTED);
    CHECK(outcome.message == "broker 'testbroker' does not support orders");
    CHECK(host.call_and_wait("nobody", Operation::Quotes, "{}").status == OA_ERR_NOT_FOUND);
  }

  TEST_CASE("a call that hangs past its deadline is answered with a timeout while other calls go on") {
    Fixture fixture;
    PluginHost host(fixture.options(), fixture.services());
    host.load(test_plugin("testbroker"));
    auto started = std::chrono::steady_clock::now();
    auto hung = host.call_and_wait("testbroker", Operation::Quotes, R"({"hang_ms":1500})", {},
                                   std::chrono::milliseconds(200));
    auto waited = std::chrono::steady_clock::now() - started;
    CHECK(hung.status == OA_ERR_UPSTREAM);
    CHECK(hung.message == "broker 'testbroker' did not answer within 200 ms");
    CHECK(waited < std::chrono::milliseconds(1400));
    CHECK(host.call_and_wait("testbroker", Operation::Quotes, R"({"symbol":"X"})").ok());
  }

  TEST_CASE("reload switches to the new file's version and the old library leaves memory") {
    Fixture fixture;
    PluginHost host(fixture.options(), fixture.services());
    auto file = fixture.install("testbroker");
    host.load(file);
    fixture.install("testbroker_v2");
    auto report = host.reload("testbroker");
    CHECK(report.ok);
    CHECK(report.old_version == "1.0.0");
    CHECK(report.new_version == "2.0.0");
    CHECK(report.old_unloaded);
    auto answer = json::parse(host.call_and_wait("testbroker", Operation::Quotes, "{}").json);
    CHECK(answer.at("version") == "2.0.0");
  }

  TEST_CASE("a reload opens the order updates again on the new instance, with the session they were opened with") {
    Fixture fixture;
    PluginHost host(fixture.options(), fixture.services());
    host.load(fixture.install("testbroker"));
    REQUIRE(host.call_and_wait("testbroker", Operation::OrderStreamOpen, "{}", Session{"tok-1", "", ""}).ok());
    fixture.install("testbroker_v2");
    REQUIRE(host.reload("testbroker").ok);
    std::lock_guard lock(fixture.updates_mutex);
    CHECK(fixture.updates == std::vector<std::string>{"opened-by-1.0.0-for-tok-1", "opened-by-2.0.0-for-tok-1"});
  }

  TEST_CASE("after the order updates were closed a reload leaves them closed") {
    Fixture fixture;
    PluginHost host(fixture.options(), fixture.services());
    host.load(fixture.install("testbroker"));
    REQUIRE(host.call_and_wait("testbroker", Operation::OrderStreamOpen, "{}", Session{"tok-1", "", ""}).ok());
    REQUIRE(host.call_and_wait("testbroker", Operation::OrderStreamClose, "{}").ok());
    fixture.install("testbroker_v2");
    REQUIRE(host.reload("testbroker").ok);
    std::lock_guard lock(fixture.updates_mutex);
    CHECK(fixture.updates == std::vector<std::string>{"opened-by-1.0.0-for-tok-1"});
  }

  TEST_CASE("a reload whose new file is broken keeps the old version serving and reports why") {
    Fixture fixture;
    PluginHost host(fixture.options(), fixture.services());
    auto file = fixture.install("testbroker");
    host.load(file);
    fixture.install("raw_wrong_major");
    auto report = host.reload("testbroker");
    CHECK_FALSE(report.ok);
    CHECK(report.message.find("the old version keeps serving") != std::string::npos);
    CHECK(report.message.find("ABI 99.0") != std::string::npos);
    CHECK(host.call_and_wait("testbroker", Operation::Quotes, "{}").ok());
    CHECK(host.list()[0].last_reload_error == report.message);
  }

  TEST_CASE("reloading under load fails no call and keeps subscriptions delivering") {
    Fixture fixture;
    PluginHost host(fixture.options(), fixture.services());
    host.load(fixture.install("testbroker"));
    REQUIRE(host.subscribe("testbroker", {{"SBIN", "NSE", "3045", OA_MODE_LTP}}).ok());
    std::atomic<bool> stop{false};
    std::atomic<int> calls{0}, failures{0};
    std::vector<std::thread> clients;
    for (int i = 0; i < 4; ++i)
      clients.emplace_back([&] {
        while (!stop) {
          auto outcome = host.call_and_wait("testbroker", Operation::Quotes, R"({"symbol":"SBIN"})");
          ++calls;
          if (!outcome.ok()) ++failures;
        }
      });
    for (int i = 0; i < 10; ++i) {
      fixture.install(i % 2 ? "testbroker" : "testbroker_v2");
      CHECK(host.reload("testbroker").ok);
    }
    stop = true;
    for (auto& client : clients) client.join();
    CHECK(failures == 0);
    CHECK(calls > 10);
    int before = fixture.ticks;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (fixture.ticks < before + 5 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    CHECK(fixture.ticks >= before + 5);
    CHECK(host.list()[0].reloads == 10);
    CHECK(host.list()[0].subscriptions == 1);
  }

  TEST_CASE("unsubscribing stops the ticks") {
    Fixture fixture;
    PluginHost host(fixture.options(), fixture.services());
    host.load(test_plugin("testbroker"));
    StreamKey key{"SBIN", "NSE", "3045", OA_MODE_QUOTE};
    REQUIRE(host.subscribe("testbroker", {key}).ok());
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (fixture.ticks == 0 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    CHECK(fixture.ticks > 0);
    REQUIRE(host.unsubscribe("testbroker", {key}).ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // let a tick already in flight land
    int settled = fixture.ticks;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // several periods of 10 ms: none may come
    CHECK(fixture.ticks == settled);
    CHECK(host.list()[0].subscriptions == 0);
  }

  TEST_CASE("a plugin's stream_status reports are recorded and passed on (ABI 1.1)") {
    Fixture fixture;
    std::vector<std::string> reports;
    std::mutex reports_mutex;
    auto services = fixture.services();
    services.on_stream_status = [&](const std::string& broker, bool connected, std::string_view reason) {
      std::lock_guard lock(reports_mutex);
      reports.push_back(broker + (connected ? " up: " : " down: ") + std::string(reason));
    };
    PluginHost host(fixture.options(), std::move(services));
    host.load(test_plugin("testbroker"));
    CHECK_FALSE(host.list()[0].stream.reported);
    REQUIRE(host.subscribe("testbroker", {{"SBIN", "NSE", "3045", OA_MODE_LTP}}).ok());
    CHECK(host.list()[0].stream.connected);
    REQUIRE(host.call_and_wait("testbroker", Operation::Quotes, R"({"drop_feed":true})").ok());
    auto stream = host.list()[0].stream;
    CHECK(stream.reported);
    CHECK_FALSE(stream.connected);
    CHECK(stream.reason == "test feed dropped");
    CHECK(stream.disconnects == 1);
    std::lock_guard lock(reports_mutex);
    CHECK(reports == std::vector<std::string>{"testbroker up: test feed open", "testbroker down: test feed dropped"});
  }
}
