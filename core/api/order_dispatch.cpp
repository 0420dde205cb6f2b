#include "api/order_dispatch.hpp"

#include <memory>

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "api/gtt_routes.hpp"
#include "api/json_reply.hpp"
#include "api/order_results.hpp"

namespace oa::api {
namespace {

namespace json = boost::json;

sandbox::OrderRequest sandbox_order(const json::object& document) {
  auto text = [&document](const char* key) { return std::string(document.at(key).as_string()); };
  sandbox::OrderRequest order;
  order.strategy = text("strategy");
  order.symbol = text("symbol");
  order.exchange = text("exchange");
  order.action = text("action");
  order.pricetype = text("pricetype");
  order.product = text("product");
  order.quantity = document.at("quantity").to_number<double>();
  order.price = document.at("price").to_number<double>();
  order.trigger_price = document.at("trigger_price").to_number<double>();
  order.disclosed_quantity = document.at("disclosed_quantity").to_number<std::int64_t>();
  return order;
}

// Analyzer mode: the sandbox engine executes the request, through the
// journal, which it writes in its own transactions.
void send_to_sandbox(const ApiContext& context, orders::Submission submission,
                     std::function<void(orders::OrderReply)> done) {
  auto* engine = context.sandbox;
  auto user = submission.user_id;
  // Shared, not copied into each copy of the callback below: copying the
  // request was a tenth of an HTTP thread's time per sandbox order.
  auto shared_document = std::make_shared<const json::object>(submission.document);
  auto kind = submission.plugin_operation;
  orders::OrderService::Sandbox sandbox;
  sandbox.transact = [engine](orders::OrderService::Sandbox::Work work, std::function<void(bool)> then) {
    engine->write(std::move(work), std::move(then));
  };
  sandbox.execute = [engine, user, shared_document, kind](orders::OrderService::Sandbox::Record record,
                                                          std::function<void(orders::OrderReply)> finish) {
    const json::object& document = *shared_document;
    auto reply = [finish = std::move(finish)](sandbox::Reply answer) { finish({answer.status, std::move(answer.body)}); };
    sandbox::Engine::Record in_engine = [record = std::move(record)](store::StatementCache& sql,
                                                                     const sandbox::Reply& answer) {
      record(sql, answer.status, answer.body);
    };
    switch (kind) {
      case plugins::Operation::GttPlace: return engine->place_gtt(user, sandbox_gtt_request(document), reply, in_engine);
      case plugins::Operation::GttModify:
        return engine->modify_gtt(user, sandbox_gtt_request(document), reply, in_engine);
      case plugins::Operation::GttCancel:
        return engine->cancel_gtt(user, std::string(document.at("trigger_id").as_string()), reply, in_engine);
      default:
        break;
    }
    if (kind == plugins::Operation::PlaceOrder)
      return engine->place_order(user, sandbox_order(document), reply, in_engine);
    std::string orderid(document.at("orderid").as_string());
    if (kind == plugins::Operation::CancelOrder) return engine->cancel_order(user, orderid, reply, in_engine);
    sandbox::ModifyRequest modify{orderid, document.at("quantity").to_number<double>(),
                                  document.at("price").to_number<double>(),
                                  document.at("trigger_price").to_number<double>()};
    engine->modify_order(user, std::move(modify), reply, in_engine);
  };
  context.orders->submit_to_sandbox(submission, std::move(sandbox), std::move(done));
}

struct Sequence : std::enable_shared_from_this<Sequence> {
  const ApiContext* context = nullptr;
  bool paced = false;
  std::size_t count = 0;
  Step step;
  std::function<void()> finish;

  void run(std::size_t index) {
    if (index >= count) return finish();
    step(index, [self = shared_from_this(), index] { self->after(index + 1); });
  }
  void after(std::size_t index) {
    if (index >= count || !paced) return run(index);
    context->run_after(context->order_spacing, [self = shared_from_this(), index] { self->run(index); });
  }
};

}  // namespace

bool analyzing(const ApiContext& context) { return context.analyze_mode && context.analyze_mode() && context.sandbox; }

OrderDesk order_desk(const ApiContext& context, std::int64_t user_id) {
  return {user_id, context.route_for(user_id), analyzing(context)};
}

ErrorStyle v_str(const ApiContext& context) {
  return context.analyze_mode && context.analyze_mode() ? ErrorStyle::PythonReprAnalyze : ErrorStyle::PythonRepr;
}

bool broker_has(const ApiContext& context, const std::string& broker, std::uint64_t capabilities,
                std::string_view what, const net::Responder& respond) {
  auto manifest = context.plugins.manifest(broker);
  if (manifest && (manifest->capabilities & capabilities) == capabilities) return true;
  respond(error_reply(501, "Broker '" + broker + "' does not support " + std::string(what)));
  return false;
}

std::string idempotency_key(const net::HttpRequest& request, json::object& values) {
  if (auto* given = values.if_contains("client_order_id")) {
    std::string key(given->as_string());
    values.erase("client_order_id");
    return key;
  }
  return std::string(request.header("idempotency-key").substr(0, 64));
}

json::object plugin_document(json::object values) {
  values.erase("apikey");
  values.erase("underlying_ltp");
  if (auto* action = values.if_contains("action")) {
    std::string upper(action->as_string());
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    *action = upper;
  }
  return values;
}

void send_order(const ApiContext& context, const OrderDesk& desk, std::string operation,
                plugins::Operation plugin_operation, json::object document, std::string client_order_id,
                std::function<void(orders::OrderReply)> done) {
  orders::Submission submission;
  submission.user_id = desk.user_id;
  submission.client_order_id = std::move(client_order_id);
  submission.broker = desk.route.broker;
  submission.session = desk.route.session;
  submission.operation = std::move(operation);
  submission.plugin_operation = plugin_operation;
  submission.document = std::move(document);
  try {
    if (desk.analyze) return send_to_sandbox(context, std::move(submission), done);
    context.orders->submit(std::move(submission), done);
  } catch (const std::exception& error) {
    // The journal could not be written, so nothing was sent.
    spdlog::error("orders: {} for user {} not sent: {}", submission.operation, desk.user_id, error.what());
    done({500, json::object{{"status", "error"}, {"message", "The order could not be journaled and was not sent"}}});
  }
}

void run_composite(const ApiContext& context, const OrderDesk& desk, std::string operation, json::object document,
                   std::string client_order_id, net::Responder respond, std::function<void(Finish)> body) {
  orders::Submission submission;
  submission.user_id = desk.user_id;
  submission.client_order_id = std::move(client_order_id);
  submission.broker = desk.route.broker;
  submission.operation = std::move(operation);
  submission.document = std::move(document);
  auto started = context.orders->start_composite(submission, desk.analyze ? "analyze" : "live");
  if (started.repeat) return respond(jsonify(started.repeat->status, started.repeat->body));
  auto* orders = context.orders;
  body([orders, id = started.entry_id, respond = std::move(respond)](orders::OrderReply reply) {
    try {
      orders->finish_composite(id, reply);
    } catch (const std::exception& error) {
      spdlog::error("orders: journal entry {} keeps no answer: {}", id, error.what());
    }
    respond(jsonify(reply.status, reply.body));
  });
}

void one_after_another(const ApiContext& context, const OrderDesk& desk, std::size_t count, Step step,
                       std::function<void()> finish) {
  auto sequence = std::make_shared<Sequence>();
  sequence->context = &context;
  sequence->paced = !desk.analyze && context.run_after && context.order_spacing.count() > 0;
  sequence->count = count;
  sequence->step = std::move(step);
  sequence->finish = std::move(finish);
  sequence->run(0);
}

}  // namespace oa::api
