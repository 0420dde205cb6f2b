// The daemon's request logs and API docs, end to end: the traffic log behind
// /api/v1/admin/traffic, the analyzer log behind /api/v1/analyzer, and the
// OpenAPI document of every registered endpoint.
#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include <boost/json.hpp>

#include "support/account.hpp"
#include "support/daemon_process.hpp"
#include "support/http_client.hpp"

namespace json = boost::json;
using namespace oa::test;

namespace {

json::object body_of(const HttpReply& reply) { return json::parse(reply.body).as_object(); }

std::string key_only(const std::string& key) { return R"({"apikey":")" + key + R"("})"; }

std::vector<std::string> with_web_dir() {
  return {"--set", std::string("WEB_DIR=") + OPENALGOD_SOURCE_DIR + "/web"};
}

std::int64_t total_logs(std::uint16_t port, const std::string& key) {
  auto status = http(port, "POST", "/api/v1/analyzer", key_only(key));
  REQUIRE(status.status == 200);
  return body_of(status).at("data").at("total_logs").as_int64();
}

}  // namespace

TEST_SUITE("request logs") {
  TEST_CASE("requests served in analyzer mode are counted by /api/v1/analyzer and other requests are not") {
    Account account;
    Daemon daemon(account.dir.path());  // the simulator takes no real orders: analyzer mode
    auto before = total_logs(daemon.port(), account.api_key);  // this request is logged too
    auto placed = http(daemon.port(), "POST", "/api/v1/placeorder",
                       R"({"apikey":")" + account.api_key +
                           R"(","strategy":"t","exchange":"NSE","symbol":"SBIN","action":"BUY","quantity":1,"pricetype":"LIMIT","price":1,"product":"CNC"})");
    CHECK(placed.status < 500);
    REQUIRE(http(daemon.port(), "POST", "/api/v1/ping", key_only(account.api_key)).status == 200);
    REQUIRE(http(daemon.port(), "POST", "/api/v1/placeorder", key_only("not-a-key")).status == 400);
    auto status = body_of(http(daemon.port(), "POST", "/api/v1/analyzer", key_only(account.api_key)));
    // The first status request, the order and the order with a bad body; not ping.
    CHECK(status.at("data").at("total_logs").as_int64() == before + 3);
    CHECK(status.at("data").at("analyze_mode") == true);
    CHECK(status.at("data").at("mode") == "analyze");
  }

  TEST_CASE("the admin traffic endpoint shows recent requests with their owner and per-route percentiles") {
    Account account;
    Daemon daemon(account.dir.path());
    for (int i = 0; i < 3; ++i)
      REQUIRE(http(daemon.port(), "POST", "/api/v1/ping", key_only(account.api_key)).status == 200);
    REQUIRE(http(daemon.port(), "POST", "/api/v1/quotes",
                 R"({"apikey":")" + account.api_key + R"(","symbol":"RELIANCE","exchange":"NSE"})")
                .status == 200);
    REQUIRE(http(daemon.port(), "GET", "/api/v1/nowhere").status == 404);
    json::object data;
    // The writer lingers up to a quarter second before a partial batch.
    for (int attempt = 0; attempt < 100; ++attempt) {
      data = body_of(http(daemon.port(), "POST", "/api/v1/admin/traffic", key_only(account.api_key))).at("data").as_object();
      if (data.at("written").to_number<std::uint64_t>() >= 5) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    const auto& recent = data.at("recent").as_array();
    REQUIRE(recent.size() >= 5);
    bool saw_quotes = false, saw_not_found = false;
    for (const auto& entry : recent) {
      const auto& request = entry.as_object();
      CHECK(request.at("total_us").as_int64() >= request.at("broker_us").as_int64());
      if (request.at("path") == "/api/v1/quotes") {
        saw_quotes = true;
        CHECK(request.at("user_id").as_int64() > 0);
        CHECK(request.at("status") == 200);
        CHECK(request.at("client_ip") == "127.0.0.1");
      }
      if (request.at("path") == "/api/v1/nowhere") {
        saw_not_found = true;
        CHECK(request.at("status") == 404);
        CHECK(request.at("user_id").is_null());
      }
    }
    CHECK(saw_quotes);
    CHECK(saw_not_found);
    CHECK(http(daemon.port(), "POST", "/api/v1/admin/traffic", key_only(account.api_key)).body.find(account.api_key) ==
          std::string::npos);
    bool ping_route = false;
    for (const auto& route : data.at("routes").as_array())
      if (route.at("route") == "/api/v1/ping") {
        ping_route = true;
        CHECK(route.at("count").to_number<std::uint64_t>() == 3);
        CHECK(route.at("total_p99_us").as_int64() >= route.at("total_p50_us").as_int64());
      }
    CHECK(ping_route);
  }

  TEST_CASE("the OpenAPI document is valid JSON and documents every /api/v1 endpoint's request") {
    Account account;
    Daemon daemon(account.dir.path(), with_web_dir());
    auto reply = http(daemon.port(), "GET", "/api/docs/openapi.json");
    REQUIRE(reply.status == 200);
    auto document = body_of(reply);
    CHECK(document.at("openapi").as_string().starts_with("3."));
    CHECK(document.at("info").at("title").is_string());
    const auto& paths = document.at("paths").as_object();
    for (const char* expected : {"/api/v1/placeorder", "/api/v1/quotes", "/api/v1/ping", "/api/v1/analyzer/toggle",
                                 "/api/v1/ticker/{exchange:symbol}", "/api/v1/instruments", "/api/v1/optionchain",
                                 "/api/v1/market/holidays", "/api/v1/admin/traffic"})
      CHECK_MESSAGE(paths.contains(expected), expected);
    // Every endpoint must say what it takes: a POST its JSON body, a GET its
    // parameters. A new route without .documented(...) fails here.
    for (const auto& [path, item] : paths) {
      if (!path.starts_with("/api/v1/")) continue;
      for (const auto& [method, operation] : item.as_object()) {
        INFO(method, " ", path);
        CHECK(operation.at("summary").is_string());
        CHECK(operation.at("responses").as_object().contains("200"));
        if (method == "post") CHECK(operation.as_object().contains("requestBody"));
        if (method == "get") CHECK(operation.as_object().contains("parameters"));
      }
    }
  }

  TEST_CASE("the docs page at /api/docs is served locally and reads the document") {
    Account account;
    Daemon daemon(account.dir.path(), with_web_dir());
    auto page = http(daemon.port(), "GET", "/api/docs");
    REQUIRE(page.status == 200);
    CHECK(page.headers["content-type"].starts_with("text/html"));
    CHECK(page.body.find("/api/docs/openapi.json") != std::string::npos);
    CHECK(page.body.find("https://") == std::string::npos);
  }

  TEST_CASE("the docs page is Swagger UI, its files served by the daemon itself") {
    Account account;
    Daemon daemon(account.dir.path(), with_web_dir());
    auto page = http(daemon.port(), "GET", "/api/docs");
    CHECK(page.body.find(R"(src="/docs/swagger-ui/swagger-ui-bundle.js")") != std::string::npos);
    auto bundle = http(daemon.port(), "GET", "/docs/swagger-ui/swagger-ui-bundle.js");
    REQUIRE_MESSAGE(bundle.status == 200, "Swagger UI is missing from web/docs: run tools/install-web-assets.sh");
    CHECK(bundle.headers["content-type"].starts_with("text/javascript"));
    CHECK(bundle.body.find("SwaggerUIBundle") != std::string::npos);
    auto style = http(daemon.port(), "GET", "/docs/swagger-ui/swagger-ui.css");
    CHECK(style.status == 200);
    CHECK(style.headers["content-type"].starts_with("text/css"));
  }
  TEST_CASE("the logs go to logs.db, and an upgrade brings the ones openalgo.db kept along") {
    Account account;
    const auto main_db = account.dir.path() / "openalgo.db";
    const auto order = R"({"apikey":")" + account.api_key +
                       R"(","strategy":"t","exchange":"NSE","symbol":"SBIN","action":"BUY","quantity":1,"pricetype":"LIMIT","price":1,"product":"CNC"})";
    std::int64_t kept_in_main = 0;
    {
      // As a daemon from before LOGS_DATABASE_URL: the logs in the main database.
      Daemon before(account.dir.path(), {"--set", "LOGS_DATABASE_URL=sqlite:///" + main_db.generic_string()});
      REQUIRE(http(before.port(), "POST", "/api/v1/placeorder", order).status == 200);
      kept_in_main = total_logs(before.port(), account.api_key);
      CHECK(kept_in_main >= 1);
      CHECK(before.stop() == 0);
    }
    CHECK_FALSE(std::filesystem::exists(account.dir.path() / "logs.db"));
    Daemon after(account.dir.path());
    CHECK(std::filesystem::exists(account.dir.path() / "logs.db"));
    REQUIRE(http(after.port(), "POST", "/api/v1/placeorder", order).status == 200);
    // Every earlier row, the new order and this status request: none lost, none twice.
    CHECK(total_logs(after.port(), account.api_key) == kept_in_main + 2);
  }
}
