#pragma once
// Finding an option contract from an underlying and an offset (rest_api.md
// D.6), and the synthetic future built from the at-the-money pair (C.7.3):
// the steps optionsymbol, syntheticfuture and the Greeks endpoints share.
// Asynchronous, over the user's broker quotes; nothing here waits.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <boost/json/value.hpp>

#include "api/options_market.hpp"
#include "options/option_chain_index.hpp"
#include "options/option_symbols.hpp"

namespace oa::api {

// Where an underlying is quoted: D.6 steps 1-3, with OpenAlgo's messages.
struct UnderlyingQuote {
  int status = 200;
  std::string message;
  std::string base;  // the parsed, upper-cased base symbol
  SymbolOnExchange quoted;  // what to ask a quote for
  bool ok() const { return status == 200; }
};

// `exchange` as the client sent it. Exchanges without a spot (MCX, CDS, ...)
// and no expiry in the underlying are quoted on their nearest future, CRYPTO
// on its <BASE>USDFUT perpetual.
UnderlyingQuote underlying_quote(const options::OptionChainIndex& chains, const std::string& underlying,
                                 const std::string& exchange, std::int64_t now_epoch_seconds);

struct OptionQuery {
  std::string underlying;                       // as sent
  std::string exchange;                         // as sent
  std::optional<std::string> expiry_date;       // DDMMMYY; wins over one embedded in the underlying
  std::optional<std::int64_t> strike_interval;  // OpenAlgo's legacy strike_int
  std::string offset_text;                      // as sent, for messages
  options::Offset offset;
  options::OptionType type = options::OptionType::Call;
  std::optional<boost::json::value> underlying_ltp;  // known already: no quote is fetched
};

struct ResolvedOption {
  int status = 200;
  std::string message;
  instruments::Instrument contract;  // the master row
  double strike = 0;
  boost::json::value underlying_ltp;  // as the broker sent it
  bool ok() const { return status == 200; }
};

void resolve_option(const MarketView& view, OptionQuery query, std::function<void(ResolvedOption)> done);

struct SyntheticFuture {
  int status = 200;
  std::string message;
  double atm_strike = 0;
  double price = 0;  // strike + call - put, to 2 decimals
  boost::json::value underlying_ltp;
  bool ok() const { return status == 200; }
};

// C.7.3: the ATM call and put of the expiry, quoted together.
void synthetic_future(const MarketView& view, std::string underlying, std::string exchange, std::string expiry_date,
                      std::function<void(SyntheticFuture)> done);

}  // namespace oa::api
