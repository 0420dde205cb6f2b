// books.hpp — Kite's order book, trades, positions and holdings as OpenAlgo's
// normalised rows (brokers.md §1.6, §3.1). The host computes the statistics.
#pragma once

#include "kite_client.hpp"

namespace oa::zerodha {

json::value order_book(KiteClient& kite, const sdk::Call& call);
json::value trade_book(KiteClient& kite, const sdk::Call& call);
json::value positions(KiteClient& kite, const sdk::Call& call);
json::value holdings(KiteClient& kite, const sdk::Call& call);

}  // namespace oa::zerodha
