// books.hpp — the order book, trade book, positions and holdings from
// SmartAPI, mapped to OpenAlgo's rows: symbols through the instrument table
// by Angel's token, Angel's string numbers as numbers, values through the
// value tables.
#pragma once

#include "smartapi_client.hpp"

namespace oa::angel {

json::value order_book(SmartApiClient& smartapi, const sdk::Call& call);
json::value trade_book(SmartApiClient& smartapi, const sdk::Call& call);
json::value positions(SmartApiClient& smartapi, const sdk::Call& call);
json::value holdings(SmartApiClient& smartapi, const sdk::Call& call);

}  // namespace oa::angel
