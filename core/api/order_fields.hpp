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

// The post-load check of OpenAlgo's order schemas (rest_api.md A.3), for
// Schema::after_fields: off CRYPTO a fractional quantity is refused,
// otherwise it becomes a whole number.
FieldErrors whole_quantity(boost::json::object& values);

}  // namespace oa::api
