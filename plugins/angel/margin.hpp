// margin.hpp — /margin through SmartAPI's batch margin calculator
// (margin/v1/batch): OpenAlgo's positions mapped through the value tables,
// Angel's total and SPAN margins back.
#pragma once

#include "smartapi_client.hpp"

namespace oa::angel {

json::value margin(SmartApiClient& smartapi, const sdk::Call& call, const json::object& request);

}  // namespace oa::angel
