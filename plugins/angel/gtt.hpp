// gtt.hpp — OpenAlgo's GTT orders (OA_CAP_GTT) on SmartAPI's GTT rules
// (/rest/secure/angelbroking/gtt/v1/createRule, modifyRule, cancelRule,
// ruleDetails, ruleList). A rule is one trigger and one order, so a SINGLE GTT
// maps onto it and an OCO is refused by name. GTT rules take DELIVERY or
// MARGIN products: CNC is DELIVERY, NRML is MARGIN. Cancelling needs the
// rule's token and exchange, which OpenAlgo's request does not carry: they are
// read from ruleDetails first.
#pragma once

#include "smartapi_client.hpp"

namespace oa::angel {

inline constexpr std::string_view kGttPath = "/rest/secure/angelbroking/gtt/v1/";
// Rules listed per ruleList request; pages are read until a short one.
inline constexpr int kGttPageSize = 100;
inline constexpr int kGttMaxPages = 20;

json::value gtt_place(SmartApiClient& smartapi, const sdk::Call& call, const json::object& request);
json::value gtt_modify(SmartApiClient& smartapi, const sdk::Call& call, const json::object& request);
json::value gtt_cancel(SmartApiClient& smartapi, const sdk::Call& call, const json::object& request);
// The active (NEW or ACTIVE) rules in OpenAlgo's gttorderbook rows.
json::value gtt_book(SmartApiClient& smartapi, const sdk::Call& call);

}  // namespace oa::angel
