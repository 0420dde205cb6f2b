#include <doctest/doctest.h>

#include <future>

#include <boost/json.hpp>

#include "orders/order_journal.hpp"
#include "orders/order_service.hpp"
#include "store/statement_cache.hpp"
#include "store/store.hpp"
#include "store/transaction.hpp"
#include "store/users.hpp"
#include "support/daemon_process.hpp"

using namespace oa;
namespace json = boost::json;

namespace {

struct Fixture {
  test::TempDir dir;
  std::unique_ptr<store::Store> store =
      store::Store::open(store::parse_database_url("sqlite:///" + (dir.path() / "test.db").string()), 2);
  std::int64_t user = store::Users(*store).add("trader", "hash", true);
  orders::OrderJournal journal{*store};
  std::unique_ptr<plugins::PluginHost> host = make_host();

  std::unique_ptr<plugins::PluginHost> make_host() {
    plugins::HostOptions options;
    options.copy_dir = dir.path() / "loaded";
    options.default_deadline = std::chrono::milliseconds(300);
    auto made = std::make_unique<plugins::PluginHost>(std::move(options), plugins::HostServices{});
    made->load(std::filesystem::path(TEST_PLUGIN_DIR) / "ordersbroker.so");
    return made;
  }

  orders::OrderReply submit(orders::OrderService& service, const std::string& strategy, const std::string& client_id = "") {
    orders::Submission submission;
    submission.user_id = user;
    submission.broker = "ordersbroker";
    submission.operation = "placeorder";
    submission.client_order_id = client_id;
    submission.document = {{"strategy", strategy}, {"symbol", "SBIN"}, {"exchange", "NSE"}, {"action", "BUY"},
                           {"quantity", 10},       {"product", "MIS"}, {"pricetype", "MARKET"}};
    std::promise<orders::OrderReply> reply;
    service.submit(std::move(submission), [&reply](orders::OrderReply r) { reply.set_value(std::move(r)); });
    return reply.get_future().get();
  }

  // A sandbox engine stand-in: each transact() and each reply is one
  // transaction of its own; `executed` counts the requests it ran.
  int executed = 0;
  bool journal_writable = true;
  std::vector<std::string> states_seen_by_execute;  // journal states, from another connection
  orders::OrderService::Sandbox sandbox() {
    orders::OrderService::Sandbox run;
    run.transact = [this](orders::OrderService::Sandbox::Work work, std::function<void(bool)> then) {
      bool committed = journal_writable;
      if (committed) in_transaction(work);
      then(committed);
    };
    run.execute = [this](orders::OrderService::Sandbox::Record record, std::function<void(orders::OrderReply)> finish) {
      for (const auto& entry : journal.unfinished()) states_seen_by_execute.push_back(entry.state);
      orders::OrderReply reply{200, json::object{{"mode", "analyze"}, {"orderid", "SB" + std::to_string(++executed)},
                                                 {"status", "success"}}};
      in_transaction([&](store::StatementCache& sql) { record(sql, reply.status, reply.body); });
      finish(std::move(reply));
    };
    return run;
  }
  void in_transaction(const std::function<void(store::StatementCache&)>& work) {
    auto lease = store->lease();
    store::StatementCache statements(*lease);
    store::Transaction transaction(lease);
    work(statements);
    transaction.commit();
  }
  orders::OrderReply submit_to_sandbox(orders::OrderService& service, const std::string& client_id = "") {
    orders::Submission submission;
    submission.user_id = user;
    submission.broker = "ordersbroker";
    submission.operation = "placeorder";
    submission.client_order_id = client_id;
    submission.document = {{"strategy", "s"}, {"symbol", "SBIN"}, {"exchange", "NSE"}, {"action", "BUY"},
                           {"quantity", 1},   {"product", "MIS"},  {"pricetype", "MARKET"}};
    std::optional<orders::OrderReply> reply;
    service.submit_to_sandbox(submission, sandbox(), [&reply](orders::OrderReply r) { reply = std::move(r); });
    REQUIRE(reply);
    return *reply;
  }

  std::size_t broker_orders() {
    auto book = host->call_and_wait("ordersbroker", plugins::Operation::OrderBook, "{}");
    return json::parse(book.json).at("orders").as_array().size();
  }
};

}  // namespace

TEST_SUITE("orders") {
  TEST_CASE("a placed order is journaled before sending and completed with the broker's order id") {
    Fixture fixture;
    orders::OrderService service(fixture.journal, *fixture.host);
    auto reply = fixture.submit(service, "s1");
    CHECK(reply.status == 200);
    CHECK(reply.body.at("orderid") == "OB1");
    auto entry = fixture.journal.find(1);
    REQUIRE(entry);
    CHECK(entry->state == "done");
    CHECK(entry->broker_orderid == "OB1");
    CHECK(entry->request.find("\"apikey\"") == std::string::npos);
  }

  TEST_CASE("a repeated client_order_id returns the first answer and sends nothing") {
    Fixture fixture;
    orders::OrderService service(fixture.journal, *fixture.host);
    auto first = fixture.submit(service, "s1", "my-order-7");
    auto second = fixture.submit(service, "s1", "my-order-7");
    CHECK(first.body == second.body);
    CHECK(fixture.broker_orders() == 1);
  }

  TEST_CASE("when the broker takes the order but the answer is lost, the order book settles it without a second order") {
    Fixture fixture;
    orders::OrderService service(fixture.journal, *fixture.host);
    auto reply = fixture.submit(service, "lose-answer");
    CHECK(reply.status == 200);
    CHECK(reply.body.at("orderid") == "OB1");
    CHECK(fixture.broker_orders() == 1);
    auto entry = fixture.journal.find(1);
    CHECK(entry->state == "done");
    CHECK(entry->note == "no answer from the broker; found in its order book");
  }

  TEST_CASE("when the broker never took the order, the client learns it is safe to send again") {
    Fixture fixture;
    orders::OrderService service(fixture.journal, *fixture.host);
    auto reply = fixture.submit(service, "drop");
    CHECK(reply.status == 504);
    CHECK(std::string(reply.body.at("message").as_string()).find("nothing was placed") != std::string::npos);
    CHECK(fixture.broker_orders() == 0);
  }

  TEST_CASE("entries a crashed run left unfinished are settled at start from the order book, never resent") {
    Fixture fixture;
    // The broker got this order; the previous run died before recording the answer.
    json::object sent{{"strategy", "s"}, {"symbol", "SBIN"}, {"exchange", "NSE"}, {"action", "BUY"},
                      {"quantity", 10},   {"product", "MIS"}, {"pricetype", "MARKET"}};
    REQUIRE(fixture.host->call_and_wait("ordersbroker", plugins::Operation::PlaceOrder, json::serialize(sent)).ok());
    auto reached = fixture.journal.start(fixture.user, "ordersbroker", "live", "placeorder", "", json::serialize(sent));
    sent["symbol"] = "INFY";  // and this one never reached it
    auto lost = fixture.journal.start(fixture.user, "ordersbroker", "live", "placeorder", "", json::serialize(sent));
    REQUIRE(fixture.journal.unfinished().size() == 2);

    orders::OrderService restarted(fixture.journal, *fixture.host);
    restarted.reconcile_unfinished([](std::int64_t) { return plugins::Session{}; });
    CHECK(fixture.journal.unfinished().empty());
    CHECK(fixture.journal.find(reached.entry.id)->broker_orderid == "OB1");
    CHECK(fixture.journal.find(reached.entry.id)->http_status == 200);
    CHECK(fixture.journal.find(lost.entry.id)->http_status == 504);
    CHECK(fixture.broker_orders() == 1);
  }

  TEST_CASE("a broker order id owned by one journal entry is never claimed by another") {
    Fixture fixture;
    orders::OrderService service(fixture.journal, *fixture.host);
    REQUIRE(fixture.submit(service, "s1").status == 200);  // OB1, journaled
    auto reply = fixture.submit(service, "drop");           // same order fields, never reached the broker
    CHECK(reply.status == 504);
    CHECK(fixture.broker_orders() == 1);
  }

  TEST_CASE("a repeated composite request answers its first result and runs nothing") {
    Fixture fixture;
    orders::OrderService service(fixture.journal, *fixture.host);
    orders::Submission basket;
    basket.user_id = fixture.user;
    basket.broker = "ordersbroker";
    basket.operation = "basketorder";
    basket.client_order_id = "basket-1";
    auto first = service.start_composite(basket, "live");
    REQUIRE_FALSE(first.repeat);
    service.finish_composite(first.entry_id, {200, json::object{{"results", json::array{}}, {"status", "success"}}});
    auto again = service.start_composite(basket, "live");
    REQUIRE(again.repeat);
    CHECK(again.repeat->body.at("status") == "success");
  }

  TEST_CASE("a composite request a restart interrupted is resumed by its repeat, and its sent orders are not resent") {
    Fixture fixture;
    orders::Submission split;
    split.user_id = fixture.user;
    split.broker = "ordersbroker";
    split.operation = "splitorder";
    split.client_order_id = "split-1";
    {
      orders::OrderService crashed(fixture.journal, *fixture.host);
      REQUIRE_FALSE(crashed.start_composite(split, "live").repeat);
      fixture.submit(crashed, "s1", "split-1#order1");  // the first child went out, then the daemon stopped
    }
    orders::OrderService restarted(fixture.journal, *fixture.host);
    restarted.reconcile_unfinished([](std::int64_t) { return plugins::Session{}; });
    auto resumed = restarted.start_composite(split, "live");
    CHECK_FALSE(resumed.repeat);
    auto child = fixture.submit(restarted, "s1", "split-1#order1");
    CHECK(child.body.at("orderid") == "OB1");
    CHECK(fixture.broker_orders() == 1);
  }

  TEST_CASE("in analyzer mode an entry with a client_order_id is committed before the sandbox executes, then completed") {
    Fixture fixture;
    orders::OrderService service(fixture.journal, *fixture.host);
    auto reply = fixture.submit_to_sandbox(service, "paper-0");
    CHECK(reply.status == 200);
    CHECK(fixture.states_seen_by_execute == std::vector<std::string>{"pending"});
    auto entry = fixture.journal.find(1);
    REQUIRE(entry);
    CHECK(entry->mode == "analyze");
    CHECK(entry->state == "done");
    CHECK(entry->http_status == 200);
    CHECK(entry->broker_orderid == "SB1");
    CHECK(entry->client_order_id == "paper-0");
    CHECK(fixture.journal.unfinished().empty());
  }

  TEST_CASE("in analyzer mode an entry without client_order_id is written once, finished, with the execution") {
    Fixture fixture;
    orders::OrderService service(fixture.journal, *fixture.host);
    auto reply = fixture.submit_to_sandbox(service);
    CHECK(reply.status == 200);
    CHECK(fixture.states_seen_by_execute.empty());
    auto entry = fixture.journal.find(1);
    REQUIRE(entry);
    CHECK(entry->mode == "analyze");
    CHECK(entry->operation == "placeorder");
    CHECK(entry->state == "done");
    CHECK(entry->http_status == 200);
    CHECK(entry->response == json::serialize(reply.body));
    CHECK(entry->broker_orderid == "SB1");
    CHECK(entry->client_order_id.empty());
    CHECK(json::parse(entry->request).at("symbol") == "SBIN");
    CHECK(fixture.journal.count("analyze") == 1);
  }

  TEST_CASE("in analyzer mode a repeated client_order_id returns the first answer and the sandbox runs nothing") {
    Fixture fixture;
    orders::OrderService service(fixture.journal, *fixture.host);
    auto first = fixture.submit_to_sandbox(service, "paper-1");
    auto second = fixture.submit_to_sandbox(service, "paper-1");
    CHECK(fixture.executed == 1);
    CHECK(second.status == 200);
    CHECK(first.body == second.body);
    CHECK(fixture.journal.count("analyze") == 1);
  }

  TEST_CASE("in analyzer mode an order whose journal entry cannot be written is refused and never executed") {
    Fixture fixture;
    orders::OrderService service(fixture.journal, *fixture.host);
    fixture.journal_writable = false;
    auto reply = fixture.submit_to_sandbox(service, "paper-2");
    CHECK(reply.status == 500);
    CHECK(reply.body.at("message") == "The order could not be journaled and was not sent");
    CHECK(fixture.executed == 0);
    CHECK(fixture.journal.count("analyze") == 0);
  }
}
