#include "order_updates.hpp"

#include "openalgo_sdk/numbers.hpp"
#include "symbols.hpp"
#include "value_maps.hpp"

namespace oa::angel {

OrderUpdates::OrderUpdates(SmartApiClient& smartapi)
    : smartapi_(smartapi),
      stream_(smartapi.host(), {"Angel order updates", kOrderPingMs, "ping"}, [this](std::string_view text) { on_text(text); }) {}

void OrderUpdates::open(const sdk::Call& call) {
  if (call.auth_token.empty()) throw sdk::Error(OA_ERR_AUTH, "not logged in to Angel One: order updates need the session's JWT");
  stream_.open({smartapi_.host().config_or("ANGEL_ORDER_WS_URL", kDefaultOrderWsUrl),
                {{"Authorization", "Bearer " + std::string(call.auth_token)}}});
}

void OrderUpdates::on_text(std::string_view text) {
  if (auto update = order_update_of(smartapi_.host(), text)) return smartapi_.host().emit_order_update(sdk::to_json(*update));
  boost::system::error_code ec;
  auto message = json::parse(text, ec);
  if (ec || !message.is_object()) return;  // "pong"
  auto error = sdk::text_or(message.as_object(), "error-message", "");
  if (!error.empty()) smartapi_.host().warn("Angel order updates: " + error);
}

std::optional<sdk::OrderUpdate> order_update_of(const sdk::Host& host, std::string_view frame) {
  boost::system::error_code ec;
  auto message = json::parse(frame, ec);
  if (ec || !message.is_object()) return std::nullopt;
  const auto& object = message.as_object();
  auto code = sdk::text_or(object, "order-status", "");
  const auto* data = object.if_contains("orderData");
  if (code.empty() || code == "AB00" || !data || !data->is_object()) return std::nullopt;
  const auto& order = data->as_object();
  sdk::OrderUpdate update;
  update.orderid = sdk::text_or(order, "orderid", "");
  if (update.orderid.empty()) return std::nullopt;
  update.exchange = sdk::text_or(order, "exchange", "");
  update.symbol = openalgo_symbol(host, sdk::text_or(order, "symboltoken", ""), sdk::text_or(order, "tradingsymbol", ""),
                                  update.exchange);
  update.action = sdk::text_or(order, "transactiontype", "");
  update.quantity = sdk::whole_member(order, "quantity");
  auto ordertype = sdk::text_or(order, "ordertype", "");
  update.pricetype = std::string(kPriceTypes.to_openalgo(ordertype, ordertype));
  update.price = sdk::number_member(order, "price");
  update.trigger_price = sdk::number_member(order, "triggerprice");
  auto product = sdk::text_or(order, "producttype", "");
  update.product = std::string(kProducts.to_openalgo(product, product));
  // The code names the transition; a code the reference does not map falls
  // back on the order's own status text.
  auto status = std::string(kOrderStatuses.to_openalgo(sdk::text_or(order, "status", ""), kUnknownStatus));
  update.order_status = std::string(kOrderStatusCodes.to_openalgo(code, status));
  update.filled_quantity = sdk::whole_member(order, "filledshares");
  update.pending_quantity = sdk::whole_member(order, "unfilledshares");
  update.average_price = sdk::number_member(order, "averageprice");
  update.rejection_reason = sdk::text_or(order, "text", "");
  return update;
}

}  // namespace oa::angel
