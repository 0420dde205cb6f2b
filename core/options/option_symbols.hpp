#pragma once
// OpenAlgo's option symbology (rest_api.md B.3, D.6): reading underlyings and
// option symbols, writing option symbols, and walking a strike ladder from
// the at-the-money strike by an offset (ATM, ITMn, OTMn).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "options/black_scholes.hpp"
#include "options/option_expiry.hpp"

namespace oa::options {

// ASCII upper case: OpenAlgo upper-cases symbols, offsets and expiry codes
// before matching them.
std::string upper_case(std::string_view text);

struct Underlying {
  std::string base;                   // upper-cased
  std::optional<std::string> expiry;  // DDMMMYY, when the text embeds one
};

// B.3: ^([A-Z]+)(\d{2}[A-Z]{3}\d{2})(?:FUT)?$ on the upper-cased text gives
// the base and the embedded expiry; anything else is a base with no expiry
// (so "726GS2033..." and "M&M..." keep their text).
Underlying parse_underlying(std::string_view text);

struct OptionSymbol {
  std::string base;
  ExpiryDate expiry;
  double strike = 0;
  OptionType type = OptionType::Call;
};

// B.3: ([A-Z]+)(\d{2})([A-Z]{3})(\d{2})([\d.]+)(CE|PE) matched at the start of
// the upper-cased symbol. Throws std::invalid_argument with OpenAlgo's text:
// "Invalid option symbol format: X", "Invalid month in option symbol: X", ...
OptionSymbol parse_option_symbol(std::string_view symbol);

std::string_view type_code(OptionType type);  // "CE", "PE"
// "CE"/"PE" in any case.
std::optional<OptionType> parse_type_code(std::string_view text);

// "24000" for a whole strike, else Python's float text ("292.5", "83.25").
std::string strike_text(double strike);
// <BASE><DDMMMYY><STRIKE><CE|PE>, e.g. NIFTY28NOV2424000CE.
std::string option_symbol(std::string_view base, std::string_view expiry_code, double strike, OptionType type);

struct Offset {
  enum class Side { AtTheMoney, InTheMoney, OutOfTheMoney };
  Side side = Side::AtTheMoney;
  int steps = 0;  // 0 for ATM, else 1..50
};

// "ATM", "ITM1".."ITM50", "OTM1".."OTM50" in any case (no leading zeros).
std::optional<Offset> parse_offset(std::string_view text);

// The position in ascending `strikes` of the one nearest `spot`, the lower on
// a tie (OpenAlgo keeps the first minimum); nullopt when there are none.
std::optional<std::size_t> atm_index(const std::vector<double>& strikes, double spot);

// The listed strike `offset` positions from the at-the-money one: a call is
// in the money below it and out of the money above, a put the other way round.
// Walking the listed strikes (rather than assuming a step) follows whatever
// spacing the master has, uneven included. nullopt past either end.
std::optional<double> listed_strike_at(const std::vector<double>& strikes, double spot, Offset offset, OptionType type);

// OpenAlgo's legacy strike_int method: ATM = round(spot / interval) * interval
// (half to even, as Python's round), then `offset` whole intervals away.
double interval_strike_at(double spot, double interval, Offset offset, OptionType type);

struct ChainStrike {
  double strike = 0;
  std::string call_label;  // "ATM", "ITM2", "OTM3"
  std::string put_label;
};

// The strikes within `count` positions of the ATM one on each side (all of
// them when count is empty), labelled from each side's point of view.
std::vector<ChainStrike> chain_strikes(const std::vector<double>& strikes, std::size_t atm,
                                       std::optional<std::size_t> count);

}  // namespace oa::options
