// The plugin host seen from outside: the simulator as the offline default
// broker, the plugin commands, reloads while clients keep asking.
#include <signal.h>

#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include <boost/json.hpp>

#include "support/daemon_process.hpp"
#include "support/http_client.hpp"

namespace json = boost::json;
using namespace oa::test;

namespace {

// A data directory with an administrator and its API key.
struct Admin {
  TempDir dir;
  std::string api_key;
  Admin() {
    auto added = run_openalgod({"user", "add", "--username", "root", "--password-stdin", "--data-dir", dir.path().string()},
                               "Str0ng!pass\n");
    REQUIRE_MESSAGE(added.exit_code == 0, added.err);
    auto issued = run_openalgod({"apikey", "issue", "--username", "root", "--data-dir", dir.path().string()});
    REQUIRE_MESSAGE(issued.exit_code == 0, issued.err);
    api_key = issued.out.substr(0, 64);
  }
  // Runs `openalgod args... --data-dir DIR --set HTTP_PORT=port --set PLUGIN_DIRS=...`.
  CommandResult cli(std::vector<std::string> args, std::uint16_t port = 1) const {
    args.insert(args.end(), {"--data-dir", dir.path().string(), "--set", "HTTP_PORT=" + std::to_string(port), "--set",
                             plugin_dirs_flag()});
    return run_openalgod(args);
  }
};

std::string quote_request(const std::string& key, const std::string& symbol, const std::string& exchange) {
  return json::serialize(json::object{{"apikey", key}, {"symbol", symbol}, {"exchange", exchange}});
}

json::object body_of(const HttpReply& reply) { return json::parse(reply.body).as_object(); }

}  // namespace

TEST_SUITE("plugins") {
  TEST_CASE("with no broker login the simulator serves quotes in OpenAlgo's shape") {
    Admin admin;
    Daemon daemon(admin.dir.path());
    auto reply = http(daemon.port(), "POST", "/api/v1/quotes", quote_request(admin.api_key, "RELIANCE", "NSE"));
    REQUIRE(reply.status == 200);
    auto body = body_of(reply);
    CHECK(body.at("status") == "success");
    const auto& data = body.at("data").as_object();
    for (const char* field : {"ask", "bid", "high", "low", "ltp", "open", "prev_close", "volume", "oi"}) {
      CAPTURE(field);
      CHECK(data.contains(field));
    }
    CHECK(data.at("ltp").to_number<double>() > 0);
    CHECK(data.at("bid").to_number<double>() <= data.at("ask").to_number<double>());
  }

  TEST_CASE("a quote for a symbol outside the master contract is refused with OpenAlgo's message") {
    Admin admin;
    Daemon daemon(admin.dir.path());
    auto reply = http(daemon.port(), "POST", "/api/v1/quotes", quote_request(admin.api_key, "NOSUCH", "NSE"));
    CHECK(reply.status == 400);
    CHECK(body_of(reply).at("message") ==
          "Symbol 'NOSUCH' not found for exchange 'NSE'. Please verify the symbol name and ensure master contracts "
          "are downloaded.");
    auto bad_exchange = http(daemon.port(), "POST", "/api/v1/quotes", quote_request(admin.api_key, "SBIN", "NASDAQ"));
    CHECK(bad_exchange.status == 400);
    CHECK(body_of(bad_exchange).at("message").at("exchange").at(0) ==
          "Must be one of: NSE, NFO, CDS, BSE, BFO, BCD, MCX, NCDEX, NCO, NSE_INDEX, BSE_INDEX, MCX_INDEX, GLOBAL_INDEX, "
          "CRYPTO.");
  }

  TEST_CASE("plugins list shows the simulator as the running daemon has it, and as on disk when it is stopped") {
    Admin admin;
    {
      Daemon daemon(admin.dir.path());
      auto listed = admin.cli({"plugins", "list"}, daemon.port());
      REQUIRE_MESSAGE(listed.exit_code == 0, listed.err);
      CHECK(listed.out.find("simulator  ") != std::string::npos);
      CHECK(listed.out.find("loaded") != std::string::npos);
      CHECK(listed.out.find("quotes, multiquotes, depth, history, master_contract, market_stream") != std::string::npos);
      auto info = admin.cli({"plugins", "info", "simulator"}, daemon.port());
      CHECK(info.out.find("login: none") != std::string::npos);
      CHECK(info.out.find("SIMULATOR_SEED") != std::string::npos);
    }
    auto offline = admin.cli({"plugins", "list"});
    CHECK(offline.exit_code == 0);
    CHECK(offline.out.find("on disk (daemon not running)") != std::string::npos);
    CHECK(offline.err.find("daemon is not running") != std::string::npos);
  }

  TEST_CASE("the master contract's phase, rows and last success show in the admin endpoint and plugins info") {
    Admin admin;
    Daemon daemon(admin.dir.path());
    json::object contract;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      auto listed = http(daemon.port(), "POST", "/api/v1/admin/plugins", R"({"apikey":")" + admin.api_key + R"("})");
      REQUIRE(listed.status == 200);
      auto body = body_of(listed);
      for (const auto& plugin : body.at("data").as_array())
        if (plugin.at("id") == "simulator") contract = plugin.at("master_contract").as_object();
      if (contract.at("phase") == "loaded") break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    REQUIRE(contract.at("phase") == "loaded");
    CHECK(contract.at("source") == "download");
    CHECK(contract.at("rows").to_number<std::int64_t>() > 0);
    CHECK(contract.at("last_success_ms").to_number<std::int64_t>() >= contract.at("started_ms").to_number<std::int64_t>());
    CHECK(contract.at("last_error") == "");
    auto info = admin.cli({"plugins", "info", "simulator"}, daemon.port());
    CHECK_MESSAGE(info.out.find("master contract: loaded, " + std::to_string(contract.at("rows").to_number<std::int64_t>()) +
                                " rows (download), last success ") != std::string::npos, info.out);
  }

  TEST_CASE("the admin endpoints need the administrator's key") {
    Admin admin;
    auto other = run_openalgod({"user", "add", "--username", "guest", "--password-stdin", "--data-dir",
                                admin.dir.path().string()}, "Str0ng!pass\n");
    REQUIRE(other.exit_code == 0);
    auto guest_key = run_openalgod({"apikey", "issue", "--username", "guest", "--data-dir", admin.dir.path().string()}).out.substr(0, 64);
    Daemon daemon(admin.dir.path());
    auto refused = http(daemon.port(), "POST", "/api/v1/admin/plugins", R"({"apikey":")" + guest_key + R"("})");
    CHECK(refused.status == 403);
    auto allowed = http(daemon.port(), "POST", "/api/v1/admin/plugins", R"({"apikey":")" + admin.api_key + R"("})");
    CHECK(allowed.status == 200);
    auto unknown = http(daemon.port(), "POST", "/api/v1/admin/plugins/reload",
                        R"({"apikey":")" + admin.api_key + R"(","id":"nosuch"})");
    CHECK(unknown.status == 404);
  }

  TEST_CASE("reloading the simulator while clients ask for quotes fails no request") {
    Admin admin;
    // The clients ask as fast as they can: far past the default 50 per second.
    Daemon daemon(admin.dir.path(), {"--set", "API_RATE_LIMIT=1000000 per second"});
    std::atomic<bool> stop{false};
    std::atomic<int> served{0}, failed{0};
    std::vector<std::thread> clients;
    for (int i = 0; i < 4; ++i)
      clients.emplace_back([&] {
        HttpConnection connection(daemon.port());
        while (!stop) {
          auto reply = connection.request("POST", "/api/v1/quotes", quote_request(admin.api_key, "SBIN", "NSE"));
          ++(reply.status == 200 ? served : failed);
        }
      });
    for (int i = 0; i < 5; ++i) {
      auto reloaded = admin.cli({"plugins", "reload", "simulator"}, daemon.port());
      CHECK_MESSAGE(reloaded.exit_code == 0, reloaded.out << reloaded.err);
      CHECK(reloaded.out.find("the old library left memory") != std::string::npos);
    }
    stop = true;
    for (auto& client : clients) client.join();
    CHECK(failed == 0);
    CHECK(served > 20);
  }

  TEST_CASE("SIGHUP reloads every plugin") {
    Admin admin;
    Daemon daemon(admin.dir.path());
    daemon.signal(SIGHUP);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    std::int64_t reloads = 0;
    while (reloads == 0 && std::chrono::steady_clock::now() < deadline) {
      auto listed = http(daemon.port(), "POST", "/api/v1/admin/plugins", R"({"apikey":")" + admin.api_key + R"("})");
      reloads = body_of(listed).at("data").at(0).at("reloads").as_int64();
      if (reloads == 0) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    CHECK(reloads == 1);
  }
}
