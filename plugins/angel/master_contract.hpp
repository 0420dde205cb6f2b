// master_contract.hpp — Angel's instrument file (OpenAPIScripMaster.json, a
// JSON array of 100k+ rows, public, from ANGEL_INSTRUMENTS_URL) parsed as it
// arrives with an event parser, one row at a time straight into the host's
// table in OpenAlgo's symbology: no document tree and no copy of the file.
#pragma once

#include <optional>
#include <string>

#include "smartapi_client.hpp"

namespace oa::angel {

inline constexpr std::string_view kDefaultInstrumentsUrl =
    "https://margincalculator.angelbroking.com/OpenAPI_File/files/OpenAPIScripMaster.json";

// One row of the file, its fields as Angel spells them (all strings).
struct ScripRow {
  std::string token, symbol, name, expiry, strike, lotsize, instrumenttype, exch_seg, tick_size;
};

// The OpenAlgo instrument of a row, or nullopt for a row that cannot be one
// (no token, no symbol, an unreadable expiry on a derivative).
std::optional<sdk::Instrument> to_instrument(const ScripRow& row);

std::size_t master_contract(SmartApiClient& smartapi, const sdk::Call& call, sdk::InstrumentSink& sink);

}  // namespace oa::angel
