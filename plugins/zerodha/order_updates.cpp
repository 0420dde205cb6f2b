#include "order_updates.hpp"

#include "openalgo_sdk/numbers.hpp"
#include "streaming.hpp"
#include "symbols.hpp"
#include "value_maps.hpp"

namespace oa::zerodha {

OrderUpdates::OrderUpdates(KiteClient& kite)
    : kite_(kite), stream_(kite.host(), {"Kite order updates"}, [this](std::string_view text) { on_text(text); }) {}

void OrderUpdates::open(const sdk::Call& call) {
  if (call.auth_token.empty()) throw sdk::Error(OA_ERR_AUTH, "not logged in to Zerodha: order updates need a session");
  stream_.open({ticker_url(kite_, call.auth_token), {}});
}

void OrderUpdates::on_text(std::string_view text) {
  auto update = order_update_of(kite_.host(), text);
  if (update) return kite_.host().emit_order_update(sdk::to_json(*update));
  if (text.find("\"error\"") != std::string_view::npos)
    kite_.host().warn("Kite order updates: " + std::string(text.substr(0, 300)));
}

std::optional<sdk::OrderUpdate> order_update_of(const sdk::Host& host, std::string_view frame) {
  boost::system::error_code ec;
  auto message = json::parse(frame, ec);
  if (ec || !message.is_object()) return std::nullopt;
  const auto* type = message.as_object().if_contains("type");
  const auto* data = message.as_object().if_contains("data");
  if (!type || *type != "order" || !data || !data->is_object()) return std::nullopt;
  const auto& order = data->as_object();
  sdk::OrderUpdate update;
  update.orderid = sdk::text_or(order, "order_id", "");
  update.exchange = sdk::text_or(order, "exchange", "");
  update.symbol = openalgo_symbol(host, sdk::text_or(order, "tradingsymbol", ""), update.exchange);
  update.action = sdk::text_or(order, "transaction_type", "");
  update.quantity = sdk::whole_member(order, "quantity");
  update.pricetype = sdk::text_or(order, "order_type", "");
  // OpenAlgo shows a market order's price as 0.
  update.price = update.pricetype == "MARKET" ? 0.0 : sdk::number_member(order, "price");
  update.trigger_price = sdk::number_member(order, "trigger_price");
  update.product = sdk::text_or(order, "product", "");
  update.order_status = std::string(kOrderStatuses.to_openalgo(sdk::text_or(order, "status", ""), kUnknownStatus));
  update.filled_quantity = sdk::whole_member(order, "filled_quantity");
  update.pending_quantity = sdk::whole_member(order, "pending_quantity");
  update.average_price = sdk::number_member(order, "average_price");
  update.rejection_reason = sdk::text_or(order, "status_message", "");
  return update;
}

}  // namespace oa::zerodha
