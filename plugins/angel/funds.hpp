// funds.hpp — OpenAlgo's five fund figures from SmartAPI's RMS limits
// (getRMS), as 2-decimal strings.
#pragma once

#include "smartapi_client.hpp"

namespace oa::angel {

json::value funds(SmartApiClient& smartapi, const sdk::Call& call);

}  // namespace oa::angel
