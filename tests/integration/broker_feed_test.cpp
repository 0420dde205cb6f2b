// OpenAlgo's WebSocket feed end to end through the real broker plugins: the
// daemon with ZERODHA_*_URL / ANGEL_*_URL pointing at the fakes, the broker
// logged in, and an OpenAlgo client on the feed port subscribing an equity,
// an index and a currency future in every mode. The fakes' scripted price
// paths say what each price must be, so a wrong divisor or a misread index
// packet fails here; a feed the fake drops mid-stream must come back by itself.
#include <doctest/doctest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/json.hpp>

#include "fakes/zerodha/kite_fake.hpp"
#include "smartapi_fake.hpp"
#include "support/account.hpp"
#include "support/broker_login.hpp"
#include "support/daemon_process.hpp"
#include "support/http_client.hpp"
#include "support/ws_test_client.hpp"

namespace json = boost::json;
using namespace oa::test;
using namespace std::chrono_literals;

namespace {

struct Instrument {
  std::string symbol, exchange;
  double low, high;  // the fake's price path stays inside [low, high]
};

const std::vector<std::string> kLtpFields{"symbol", "exchange", "mode", "ltp", "ltt", "timestamp"};
const std::vector<std::string> kQuoteFields{"symbol", "exchange", "mode", "ltp", "ltt", "timestamp", "volume",
                                            "last_quantity", "average_price", "total_buy_quantity",
                                            "total_sell_quantity", "open", "high", "low", "close"};
const std::vector<std::string> kDepthFields{"symbol", "exchange", "mode", "ltp", "ltt", "timestamp", "volume",
                                            "last_quantity", "average_price", "total_buy_quantity",
                                            "total_sell_quantity", "open", "high", "low", "close", "oi",
                                            "upper_circuit", "lower_circuit", "depth"};

std::vector<std::string> keys_of(const json::object& object) {
  std::vector<std::string> keys;
  for (const auto& [key, value] : object) keys.emplace_back(key);
  return keys;
}

double number(const json::object& object, const char* key) { return object.at(key).to_number<double>(); }

// A daemon serving `settings`, an administrator with an API key, and the
// feed client. `pump` makes the fake send (Angel's fake sends only when told).
struct BrokerFeed {
  Account account;
  std::unique_ptr<Daemon> daemon;
  std::unique_ptr<WsTestClient> ws;
  std::function<void()> pump = [] {};

  // The client and the daemon go before the fake they talk to.
  void stop() {
    ws.reset();
    daemon.reset();
  }

  HttpReply post(const std::string& path, json::object body = {}) {
    body["apikey"] = account.api_key;
    return http(daemon->port(), "POST", "/api/v1/" + path, json::serialize(body));
  }

  // Waits until the broker's master contract resolves `symbol`.
  void wait_for_instruments(const Instrument& instrument) {
    auto deadline = std::chrono::steady_clock::now() + 15s;
    while (post("symbol", {{"symbol", instrument.symbol}, {"exchange", instrument.exchange}}).status != 200 &&
           std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(50ms);
    REQUIRE(post("symbol", {{"symbol", instrument.symbol}, {"exchange", instrument.exchange}}).status == 200);
  }

  void connect(const std::string& broker) {
    ws = std::make_unique<WsTestClient>(daemon->ws_port());
    ws->send_json(json::object{{"action", "authenticate"}, {"api_key", account.api_key}});
    auto auth = ws->receive_type("auth");
    REQUIRE(auth);
    CHECK(auth->at("status") == "success");
    CHECK(auth->at("broker").as_string() == broker);
  }

  json::object subscribe(const std::vector<Instrument>& instruments, int mode, const char* action = "subscribe") {
    json::array symbols;
    for (const auto& instrument : instruments)
      symbols.push_back(json::object{{"symbol", instrument.symbol}, {"exchange", instrument.exchange}});
    ws->send_json(json::object{{"action", action}, {"symbols", symbols}, {"mode", mode}, {"depth", 5}});
    auto ack = ws->receive_type(action == std::string("subscribe") ? "subscribe" : "unsubscribe");
    REQUIRE(ack);
    return *ack;
  }

  // The next market_data message for `instrument` tagged with `mode`, the fake
  // pumped whenever the feed is idle (so its price path moves a step per
  // pause, not per message); nullopt after 15 s.
  std::optional<json::object> tick_of(const Instrument& instrument, int mode) {
    auto deadline = std::chrono::steady_clock::now() + 15s;
    while (std::chrono::steady_clock::now() < deadline) {
      auto tick = ws->receive_type("market_data", 200ms);
      if (!tick) pump();
      if (tick && tick->at("symbol").as_string() == instrument.symbol && tick->at("exchange").as_string() == instrument.exchange &&
          tick->at("mode") == mode)
        return tick;
    }
    return std::nullopt;
  }

  // Whether any tick of `instrument` arrives within `quiet` (the fake pumped).
  bool hears(const Instrument& instrument, std::chrono::milliseconds quiet) {
    auto until = std::chrono::steady_clock::now() + quiet;
    while (std::chrono::steady_clock::now() < until) {
      auto tick = ws->receive_type("market_data", 100ms);
      if (!tick) pump();
      if (tick && tick->at("symbol").as_string() == instrument.symbol) return true;
    }
    return false;
  }
};

// Every mode of every instrument: the reference's keys, the client's mode,
// the broker's name and prices on the fake's path.
void check_every_mode(BrokerFeed& feed, const std::string& broker, const std::vector<Instrument>& instruments) {
  const std::vector<std::vector<std::string>> fields{kLtpFields, kQuoteFields, kDepthFields};
  for (int mode = 1; mode <= 3; ++mode) {
    auto ack = feed.subscribe(instruments, mode);
    CHECK_MESSAGE(ack.at("status") == "success", json::serialize(ack));
    for (const auto& instrument : instruments) {
      CAPTURE(instrument.symbol);
      CAPTURE(mode);
      auto tick = feed.tick_of(instrument, mode);
      REQUIRE(tick);
      CHECK(keys_of(*tick) == std::vector<std::string>{"type", "symbol", "exchange", "mode", "data", "broker"});
      CHECK(tick->at("broker").as_string() == broker);
      const auto& data = tick->at("data").as_object();
      CHECK(keys_of(data) == fields[static_cast<std::size_t>(mode - 1)]);
      CHECK(data.at("symbol").as_string() == instrument.symbol);
      CHECK(data.at("exchange").as_string() == instrument.exchange);
      auto ltp = number(data, "ltp");
      CHECK(ltp >= instrument.low);
      CHECK(ltp <= instrument.high);
      if (mode == 1) continue;
      CHECK(number(data, "high") >= ltp);
      CHECK(number(data, "low") <= ltp);
      // Within a few rupees of the price: a wrong divisor is off by powers of ten.
      CHECK(number(data, "low") > instrument.low * 0.9);
      CHECK(number(data, "high") < instrument.high * 1.1);
      if (mode == 2) continue;
      const auto& depth = data.at("depth").as_object();
      CHECK(depth.at("buy").as_array().size() == 5);
      CHECK(depth.at("sell").as_array().size() == 5);
    }
    feed.subscribe(instruments, mode, "unsubscribe");
  }
}

// Subscribes LTP, waits for a tick, lets the fake drop its feed, and expects
// ticks again without the client doing anything.
void check_reconnect(BrokerFeed& feed, const Instrument& instrument, const std::function<void()>& drop) {
  REQUIRE(feed.subscribe({instrument}, 1).at("status") == "success");
  REQUIRE(feed.tick_of(instrument, 1));
  drop();
  // Ticks already in flight may land; the ones that prove the reconnect come after.
  while (feed.ws->receive_type("market_data", 50ms)) {
  }
  auto tick = feed.tick_of(instrument, 1);
  REQUIRE(tick);
  CHECK(number(tick->at("data").as_object(), "ltp") >= instrument.low);
}

// --- Zerodha ---------------------------------------------------------------

// instruments.csv's INFY (1894.5), NIFTY 50 (24350.5, an index: 28/32-byte
// packets) and USDINR Dec future (84.1275, CDS: prices in 10^-7 rupees); the
// path rises at most 0.3 % above them.
const Instrument kKiteEquity{"INFY", "NSE", 1894.5, 1894.5 * 1.004};
const Instrument kKiteIndex{"NIFTY", "NSE_INDEX", 24350.5, 24350.5 * 1.004};
const Instrument kKiteCurrency{"USDINR27DEC24FUT", "CDS", 84.1275, 84.1275 * 1.004};

std::vector<std::string> kite_settings(const KiteFake& fake) {
  auto settings = fake.settings();
  for (const auto& setting : {std::string("VALID_BROKERS=zerodha"), plugin_dirs_flag()}) {
    settings.emplace_back("--set");
    settings.push_back(setting);
  }
  return settings;
}

// Logged in to Zerodha with `openalgod broker login`, then served.
struct ZerodhaFeed : BrokerFeed {
  KiteFake fake;
  ~ZerodhaFeed() { stop(); }
  ZerodhaFeed() {
    std::vector<std::string> login{"broker", "login", "zerodha", "--field", "request_token=req-token-1", "--data-dir",
                                   account.dir.path().string()};
    for (const auto& setting : kite_settings(fake)) login.push_back(setting);
    auto logged_in = run_openalgod(login);
    REQUIRE_MESSAGE(logged_in.exit_code == 0, logged_in.err);
    daemon = std::make_unique<Daemon>(account.dir.path(), kite_settings(fake));
    wait_for_instruments(kKiteCurrency);
    connect("zerodha");
  }
};

// --- Angel -------------------------------------------------------------------

// scrip_master.json's SBIN (800), Nifty 50 (24000) and USDINR Nov future
// (84.1225, CDS: exchange type 13); the path climbs a tick (0.05, or 0.0025
// for currency) per step, and a test takes far fewer than 400 steps.
const Instrument kAngelEquity{"SBIN", "NSE", 800.0, 820.0};
const Instrument kAngelIndex{"NIFTY", "NSE_INDEX", 24000.0, 24020.0};
const Instrument kAngelCurrency{"USDINR27NOV24FUT", "CDS", 84.1225, 85.1225};

// Logged in to Angel through /angel/callback.
struct AngelFeed : BrokerFeed {
  SmartApiFake fake;
  ~AngelFeed() { stop(); }
  AngelFeed() {
    pump = [this] { fake.tick(); };
    daemon = std::make_unique<Daemon>(account.dir.path(), fake.settings());
    auto login = http(daemon->port(), "POST", "/angel/callback",
                      "userid=A123456&pin=1234&totp=123456&state=" + login_state(daemon->port(), account.api_key, "angel"),
                      "application/x-www-form-urlencoded");
    REQUIRE_MESSAGE(login.status == 200, login.body);
    wait_for_instruments(kAngelCurrency);
    connect("angel");
  }
};

}  // namespace

TEST_SUITE("broker feed") {
  TEST_CASE("zerodha: an equity, an index and a currency future stream in every mode with Kite's prices") {
    ZerodhaFeed feed;
    check_every_mode(feed, "zerodha", {kKiteEquity, kKiteIndex, kKiteCurrency});
  }

  TEST_CASE("zerodha: an unsubscribed symbol's ticks stop while the others keep flowing") {
    ZerodhaFeed feed;
    REQUIRE(feed.subscribe({kKiteEquity, kKiteIndex}, 2).at("status") == "success");
    REQUIRE(feed.tick_of(kKiteEquity, 2));
    auto ack = feed.subscribe({kKiteEquity}, 2, "unsubscribe");
    CHECK(ack.at("status") == "success");
    // Ticks already on their way may land; then a quiet spell (Kite ticks every 500 ms).
    int late = 0;
    while (late < 5 && feed.hears(kKiteEquity, 1500ms)) ++late;
    CHECK(late < 5);
    CHECK(feed.tick_of(kKiteIndex, 2));
    CHECK(feed.fake.ticker_messages().back().find("unsubscribe") != std::string::npos);
  }

  TEST_CASE("zerodha: after Kite drops the ticker mid-stream the daemon reconnects, resubscribes and ticks flow") {
    ZerodhaFeed feed;
    check_reconnect(feed, kKiteCurrency, [&feed] {
      auto before = feed.fake.ticker_messages().size();
      feed.fake.drop_feed();
      // The resubscription on the new connection proves the daemon asked again.
      auto deadline = std::chrono::steady_clock::now() + 15s;
      while (feed.fake.ticker_messages().size() == before && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(20ms);
    });
    CHECK(feed.fake.ticker_connections() == 1);
  }

  TEST_CASE("angel: an equity, an index and a currency future stream in every mode with Angel's prices") {
    AngelFeed feed;
    check_every_mode(feed, "angel", {kAngelEquity, kAngelIndex, kAngelCurrency});
  }

  TEST_CASE("angel: after SmartStream drops mid-stream the daemon reconnects, resubscribes and ticks flow") {
    AngelFeed feed;
    check_reconnect(feed, kAngelEquity, [&feed] {
      auto deadline = std::chrono::steady_clock::now() + 10s;
      while (feed.fake.stream_connections() == 0 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(20ms);
      feed.fake.drop_feed();
    });
    CHECK(feed.fake.stream_connections() == 1);
  }
}
