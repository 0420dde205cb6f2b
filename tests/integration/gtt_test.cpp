// GTT endpoints (rest_api.md C.2): validation, live through a broker plugin
// with GTT, 501 for a broker without, and analyzer mode through the sandbox.
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include "support/account.hpp"
#include "support/daemon_process.hpp"
#include "support/http_client.hpp"

namespace json = boost::json;
using namespace oa::test;

namespace {

std::vector<std::string> broker_flags(const std::string& broker) {
  return {"--set", std::string("PLUGIN_DIRS=") + OPENALGOD_PLUGIN_DIR + ":" + TEST_PLUGIN_DIR,
          "--set", "VALID_BROKERS=zerodha,ordersbroker,gttbroker", "--set", "ACTIVE_BROKER=" + broker};
}

std::string single_gtt(const std::string& key, const std::string& extra = "") {
  return R"({"apikey":")" + key +
         R"(","strategy":"g","trigger_type":"single","exchange":"NSE","symbol":"SBIN","action":"buy",)"
         R"("product":"CNC","quantity":"1","price":"1","triggerprice_tg":"2")" +
         extra + "}";
}

json::object body_of(const HttpReply& reply) { return json::parse(reply.body).as_object(); }

std::string key_body(const std::string& key) { return R"({"apikey":")" + key + R"("})"; }

}  // namespace

TEST_SUITE("gtt") {
  TEST_CASE("GTT validation errors come back as OpenAlgo's Python-repr string, unknown keys dropped") {
    Account account;
    Daemon daemon(account.dir.path(), broker_flags("gttbroker"));
    auto port = daemon.port();
    auto missing = http(port, "POST", "/api/v1/placegttorder", key_body(account.api_key));
    CHECK(missing.status == 400);
    CHECK(body_of(missing).at("message") ==
          "{'strategy': ['Missing data for required field.'], 'trigger_type': ['Missing data for required field.'], "
          "'exchange': ['Missing data for required field.'], 'symbol': ['Missing data for required field.'], "
          "'action': ['Missing data for required field.'], 'product': ['Missing data for required field.'], "
          "'quantity': ['Missing data for required field.'], 'price': ['Missing data for required field.']}");
    auto type = http(port, "POST", "/api/v1/placegttorder",
                     single_gtt(account.api_key).replace(single_gtt(account.api_key).find("single"), 6, "both"));
    CHECK(body_of(type).at("message") == R"({'trigger_type': ["Must be 'SINGLE' or 'OCO'."]})");
    auto mis = http(port, "POST", "/api/v1/placegttorder",
                    single_gtt(account.api_key).replace(single_gtt(account.api_key).find("CNC"), 3, "MIS"));
    CHECK(body_of(mis).at("message") ==
          "{'product': ['GTT supports only CNC (delivery) or NRML (overnight F&O); MIS is intraday-only.']}");
    auto no_trigger = http(port, "POST", "/api/v1/placegttorder", single_gtt(account.api_key, R"(,"triggerprice_tg":"")"));
    CHECK(body_of(no_trigger).at("message") ==
          "{'triggerprice_sl': ['SINGLE GTT requires a positive triggerprice_sl or triggerprice_tg.']}");
    auto oco = http(port, "POST", "/api/v1/placegttorder",
                    single_gtt(account.api_key, R"(,"triggerprice_sl":"3","stoploss":"3")")
                        .replace(single_gtt(account.api_key).find("single"), 6, "OCO"));
    CHECK(body_of(oco).at("message") == "{'target': ['Required for OCO (target leg limit).']}");
    auto fractional = http(port, "POST", "/api/v1/placegttorder", single_gtt(account.api_key, R"(,"quantity":1.5)"));
    CHECK(body_of(fractional).at("message") ==
          "{'quantity': ['Fractional quantity (1.5) is not allowed for non-crypto exchanges.']}");
    auto cancel_unknown = http(port, "POST", "/api/v1/cancelgttorder",
                               R"({"apikey":")" + account.api_key + R"(","strategy":"g","trigger_id":"","x":1})");
    CHECK(body_of(cancel_unknown).at("message") ==
          "{'trigger_id': ['Shorter than minimum length 1.'], 'x': ['Unknown field.']}");
    auto bad_key = http(port, "POST", "/api/v1/placegttorder", single_gtt(std::string(64, 'a')));
    CHECK(bad_key.status == 403);
    auto book = http(port, "POST", "/api/v1/gttorderbook", R"({"apikey":")" + account.api_key + R"(","x":1})");
    CHECK(book.status == 400);
    CHECK(body_of(book).at("message") == json::parse(R"({"x":["Unknown field."]})"));
  }

  TEST_CASE("live GTT orders reach the broker plugin with the derived trigger price, through the journal") {
    Account account;
    Daemon daemon(account.dir.path(), broker_flags("gttbroker"));
    auto port = daemon.port();
    auto placed = http(port, "POST", "/api/v1/placegttorder",
                       single_gtt(account.api_key, R"(,"client_order_id":"g-1","unknown":"dropped")"));
    REQUIRE(placed.status == 200);
    CHECK(body_of(placed) == json::parse(R"({"status":"success","trigger_id":"T1"})"));
    auto repeat = http(port, "POST", "/api/v1/placegttorder", single_gtt(account.api_key, R"(,"client_order_id":"g-1")"));
    CHECK(repeat.body == placed.body);
    auto modified = http(port, "POST", "/api/v1/modifygttorder",
                         single_gtt(account.api_key, R"(,"trigger_id":"T1","quantity":"5")"));
    CHECK(body_of(modified) == json::parse(R"({"status":"success","trigger_id":"T1"})"));
    auto cancelled = http(port, "POST", "/api/v1/cancelgttorder",
                          R"({"apikey":")" + account.api_key + R"(","strategy":"g","trigger_id":"T1"})");
    CHECK(body_of(cancelled) == json::parse(R"({"status":"success","trigger_id":"T1"})"));
    auto book = body_of(http(port, "POST", "/api/v1/gttorderbook", key_body(account.api_key)));
    REQUIRE(book.at("data").as_array().size() == 1);
    const auto& gtt = book.at("data").at(0).as_object();
    CHECK(gtt.at("action") == "BUY");
    CHECK(gtt.at("trigger_type") == "SINGLE");
    CHECK(gtt.at("trigger_price").to_number<double>() == 2);
    CHECK(gtt.at("quantity") == 5);
    CHECK(gtt.at("status") == "cancelled");
    CHECK_FALSE(gtt.contains("apikey"));
    CHECK_FALSE(gtt.contains("unknown"));
  }

  TEST_CASE("a broker without GTT answers 501 naming the broker") {
    Account account;
    Daemon daemon(account.dir.path(), broker_flags("ordersbroker"));
    auto placed = http(daemon.port(), "POST", "/api/v1/placegttorder", single_gtt(account.api_key));
    CHECK(placed.status == 501);
    CHECK(body_of(placed).at("message") == "GTT orders are not supported for broker 'ordersbroker' yet");
    auto book = http(daemon.port(), "POST", "/api/v1/gttorderbook", key_body(account.api_key));
    CHECK(book.status == 501);
  }

  TEST_CASE("in analyzer mode GTTs go to the sandbox and never reach the broker") {
    Account account;
    Daemon daemon(account.dir.path(), broker_flags("gttbroker"));
    auto port = daemon.port();
    REQUIRE(body_of(http(port, "POST", "/api/v1/analyzer/toggle",
                         R"({"apikey":")" + account.api_key + R"(","mode":true})"))
                .at("data")
                .at("analyze_mode") == true);
    auto placed = http(port, "POST", "/api/v1/placegttorder", single_gtt(account.api_key));
    // gttbroker has no market data: the sandbox refuses the symbol it cannot look up.
    CHECK(placed.status == 400);
    CHECK(body_of(placed).at("mode") == "analyze");
    auto errors = http(port, "POST", "/api/v1/placegttorder", key_body(account.api_key));
    CHECK(body_of(errors).at("mode") == "analyze");
    REQUIRE(body_of(http(port, "POST", "/api/v1/analyzer/toggle",
                         R"({"apikey":")" + account.api_key + R"(","mode":false})"))
                .at("data")
                .at("analyze_mode") == false);
    auto book = body_of(http(port, "POST", "/api/v1/gttorderbook", key_body(account.api_key)));
    CHECK(book.at("data").as_array().empty());
  }

  TEST_CASE("with the simulator a GTT is placed, listed and cancelled in the sandbox") {
    Account account;
    Daemon daemon(account.dir.path());
    auto port = daemon.port();
    auto placed = http(port, "POST", "/api/v1/placegttorder",
                       single_gtt(account.api_key).replace(single_gtt(account.api_key).find("\"2\""), 3, "\"100000\""));
    REQUIRE_MESSAGE(placed.status == 200, placed.body);
    auto body = body_of(placed);
    CHECK(body.at("mode") == "analyze");
    std::string id(body.at("trigger_id").as_string());
    CHECK(id.starts_with("GTT-"));
    auto book = body_of(http(port, "POST", "/api/v1/gttorderbook", key_body(account.api_key)));
    CHECK(book.at("mode") == "analyze");
    REQUIRE(book.at("data").as_array().size() == 1);
    CHECK(book.at("data").at(0).at("trigger_id") == json::value(id));
    CHECK(book.at("data").at(0).at("last_price").to_number<double>() > 0);
    auto cancelled = http(port, "POST", "/api/v1/cancelgttorder",
                          R"({"apikey":")" + account.api_key + R"(","strategy":"g","trigger_id":")" + id + R"("})");
    CHECK(body_of(cancelled) == json::parse(R"({"mode":"analyze","status":"success","trigger_id":")" + id + R"("})"));
    auto again = http(port, "POST", "/api/v1/cancelgttorder",
                      R"({"apikey":")" + account.api_key + R"(","strategy":"g","trigger_id":")" + id + R"("})");
    CHECK(again.status == 404);
  }

  TEST_CASE("a GTT trigger that is not a number is refused in the sandbox and blocks nothing") {
    Account account;
    Daemon daemon(account.dir.path());
    auto port = daemon.port();
    auto placed = http(port, "POST", "/api/v1/placegttorder", single_gtt(account.api_key, R"(,"triggerprice_tg":"abc")"));
    CHECK(placed.status == 400);
    CHECK(body_of(placed).at("message") == "{'triggerprice_tg': ['Not a valid number.']}");
    auto book = body_of(http(port, "POST", "/api/v1/gttorderbook", key_body(account.api_key)));
    CHECK(book.at("data").as_array().empty());
    auto funds = body_of(http(port, "POST", "/api/v1/funds", key_body(account.api_key)));
    CHECK(funds.at("data").at("utiliseddebits").to_number<double>() == 0);
  }

  TEST_CASE("POST /sandbox/reset deletes the caller's sandbox activity and restores the capital") {
    Account account;
    Daemon daemon(account.dir.path());
    auto port = daemon.port();
    auto placed = http(port, "POST", "/api/v1/placegttorder",
                       single_gtt(account.api_key).replace(single_gtt(account.api_key).find("\"2\""), 3, "\"100000\""));
    REQUIRE_MESSAGE(placed.status == 200, placed.body);
    auto bad_key = http(port, "POST", "/sandbox/reset", key_body(std::string(64, 'a')));
    CHECK(bad_key.status == 403);
    auto reset = http(port, "POST", "/sandbox/reset", key_body(account.api_key));
    REQUIRE_MESSAGE(reset.status == 200, reset.body);
    CHECK(body_of(reset).at("reset_count") == 1);
    auto book = body_of(http(port, "POST", "/api/v1/gttorderbook", key_body(account.api_key)));
    CHECK(book.at("data").as_array().empty());
    auto funds = body_of(http(port, "POST", "/api/v1/funds", key_body(account.api_key)));
    CHECK(funds.at("data").at("utiliseddebits").to_number<double>() == 0);
  }
}
