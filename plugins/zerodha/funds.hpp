// funds.hpp — OpenAlgo's funds from Kite's margins (equity + commodity) and
// positions, as brokers.md §3.1 computes them; all values 2-decimal strings.
#pragma once

#include "kite_client.hpp"

namespace oa::zerodha {

json::value funds(KiteClient& kite, const sdk::Call& call);

}  // namespace oa::zerodha
