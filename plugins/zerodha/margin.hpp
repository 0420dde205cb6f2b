// margin.hpp — OpenAlgo's /margin through Kite's calculators: one position
// through POST /margins/orders, a basket through POST
// /margins/basket?consider_positions=true (its "final" figures, after the
// basket's own offsets), both with a JSON array of Kite orders.
#pragma once

#include "kite_client.hpp"

namespace oa::zerodha {

json::value margin(KiteClient& kite, const sdk::Call& call, const json::object& request);

}  // namespace oa::zerodha
