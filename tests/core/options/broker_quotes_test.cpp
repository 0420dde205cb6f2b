// Quotes as the option services see them, through a real plugin host and the
// test broker, which answers quotes (echoing the request) but declares no
// multiquotes: the per-symbol fallback.
#include <doctest/doctest.h>

#include <chrono>
#include <future>
#include <memory>

#include "api/broker_quotes.hpp"
#include "security/keyring.hpp"
#include "store/database_url.hpp"
#include "store/store.hpp"
#include "support/daemon_process.hpp"

using namespace oa;
using api::BrokerQuotes;
using api::MultiQuoteOutcome;
using api::QuoteOutcome;

namespace {

instruments::Instrument row(const std::string& symbol) {
  instruments::Instrument out;
  out.symbol = symbol;
  out.exchange = "NSE";
  out.token = symbol;
  return out;
}

// Derived once: Argon2id is slow on purpose.
const security::Keyring& keyring() {
  static security::Keyring instance = [] {
    security::init_crypto();
    return security::Keyring::derive(std::string(64, 'p'), "00112233445566778899aabbccddeeff");
  }();
  return instance;
}

// Everything an ApiContext refers to, with the test broker loaded.
struct Fixture {
  test::TempDir dir;
  std::unique_ptr<store::Store> store =
      store::Store::open(store::parse_database_url("sqlite:///" + (dir.path() / "t.db").string()), 1);
  security::Accounts accounts{*store, keyring()};
  plugins::PluginHost host{[this] {
                             plugins::HostOptions options;
                             options.copy_dir = dir.path() / "loaded";
                             options.workers = 2;
                             options.default_deadline = std::chrono::milliseconds(2000);
                             return options;
                           }(),
                           plugins::HostServices{}};
  instruments::InstrumentTable table;
// ApiContext grows with every endpoint family; the test names only what quotes use.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
  api::ApiContext context{.accounts = accounts, .plugins = host, .instruments = table};
#pragma GCC diagnostic pop
  std::shared_ptr<const instruments::InstrumentIndex> master =
      std::make_shared<const instruments::InstrumentIndex>(std::vector{row("SBIN"), row("INFY")});

  Fixture() { host.load(std::filesystem::path(TEST_PLUGIN_DIR) / "testbroker.so"); }

  BrokerQuotes quotes() { return BrokerQuotes(context, api::BrokerRoute{"testbroker", {}}, master); }
};

QuoteOutcome quote(const BrokerQuotes& quotes, const std::string& symbol) {
  std::promise<QuoteOutcome> result;
  quotes.quote({symbol, "NSE"}, [&](QuoteOutcome outcome) { result.set_value(std::move(outcome)); });
  return result.get_future().get();
}

MultiQuoteOutcome multiquote(const BrokerQuotes& quotes, std::vector<std::string> symbols) {
  std::vector<api::SymbolOnExchange> items;
  for (auto& symbol : symbols) items.push_back({symbol, "NSE"});
  std::promise<MultiQuoteOutcome> result;
  quotes.multiquote(items, [&](MultiQuoteOutcome outcome) { result.set_value(std::move(outcome)); });
  return result.get_future().get();
}

}  // namespace

TEST_SUITE("options: broker quotes") {
  TEST_CASE("a quote comes from the user's broker, and a symbol outside the master is refused before asking it") {
    Fixture fixture;
    auto sbin = quote(fixture.quotes(), "SBIN");
    REQUIRE(sbin.ok());
    CHECK(sbin.data.at("echo").at("symbol") == "SBIN");
    auto unknown = quote(fixture.quotes(), "NOSUCH");
    CHECK(unknown.status == 400);
    CHECK(unknown.message ==
          "Symbol 'NOSUCH' not found for exchange 'NSE'. Please verify the symbol name and ensure master contracts "
          "are downloaded.");
  }

  TEST_CASE("without multiquotes the symbols are quoted one by one, unknown ones reported first") {
    Fixture fixture;
    auto outcome = multiquote(fixture.quotes(), {"SBIN", "NOSUCH", "INFY"});
    REQUIRE(outcome.ok());
    REQUIRE(outcome.results.size() == 3);
    CHECK(outcome.results[0].symbol == "NOSUCH");
    CHECK_FALSE(outcome.results[0].data);
    CHECK(outcome.results[1].symbol == "SBIN");
    REQUIRE(outcome.data_for("INFY"));
    CHECK(outcome.data_for("INFY")->at("echo").at("symbol") == "INFY");
    CHECK(outcome.data_for("NOSUCH") == nullptr);
  }

  TEST_CASE("a multiquote with no known symbol fails with the first symbol's reason") {
    Fixture fixture;
    auto outcome = multiquote(fixture.quotes(), {"NOSUCH"});
    CHECK(outcome.status == 400);
    CHECK(outcome.message.starts_with("Symbol 'NOSUCH' not found"));
  }

  TEST_CASE("an API key that matched no user fails every quote with 403") {
    Fixture fixture;
    BrokerQuotes anonymous(fixture.context, std::nullopt, fixture.master);
    auto single = quote(anonymous, "SBIN");
    CHECK(single.status == 403);
    CHECK(single.message == "Invalid openalgo apikey");
    CHECK(multiquote(anonymous, {"SBIN"}).status == 403);
  }
}
