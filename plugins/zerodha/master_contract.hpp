// master_contract.hpp — Kite's instrument file (GET ZERODHA_INSTRUMENTS_URL,
// CSV, ~100k rows) into OpenAlgo's symbology (brokers.md §4.1), one row at a
// time straight from the downloaded text to the host.
#pragma once

#include <functional>
#include <optional>
#include <string_view>

#include "kite_client.hpp"

namespace oa::zerodha {

inline constexpr std::string_view kDefaultInstrumentsUrl = "https://api.kite.trade/instruments";

// Reads the CSV text, calling `add` per instrument; returns the count.
// Throws Error(OA_ERR_BROKER) when the header lacks a column it needs.
std::size_t parse_instruments(std::string_view csv, const std::function<void(const sdk::Instrument&)>& add);

// "2024-11-28" -> "28NOV24" (for symbols) and "28-NOV-24" (the expiry column).
std::optional<std::string> compact_expiry(std::string_view iso_date);
std::optional<std::string> dashed_expiry(std::string_view iso_date);

// 24000 -> "24000", 292.5 -> "292.5", 83.2525 -> "83.2525".
std::string strike_text(double strike);

std::size_t master_contract(KiteClient& kite, const sdk::Call& call, sdk::InstrumentSink& sink);

}  // namespace oa::zerodha
