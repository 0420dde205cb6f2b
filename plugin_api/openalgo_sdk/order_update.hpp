// order_update.hpp — one order-status change in OpenAlgo's order_update
// shape (websocket.md §2.3.6), as a plugin hands it to the host with
// Host::emit_order_update. The host adds type, user_id, mode and broker.
#pragma once

#include <cstdint>
#include <string>

#include "openalgo_plugin.hpp"

namespace oa::sdk {

struct OrderUpdate {
  std::string orderid, symbol, exchange, action;
  std::int64_t quantity = 0;
  double price = 0, trigger_price = 0;
  std::string pricetype, product;
  std::string order_status;  // OpenAlgo's lower-case status: open, trigger pending, complete, rejected, cancelled
  std::int64_t filled_quantity = 0, pending_quantity = 0;
  double average_price = 0;
  std::string rejection_reason;  // sent only with "rejected"
};

// The fields in the reference's order.
inline json::object to_json(const OrderUpdate& update) {
  return {{"orderid", update.orderid},
          {"symbol", update.symbol},
          {"exchange", update.exchange},
          {"action", update.action},
          {"quantity", update.quantity},
          {"price", update.price},
          {"trigger_price", update.trigger_price},
          {"pricetype", update.pricetype},
          {"product", update.product},
          {"order_status", update.order_status},
          {"filled_quantity", update.filled_quantity},
          {"pending_quantity", update.pending_quantity},
          {"average_price", update.average_price},
          {"rejection_reason", update.order_status == "rejected" ? update.rejection_reason : std::string()}};
}

}  // namespace oa::sdk
