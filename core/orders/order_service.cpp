#include "orders/order_service.hpp"

#include <algorithm>
#include <memory>

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "api/api_context.hpp"
#include "orders/order_plans.hpp"

namespace oa::orders {
namespace {

namespace json = boost::json;

OrderReply error_reply(int status, std::string message) {
  return {status, json::object{{"status", "error"}, {"message", std::move(message)}}};
}

OrderReply stored_reply(const JournalEntry& entry) {
  boost::system::error_code ec;
  auto body = json::parse(entry.response, ec);
  if (ec || !body.is_object()) return error_reply(500, "The journaled answer of this order cannot be read");
  return {entry.http_status, std::move(body.as_object())};
}

std::string text_of(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  if (!value) return {};
  if (value->is_string()) return std::string(value->get_string());
  return json::serialize(*value);
}

double number_of(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  if (!value) return 0;
  if (value->is_number()) return value->to_number<double>();
  if (value->is_string()) return std::atof(std::string(value->get_string()).c_str());
  return 0;
}

// An order book row is the journaled order when every field the client chose
// agrees. Broker ids that another journal entry already owns never match.
bool same_order(const json::object& request, const json::object& row) {
  for (const char* key : {"symbol", "exchange", "action", "product", "pricetype"})
    if (request.contains(key) && text_of(row, key) != text_of(request, key)) return false;
  return number_of(row, "quantity") == number_of(request, "quantity");
}

// The client's answer to a plugin's success: {"orderid"} for one order; a
// native smart order's "no action" message; a bulk call's own document.
OrderReply success_reply(const Submission& submission, const std::string& plugin_json) {
  boost::system::error_code ec;
  auto parsed = json::parse(plugin_json, ec);
  json::object answer = !ec && parsed.is_object() ? parsed.as_object() : json::object{};
  std::string orderid = text_of(answer, "orderid");
  switch (submission.plugin_operation) {
    case plugins::Operation::PlaceOrder:
    case plugins::Operation::ModifyOrder:
    case plugins::Operation::CancelOrder:
      if (orderid.empty()) orderid = text_of(submission.document, "orderid");
      return {200, json::object{{"orderid", orderid}, {"status", "success"}}};
    case plugins::Operation::GttPlace:
    case plugins::Operation::GttModify:
    case plugins::Operation::GttCancel: {
      std::string trigger_id = text_of(answer, "trigger_id");
      if (trigger_id.empty()) trigger_id = text_of(submission.document, "trigger_id");
      return {200, json::object{{"status", "success"}, {"trigger_id", trigger_id}}};
    }
    case plugins::Operation::PlaceSmartOrder:
      if (!orderid.empty()) return {200, json::object{{"orderid", orderid}, {"status", "success"}}};
      // A matched position: OpenAlgo answers its own words whatever the broker said.
      return {200, json::object{{"message", kPositionsMatched}, {"status", "success"}}};
    default:
      answer["status"] = "success";
      return {200, std::move(answer)};
  }
}

constexpr const char* kInterruptedComposite = "interrupted composite request";

// What an answer names: an order id, or a GTT's trigger id.
std::string result_id(const json::object& body) {
  auto id = text_of(body, "orderid");
  return id.empty() ? text_of(body, "trigger_id") : id;
}

constexpr const char* kUnknownOutcome =
    "The broker did not answer in time and the outcome is not known yet. Do not send the order again: "
    "check the order book; openalgod will settle this entry against it.";

}  // namespace

namespace {

// A repeated client_order_id: the first answer, or 409 while it is unknown.
OrderReply repeat_reply(const JournalEntry& first, const std::string& client_order_id) {
  if (first.state == "done") return stored_reply(first);
  return error_reply(409, "An order with client_order_id '" + client_order_id +
                              "' is still being processed; its outcome is not known yet");
}

}  // namespace

void OrderService::submit_to_sandbox(const Submission& submission, Sandbox sandbox,
                                     std::function<void(OrderReply)> done) {
  if (submission.client_order_id.empty()) {
    auto record = [this, user = submission.user_id, broker = submission.broker, operation = submission.operation,
                   request = json::serialize(submission.document)](store::StatementCache& sql, int status,
                                                                   const json::object& body) {
      journal_.record(sql, user, broker, "analyze", operation, request, status, json::serialize(body),
                      result_id(body));
    };
    return sandbox.execute(std::move(record), std::move(done));
  }
  auto started = std::make_shared<OrderJournal::Started>();
  auto journal = [this, started, user = submission.user_id, broker = submission.broker,
                  operation = submission.operation, client_id = submission.client_order_id,
                  request = json::serialize(submission.document)](store::StatementCache& sql) {
    *started = journal_.start(sql, user, broker, "analyze", operation, client_id, request);
  };
  auto then = [this, started, client_id = submission.client_order_id, execute = std::move(sandbox.execute),
               done = std::move(done)](bool committed) {
    if (!committed) return done(error_reply(500, "The order could not be journaled and was not sent"));
    if (started->repeat) return done(repeat_reply(started->entry, client_id));
    auto record = [this, id = started->entry.id](store::StatementCache& sql, int status, const json::object& body) {
      journal_.complete(sql, id, status, json::serialize(body), result_id(body));
    };
    execute(std::move(record), done);
  };
  sandbox.transact(std::move(journal), std::move(then));
}

bool OrderService::is_composite(std::string_view operation) {
  for (std::string_view composite : {"placesmartorder", "basketorder", "splitorder", "optionsorder",
                                     "optionsmultiorder", "cancelallorder", "closeposition"})
    if (operation == composite) return true;
  return false;
}

OrderService::CompositeStart OrderService::start_composite(const Submission& submission, const std::string& mode) {
  auto started = journal_.start(submission.user_id, submission.broker, mode, submission.operation,
                                submission.client_order_id, json::serialize(submission.document));
  if (!started.repeat) return {std::nullopt, started.entry.id};
  if (started.entry.note != kInterruptedComposite)
    return {repeat_reply(started.entry, submission.client_order_id), started.entry.id};
  journal_.reopen(started.entry.id);
  spdlog::info("orders: resuming journal entry {} ({}) interrupted by a restart", started.entry.id,
               started.entry.operation);
  return {std::nullopt, started.entry.id};
}

void OrderService::finish_composite(std::int64_t entry_id, const OrderReply& reply) {
  journal_.complete(entry_id, reply.status, json::serialize(reply.body), {});
}

void OrderService::submit(Submission submission, std::function<void(OrderReply)> done) {
  auto started = journal_.start(submission.user_id, submission.broker, "live", submission.operation,
                                submission.client_order_id, json::serialize(submission.document));
  if (started.repeat) return done(repeat_reply(started.entry, submission.client_order_id));
  auto entry = started.entry;
  // Read before the callback takes `submission` over.
  auto request = json::serialize(submission.document);
  auto session = submission.session;
  auto broker = submission.broker;
  auto operation = submission.plugin_operation;
  plugins_.call(broker, operation, std::move(request), std::move(session),
                [this, entry, submission = std::move(submission), done](plugins::Outcome outcome) {
                  on_outcome(entry, submission, outcome, done);
                });
}

void OrderService::on_outcome(const JournalEntry& entry, const Submission& submission, const plugins::Outcome& outcome,
                              const std::function<void(OrderReply)>& done) {
  if (outcome.ok()) {
    auto reply = success_reply(submission, outcome.json);
    auto orderid = result_id(reply.body);
    journal_.complete(entry.id, reply.status, json::serialize(reply.body), orderid);
    return done(std::move(reply));
  }
  if (outcome.status == OA_ERR_UPSTREAM && submission.plugin_operation == plugins::Operation::PlaceOrder) {
    journal_.mark_unknown(entry.id, outcome.message);
    return reconcile(entry, submission.session, done);
  }
  auto reply = outcome.status == OA_ERR_UPSTREAM ? error_reply(504, kUnknownOutcome)
                                                 : error_reply(api::http_status_for(outcome.status), outcome.message);
  journal_.complete(entry.id, reply.status, json::serialize(reply.body), {}, outcome.message);
  done(std::move(reply));
}

void OrderService::reconcile(const JournalEntry& entry, const plugins::Session& session,
                             const std::function<void(OrderReply)>& done) {
  plugins_.call(entry.broker, plugins::Operation::OrderBook, "{}", session,
                [this, entry, done](plugins::Outcome book) { done(settle_from_order_book(entry, book)); });
}

OrderReply OrderService::settle_from_order_book(const JournalEntry& entry, const plugins::Outcome& book) {
  if (!book.ok()) return error_reply(504, kUnknownOutcome);  // stays unknown: settled later
  boost::system::error_code ec;
  auto document = json::parse(book.json, ec);
  auto request = json::parse(entry.request, ec);
  const json::value* orders = !ec && document.is_object() ? document.as_object().if_contains("orders") : nullptr;
  if (!orders || !orders->is_array() || !request.is_object()) return error_reply(504, kUnknownOutcome);
  auto owned = journal_.known_orderids(entry.user_id, entry.broker);
  for (const auto& row : orders->as_array()) {
    if (!row.is_object() || !same_order(request.as_object(), row.as_object())) continue;
    auto orderid = text_of(row.as_object(), "orderid");
    if (orderid.empty() || std::find(owned.begin(), owned.end(), orderid) != owned.end()) continue;
    OrderReply reply{200, json::object{{"orderid", orderid}, {"status", "success"}}};
    journal_.complete(entry.id, 200, json::serialize(reply.body), orderid,
                      "no answer from the broker; found in its order book");
    spdlog::warn("orders: journal entry {} settled from the {} order book: order {}", entry.id, entry.broker, orderid);
    return reply;
  }
  auto reply = error_reply(504, "The broker did not answer in time and its order book has no such order: nothing "
                                "was placed. It is safe to send the order again.");
  journal_.complete(entry.id, reply.status, json::serialize(reply.body), {},
                    "no answer from the broker; not in its order book");
  spdlog::warn("orders: journal entry {}: the {} order book has no such order; recorded as not placed", entry.id,
               entry.broker);
  return reply;
}

void OrderService::reconcile_unfinished(const std::function<plugins::Session(std::int64_t user_id)>& session_for) {
  for (const auto& entry : journal_.unfinished()) {
    if (is_composite(entry.operation)) {
      auto reply = error_reply(500, "Interrupted by a restart before all its orders were sent. Send the same request "
                                    "with the same client_order_id to finish it: orders already sent are not sent "
                                    "again.");
      journal_.complete(entry.id, reply.status, json::serialize(reply.body), {}, kInterruptedComposite);
      continue;
    }
    if (entry.mode == "analyze") {
      auto reply = error_reply(500, "Interrupted before the sandbox answered; see the order book");
      journal_.complete(entry.id, reply.status, json::serialize(reply.body), {}, "interrupted (sandbox)");
      continue;
    }
    if (entry.operation != "placeorder") {
      auto reply = error_reply(504, kUnknownOutcome);
      journal_.complete(entry.id, reply.status, json::serialize(reply.body), {},
                        "interrupted before the broker answered; check the order book");
      continue;
    }
    auto book = plugins_.call_and_wait(entry.broker, plugins::Operation::OrderBook, "{}", session_for(entry.user_id));
    settle_from_order_book(entry, book);
  }
}

}  // namespace oa::orders
