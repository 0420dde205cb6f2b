#pragma once
// Sending order-changing requests where the user's orders go now: to the
// sandbox engine in analyzer mode, else to the broker plugin — through the
// order journal either way. Every order endpoint, single or composite, sends
// its orders through here, so a repeated client_order_id never sends twice.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "api/api_context.hpp"
#include "api/auth_check.hpp"

namespace oa::api {

struct OrderDesk {
  std::int64_t user_id = 0;
  BrokerRoute route;
  bool analyze = false;  // true: the sandbox engine takes the orders
};
OrderDesk order_desk(const ApiContext& context, std::int64_t user_id);
bool analyzing(const ApiContext& context);

// V-STR errors, with "mode":"analyze" in analyzer mode (rest_api.md A.3).
ErrorStyle v_str(const ApiContext& context);

// True when the broker's plugin declares every bit of `capabilities`; else
// answers 501 naming the broker and what it lacks.
bool broker_has(const ApiContext& context, const std::string& broker, std::uint64_t capabilities,
                std::string_view what, const net::Responder& respond);

// The client's idempotency key: its client_order_id (taken out of `values`,
// so no broker sees it) or, without one, the Idempotency-Key header.
std::string idempotency_key(const net::HttpRequest& request, boost::json::object& values);

// A validated request as a plugin receives it: no API key, action upper-case.
boost::json::object plugin_document(boost::json::object values);

// Sends one order request: placeorder, modifyorder, cancelorder and the GTT
// documents go to the sandbox in analyzer mode; any operation to a live plugin.
// `done` is called once, from any thread.
void send_order(const ApiContext& context, const OrderDesk& desk, std::string operation,
                plugins::Operation plugin_operation, boost::json::object document, std::string client_order_id,
                std::function<void(orders::OrderReply)> done);

// A request that sends several orders: journaled as one entry first
// (OrderService::start_composite). A repeat is answered at once; otherwise
// `body` runs and hands its answer to `finish`, which records and sends it.
using Finish = std::function<void(orders::OrderReply)>;
void run_composite(const ApiContext& context, const OrderDesk& desk, std::string operation,
                   boost::json::object document, std::string client_order_id, net::Responder respond,
                   std::function<void(Finish)> body);

// Runs `step(0, next)`, then `step(1, next)` once the first called next(),
// and so on; then `finish()`. Orders to a live broker are spaced by
// context.order_spacing on a timer, as OpenAlgo spaces its split orders.
using Step = std::function<void(std::size_t index, std::function<void()> next)>;
void one_after_another(const ApiContext& context, const OrderDesk& desk, std::size_t count, Step step,
                       std::function<void()> finish);

}  // namespace oa::api
