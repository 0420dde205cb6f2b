// order_updates.hpp — Kite's order postbacks as OpenAlgo order updates
// (OA_CAP_ORDER_STREAM). Kite sends them as text frames,
// {"type":"order","data":{...order...}}, on its ticker WebSocket
// (ZERODHA_WS_URL); like OpenAlgo, the plugin keeps a ticker connection of its
// own for them that subscribes to no instrument, so market-data connections
// come and go without losing an update (websocket.md §6.1).
#pragma once

#include <optional>
#include <string_view>

#include "kite_client.hpp"
#include "openalgo_sdk/order_stream.hpp"
#include "openalgo_sdk/order_update.hpp"

namespace oa::zerodha {

class OrderUpdates {
 public:
  explicit OrderUpdates(KiteClient& kite);

  void open(const sdk::Call& call);
  void close() { stream_.close(); }

 private:
  void on_text(std::string_view text);

  KiteClient& kite_;
  sdk::OrderStream stream_;
};

// The order of an "order" text frame in OpenAlgo's terms; nullopt for any
// other frame ("error", "message") or one that is not JSON.
std::optional<sdk::OrderUpdate> order_update_of(const sdk::Host& host, std::string_view frame);

}  // namespace oa::zerodha
