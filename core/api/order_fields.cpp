#include "api/order_fields.hpp"

#include <cmath>
#include <cstdint>

#include "api/exchanges.hpp"
#include "api/json_text.hpp"

namespace oa::api {

namespace json = boost::json;

const std::vector<std::string>& order_actions() {
  static const std::vector<std::string> actions{"BUY", "SELL", "buy", "sell"};
  return actions;
}

const std::vector<std::string>& order_price_types() {
  static const std::vector<std::string> types{"MARKET", "LIMIT", "SL", "SL-M"};
  return types;
}

const std::vector<std::string>& order_products() {
  static const std::vector<std::string> products{"MIS", "NRML", "CNC"};
  return products;
}

Field api_key_field() { return Field::text("apikey").length_between(1, 256); }

Field client_order_id_field() { return Field::text("client_order_id").length_between(1, 64).optional(); }

std::vector<Field> common_order_fields(Field quantity) {
  return {Field::text("exchange").choices(valid_exchanges()),
          Field::text("symbol"),
          Field::text("action").choices(order_actions()),
          std::move(quantity),
          Field::text("pricetype").choices(order_price_types()).defaults_to("MARKET"),
          Field::text("product").choices(order_products()).defaults_to("MIS"),
          Field::number("price").at_least(0, "Price must be a non-negative number.").defaults_to(0.0),
          Field::number("trigger_price").at_least(0, "Trigger price must be a non-negative number.").defaults_to(0.0),
          Field::integer("disclosed_quantity")
              .at_least(0, "Disclosed quantity must be a non-negative integer.")
              .defaults_to(0)};
}

FieldErrors whole_quantity(json::object& values) {
  if (values.at("exchange") == "CRYPTO") return {};
  double quantity = values.at("quantity").to_number<double>();
  if (quantity != std::floor(quantity))
    return {{"quantity", {"Fractional quantity (" + to_json_text(json::value(quantity)) +
                          ") is not allowed for non-crypto exchanges."}}};
  values["quantity"] = static_cast<std::int64_t>(quantity);
  return {};
}

}  // namespace oa::api
