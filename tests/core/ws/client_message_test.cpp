// Reading clients' messages of OpenAlgo's feed protocol (websocket.md §2.2).
#include <doctest/doctest.h>

#include "ws/client_message.hpp"

using namespace oa::ws;

namespace {

ClientMessage read_ok(std::string_view text) {
  auto parsed = read_client_message(text, 100);
  REQUIRE(std::holds_alternative<ClientMessage>(parsed));
  return std::get<ClientMessage>(parsed);
}

ProtocolError read_error(std::string_view text, std::size_t max_symbols = 100) {
  auto parsed = read_client_message(text, max_symbols);
  REQUIRE(std::holds_alternative<ProtocolError>(parsed));
  return std::get<ProtocolError>(parsed);
}

}  // namespace

TEST_SUITE("ws") {
  TEST_CASE("modes are 1, 2, 3 or LTP, Quote, Depth in any case with spaces trimmed, and nothing else") {
    CHECK(parse_mode(boost::json::value(1)) == 1);
    CHECK(parse_mode(boost::json::value(" dEpTh ")) == 3);
    CHECK(parse_mode(boost::json::value("quote")) == 2);
    CHECK_FALSE(parse_mode(boost::json::value(4)));
    CHECK_FALSE(parse_mode(boost::json::value(true)));
    CHECK_FALSE(parse_mode(boost::json::value(2.0)));
    CHECK_FALSE(parse_mode(boost::json::value("full")));
  }

  TEST_CASE("the verb is read from action, or from type when action is absent") {
    CHECK(read_ok(R"({"type":"ping"})").action == Action::Ping);
    CHECK(read_ok(R"({"action":"auth","apikey":"k"})").api_key == "k");
    CHECK(read_ok(R"({"action":"authenticate","api_key":"k2"})").api_key == "k2");
    CHECK(read_ok(R"({"action":"unsubscribe","type":"unsubscribe_all"})").action == Action::UnsubscribeAll);
  }

  TEST_CASE("subscribe takes a symbols list or a top-level symbol, skipping incomplete entries") {
    auto list = read_ok(R"({"action":"subscribe","symbols":[{"symbol":"SBIN","exchange":"NSE"},{"symbol":"X"}],"mode":"LTP","depth":5,"request_id":"r1"})");
    REQUIRE(list.symbols.size() == 1);
    CHECK(list.symbols[0].symbol == "SBIN");
    CHECK(list.symbols[0].mode == 1);
    CHECK(list.request_id == boost::json::value("r1"));
    auto single = read_ok(R"({"action":"subscribe","symbol":"RELIANCE","exchange":"NSE"})");
    REQUIRE(single.symbols.size() == 1);
    CHECK(single.symbols[0].mode == 2);  // Quote by default
  }

  TEST_CASE("unsubscribe takes each entry's mode, then the top-level mode, then Quote") {
    auto message = read_ok(R"({"action":"unsubscribe","mode":1,"symbols":[{"symbol":"A","exchange":"NSE","mode":3},{"symbol":"B","exchange":"NSE"}]})");
    REQUIRE(message.symbols.size() == 2);
    CHECK(message.symbols[0].mode == 3);
    CHECK(message.symbols[1].mode == 1);
    CHECK(read_ok(R"({"action":"unsubscribe","symbol":"A","exchange":"NSE"})").symbols[0].mode == 2);
  }

  TEST_CASE("bad messages get the protocol's codes and messages") {
    CHECK(read_error("{not json").code == "INVALID_JSON");
    CHECK(read_error("{not json").message == "Invalid JSON message");
    CHECK(read_error("[1,2]").code == "INVALID_JSON");
    CHECK(read_error(R"({"action":"dance"})").message == "Invalid action: dance");
    auto mode = read_error(R"({"action":"subscribe","symbol":"A","exchange":"NSE","mode":4})");
    CHECK(mode.code == "INVALID_MODE");
    CHECK(mode.message == "Invalid mode 4; expected 1 (LTP), 2 (Quote), or 3 (Depth)");
    auto none = read_error(R"({"action":"subscribe","symbols":[]})");
    CHECK(none.code == "INVALID_PARAMETERS");
    CHECK(none.message == "At least one symbol must be specified");
    CHECK(read_error(R"({"action":"unsubscribe"})").message == "Either symbols or unsubscribe_all is required");
  }

  TEST_CASE("a symbol list longer than the limit is refused as a whole") {
    std::string many = R"({"action":"subscribe","symbols":[)";
    for (int i = 0; i < 5; ++i) many += std::string(i ? "," : "") + R"({"symbol":"S","exchange":"NSE"})";
    many += "]}";
    auto error = read_error(many, 4);
    CHECK(error.code == "INVALID_PARAMETERS");
    CHECK(error.message == "Too many symbols in one message: 5 (limit 4)");
  }

  TEST_CASE("only authenticate, get_supported_brokers and ping work before authentication") {
    CHECK_FALSE(needs_authentication(Action::Authenticate));
    CHECK_FALSE(needs_authentication(Action::Ping));
    CHECK_FALSE(needs_authentication(Action::SupportedBrokers));
    CHECK(needs_authentication(Action::Subscribe));
    CHECK(needs_authentication(Action::BrokerInfo));
  }
}
