#pragma once
// The Action Center (rest_api.md A.10). A semi-auto user's requests that
// place orders are stored here instead of executed; an operator approves or
// rejects each. Approving runs the stored request through the executor its
// endpoint registered — the same code a direct request runs after its checks,
// so the journal, idempotency and analyzer routing apply unchanged — once:
// the store's conditional approve lets one caller through, whatever races.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "net/http_types.hpp"
#include "store/pending_orders.hpp"
#include "store/store.hpp"

namespace oa::api {

// An order request past validation and the key check: what an endpoint
// executes at once, or what the Action Center keeps for later.
struct OrderIntake {
  std::int64_t user_id = 0;
  boost::json::object values;   // validated; without "apikey" and "client_order_id"
  std::string client_order_id;  // the client's idempotency key; empty: none
};

// Runs an intake as its endpoint does; answers through the responder once, from any thread.
using OrderExecutor = std::function<void(OrderIntake, net::Responder)>;

struct Decision {
  int status = 200;  // HTTP status for whoever decided
  boost::json::object body;
};

class ActionCenter {
 public:
  explicit ActionCenter(store::Store& store) : store_(store) {}

  // Each endpoint whose requests can be queued names its api_type and
  // executor while the routes are built, before any request arrives.
  void add_executor(std::string api_type, OrderExecutor execute);

  // Stores the intake and answers 200 with its pending_order_id (or 500
  // "Failed to queue order: ..."). A client_order_id queued before answers
  // with that order's id and stores nothing.
  void queue(std::string_view api_type, const OrderIntake& intake, const net::Responder& respond) const;

  // Approves a pending order and executes it; `done` gets the approval with
  // the order's own answer, once, from any thread. 404 for an unknown id,
  // 409 when the order is no longer pending.
  void approve(std::int64_t id, const std::string& approver, std::function<void(Decision)> done) const;
  Decision reject(std::int64_t id, const std::string& rejecter, const std::string& reason) const;

  // Newest first; `status` empty: all.
  std::vector<store::PendingOrder> list(const std::string& status, std::size_t limit) const;

 private:
  void execute(const store::PendingOrder& order, std::function<void(Decision)> done) const;

  store::Store& store_;
  std::map<std::string, OrderExecutor, std::less<>> executors_;  // filled before serving, then only read
};

// A pending order as the admin endpoints and the CLI show it.
boost::json::object describe_pending_order(const store::PendingOrder& order);

}  // namespace oa::api
