// orders.hpp — place, modify and cancel on Kite's regular variety
// (POST/PUT/DELETE /orders/regular), OpenAlgo's fields mapped through the
// value tables; Kite's rejection text is the error message.
#pragma once

#include "kite_client.hpp"

namespace oa::zerodha {

json::value place_order(KiteClient& kite, const sdk::Call& call, const json::object& request);
json::value modify_order(KiteClient& kite, const sdk::Call& call, const json::object& request);
json::value cancel_order(KiteClient& kite, const sdk::Call& call, const json::object& request);

}  // namespace oa::zerodha
