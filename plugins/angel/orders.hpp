// orders.hpp — place, modify and cancel through SmartAPI's order endpoints,
// OpenAlgo's fields mapped through the value tables; Angel's rejection text
// (also when it comes as HTTP 200 with status:false) is the error message.
#pragma once

#include "smartapi_client.hpp"

namespace oa::angel {

json::value place_order(SmartApiClient& smartapi, const sdk::Call& call, const json::object& request);
json::value modify_order(SmartApiClient& smartapi, const sdk::Call& call, const json::object& request);
json::value cancel_order(SmartApiClient& smartapi, const sdk::Call& call, const json::object& request);

}  // namespace oa::angel
