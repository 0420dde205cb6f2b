#include "funds.hpp"

#include <cstdio>

#include "openalgo_sdk/numbers.hpp"

namespace oa::angel {
namespace {

std::string two_decimals(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", value);
  return text;
}

}  // namespace

// getRMS already carries each figure under its own name, the day's M2M
// included; OpenAlgo re-derives cash and collateral from other fields and
// a second (rate-limited) positions call, which this does not need.
json::value funds(SmartApiClient& smartapi, const sdk::Call& call) {
  auto data = smartapi.request(call, smartapi.limits().funds, "GET", "/rest/secure/angelbroking/user/v1/getRMS");
  const auto* rms = data.if_object();
  if (!rms) throw sdk::Error(OA_ERR_BROKER, "Angel's RMS answer has no limits");
  return json::object{{"availablecash", two_decimals(sdk::number_member(*rms, "availablecash"))},
                      {"collateral", two_decimals(sdk::number_member(*rms, "collateral"))},
                      {"m2munrealized", two_decimals(sdk::number_member(*rms, "m2munrealized"))},
                      {"m2mrealized", two_decimals(sdk::number_member(*rms, "m2mrealized"))},
                      {"utiliseddebits", two_decimals(sdk::number_member(*rms, "utiliseddebits"))}};
}

}  // namespace oa::angel
