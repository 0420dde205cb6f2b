#pragma once
// The fields OpenAlgo's order schemas share (rest_api.md C, "common order
// fields"), with their messages, and the post-load quantity check (A.3).
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "api/schema.hpp"

namespace oa::api {

const std::vector<std::string>& order_actions();      // BUY, SELL, buy, sell
const std::vector<std::string>& order_price_types();  // MARKET, LIMIT, SL, SL-M
const std::vector<std::string>& order_products();     // MIS, NRML, CNC

Field api_key_field();
// Beyond OpenAlgo: a client's own id that makes a repeated request return the
// first answer instead of sending anything again (also the Idempotency-Key header).
Field client_order_id_field();

// exchange, symbol, action, quantity, pricetype (MARKET), product (MIS),
// price, trigger_price, disclosed_quantity (0) — with this quantity field.
std::vector<Field> common_order_fields(Field quantity);

// Off CRYPTO a fractional quantity is refused: its message, reported alone
// after every field passed. Otherwise `key` becomes a whole number.
std::optional<std::string> fractional_quantity(boost::json::object& values, const std::string& key = "quantity");

}  // namespace oa::api
