// gtt.hpp — OpenAlgo's GTT orders (OA_CAP_GTT) on Kite's GTT triggers
// (/gtt/triggers, form fields with JSON values): a SINGLE trigger is Kite's
// "single" (one trigger value, one order at `price`), an OCO is Kite's
// "two-leg" (the stop-loss trigger and the target trigger, in that order,
// each with its own order at `stoploss` and `target`). Kite wants the
// instrument's last price with every trigger; it comes from /quote.
#pragma once

#include "kite_client.hpp"

namespace oa::zerodha {

json::value gtt_place(KiteClient& kite, const sdk::Call& call, const json::object& request);
json::value gtt_modify(KiteClient& kite, const sdk::Call& call, const json::object& request);
json::value gtt_cancel(KiteClient& kite, const sdk::Call& call, const json::object& request);
// The active triggers in OpenAlgo's gttorderbook rows.
json::value gtt_book(KiteClient& kite, const sdk::Call& call);

}  // namespace oa::zerodha
