#include "api/action_center.hpp"

#include <exception>

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "api/order_results.hpp"

namespace oa::api {
namespace {

namespace json = boost::json;

Decision refusal(int status, std::string message) {
  return {status, json::object{{"status", "error"}, {"message", std::move(message)}}};
}

// Text stored by us as JSON; anything else shown as the text it is.
json::value parsed_or_text(const std::string& text) {
  boost::system::error_code ec;
  auto value = json::parse(text, ec);
  if (ec) return json::string(text);
  return value;
}

Decision not_pending(const store::PendingOrders& orders, std::int64_t id) {
  auto order = orders.find(id);
  if (!order) return refusal(404, "Pending order " + std::to_string(id) + " not found");
  return refusal(409, "Pending order " + std::to_string(id) + " is already " + order->status);
}

}  // namespace

void ActionCenter::add_executor(std::string api_type, OrderExecutor execute) {
  executors_.insert_or_assign(std::move(api_type), std::move(execute));
}

void ActionCenter::queue(std::string_view api_type, const OrderIntake& intake, const net::Responder& respond) const {
  try {
    auto queued = store::PendingOrders(store_).add(intake.user_id, std::string(api_type), json::serialize(intake.values),
                                                   intake.client_order_id);
    if (!queued.repeat) spdlog::info("action center: {} of user {} queued as {}", api_type, intake.user_id, queued.id);
    respond(jsonify(200, json::object{{"message", "Order queued for approval in Action Center"},
                                      {"mode", "semi_auto"},
                                      {"pending_order_id", queued.id},
                                      {"status", "success"}}));
  } catch (const std::exception& error) {
    spdlog::error("action center: {} of user {} not queued: {}", api_type, intake.user_id, error.what());
    respond(jsonify(500, json::object{{"message", std::string("Failed to queue order: ") + error.what()},
                                      {"status", "error"}}));
  }
}

void ActionCenter::approve(std::int64_t id, const std::string& approver, std::function<void(Decision)> done) const {
  store::PendingOrders orders(store_);
  if (!orders.approve(id, approver)) return done(not_pending(orders, id));
  auto order = orders.find(id);
  if (!order) return done(refusal(404, "Pending order " + std::to_string(id) + " not found"));
  spdlog::info("action center: pending order {} ({}) approved by {}", id, order->api_type, approver);
  execute(*order, std::move(done));
}

void ActionCenter::execute(const store::PendingOrder& order, std::function<void(Decision)> done) const {
  auto* store = &store_;
  const auto id = order.id;
  auto answer = [store, id, api_type = order.api_type, done](net::HttpResponse response) {
    try {
      store::PendingOrders(*store).record_result(id, response.status, response.body);
    } catch (const std::exception& error) {
      spdlog::error("action center: pending order {} keeps no result: {}", id, error.what());
    }
    done({200, json::object{{"data", json::object{{"id", id},
                                                   {"api_type", api_type},
                                                   {"result_status", response.status},
                                                   {"result", parsed_or_text(response.body)}}},
                            {"message", "Pending order " + std::to_string(id) + " approved and executed"},
                            {"status", "success"}}});
  };
  auto executor = executors_.find(order.api_type);
  boost::system::error_code ec;
  auto values = json::parse(order.order_data, ec);
  if (executor == executors_.end() || ec || !values.is_object())
    return answer(jsonify(500, json::object{{"message", "Cannot execute a stored " + order.api_type + " request"},
                                            {"status", "error"}}));
  // Without a client_order_id of its own, the order's id is its idempotency
  // key: the journal never sends an approved order twice.
  OrderIntake intake{order.user_id, std::move(values.as_object()),
                     order.client_order_id.empty() ? "action-center-" + std::to_string(id) : order.client_order_id};
  try {
    executor->second(std::move(intake), answer);
  } catch (const std::exception& error) {
    spdlog::error("action center: pending order {} failed: {}", id, error.what());
    answer(jsonify(500, json::object{{"message", "An unexpected error occurred"}, {"status", "error"}}));
  }
}

Decision ActionCenter::reject(std::int64_t id, const std::string& rejecter, const std::string& reason) const {
  store::PendingOrders orders(store_);
  if (!orders.reject(id, rejecter, reason)) return not_pending(orders, id);
  spdlog::info("action center: pending order {} rejected by {}", id, rejecter);
  return {200, json::object{{"data", describe_pending_order(*orders.find(id))},
                            {"message", "Pending order " + std::to_string(id) + " rejected"},
                            {"status", "success"}}};
}

std::vector<store::PendingOrder> ActionCenter::list(const std::string& status, std::size_t limit) const {
  return store::PendingOrders(store_).list(status, limit);
}

json::object describe_pending_order(const store::PendingOrder& order) {
  json::object out{{"id", order.id},
                   {"user", order.username},
                   {"api_type", order.api_type},
                   {"order", parsed_or_text(order.order_data)},
                   {"status", order.status},
                   {"created_at", order.created_at}};
  if (!order.client_order_id.empty()) out["client_order_id"] = order.client_order_id;
  if (!order.decided_at.empty()) {
    out["decided_at"] = order.decided_at;
    out["decided_by"] = order.decided_by;
  }
  if (order.status == "rejected") out["rejected_reason"] = order.rejected_reason;
  if (order.result_status) {
    out["result_status"] = *order.result_status;
    out["result"] = parsed_or_text(order.result);
  }
  return out;
}

}  // namespace oa::api
