// order_updates.hpp — Angel One's order-status WebSocket
// (ANGEL_ORDER_WS_URL, default wss://tns.angelone.in/smart-order-update,
// header Authorization: Bearer <jwt>) as OpenAlgo order updates
// (OA_CAP_ORDER_STREAM). Each JSON frame carries an "order-status" code
// (AB00 is the connect acknowledgement) and the order in "orderData", shaped
// like the REST order book's rows (websocket.md §6.2). Angel closes a
// connection that stays silent, so a text "ping" goes out every 9 s, as
// OpenAlgo's adapter sends it.
#pragma once

#include <optional>
#include <string_view>

#include "openalgo_sdk/order_stream.hpp"
#include "openalgo_sdk/order_update.hpp"
#include "smartapi_client.hpp"

namespace oa::angel {

inline constexpr std::string_view kDefaultOrderWsUrl = "wss://tns.angelone.in/smart-order-update";
inline constexpr std::uint32_t kOrderPingMs = 9000;

class OrderUpdates {
 public:
  explicit OrderUpdates(SmartApiClient& smartapi);

  void open(const sdk::Call& call);
  void close() { stream_.close(); }

 private:
  void on_text(std::string_view text);

  SmartApiClient& smartapi_;
  sdk::OrderStream stream_;
};

// The order of an order-status frame in OpenAlgo's terms; nullopt for the
// AB00 acknowledgement, "pong", an error frame or anything not JSON.
std::optional<sdk::OrderUpdate> order_update_of(const sdk::Host& host, std::string_view frame);

}  // namespace oa::angel
