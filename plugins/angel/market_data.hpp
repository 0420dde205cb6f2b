// market_data.hpp — quotes, multiquotes, depth and history from SmartAPI's
// market endpoints: quotes in batches of at most 50 tokens per request
// (Angel's limit), depth always 5 levels a side, history in chunks no longer
// than Angel allows per interval, joined without gaps, with open interest
// merged in for derivatives.
#pragma once

#include "smartapi_client.hpp"

namespace oa::angel {

json::value quotes(SmartApiClient& smartapi, const sdk::Call& call, const json::object& request);
json::value multiquotes(SmartApiClient& smartapi, const sdk::Call& call, const json::object& request);
json::value depth(SmartApiClient& smartapi, const sdk::Call& call, const json::object& request);
json::value history(SmartApiClient& smartapi, const sdk::Call& call, const json::object& request);

// "2024-04-01T09:15:00+05:30" as Unix seconds, or nullopt when malformed.
std::optional<std::int64_t> epoch_seconds(std::string_view timestamp);

}  // namespace oa::angel
