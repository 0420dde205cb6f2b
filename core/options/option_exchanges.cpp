#include "options/option_exchanges.hpp"

#include <algorithm>
#include <array>

namespace oa::options {
namespace {

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// The index names of D.6 step 2 (the options-symbol services).
constexpr std::array<std::string_view, 6> kNseIndexOptions{"NIFTY",      "BANKNIFTY",  "FINNIFTY",
                                                           "MIDCPNIFTY", "NIFTYNXT50", "INDIAVIX"};
constexpr std::array<std::string_view, 3> kBseIndexOptions{"SENSEX", "BANKEX", "SENSEX50"};

// The Greeks service's own lists (C.7.4).
constexpr std::array<std::string_view, 8> kNseIndexUnderlyings{"NIFTY",      "BANKNIFTY", "FINNIFTY",    "MIDCPNIFTY",
                                                               "NIFTYNXT50", "NIFTYIT",   "NIFTYPHARMA", "NIFTYBANK"};
constexpr std::array<std::string_view, 4> kCurrencies{"USDINR", "EURINR", "GBPINR", "JPYINR"};
constexpr std::array<std::string_view, 16> kCommodities{
    "GOLD",       "GOLDM",  "GOLDPETAL", "SILVER", "SILVERM",   "SILVERMIC", "CRUDEOIL",    "CRUDEOILM",
    "NATURALGAS", "COPPER", "ZINC",      "LEAD",   "ALUMINIUM", "NICKEL",    "COTTONCANDY", "MENTHAOIL"};
constexpr std::array<std::string_view, 5> kNoSpotExchanges{"MCX", "CDS", "BCD", "NCDEX", "NCO"};
constexpr std::array<std::string_view, 6> kSelfListing{"MCX", "CDS", "NCO", "BCD", "NCDEX", "CRYPTO"};

}  // namespace

std::string quote_exchange(std::string_view base, std::string_view exchange) {
  if (exchange != "NFO" && exchange != "BFO") return std::string(exchange);
  if (contains(kNseIndexOptions, base)) return "NSE_INDEX";
  if (contains(kBseIndexOptions, base)) return "BSE_INDEX";
  return exchange == "NFO" ? "NSE" : "BSE";
}

std::string options_exchange(std::string_view quote_exchange) {
  if (quote_exchange == "NSE" || quote_exchange == "NSE_INDEX") return "NFO";
  if (quote_exchange == "BSE" || quote_exchange == "BSE_INDEX") return "BFO";
  if (contains(kSelfListing, quote_exchange)) return std::string(quote_exchange);
  return "NFO";
}

bool has_no_spot(std::string_view exchange) { return contains(kNoSpotExchanges, exchange); }

std::string greeks_underlying_exchange(std::string_view base, std::string_view options_exchange) {
  if (contains(kNseIndexUnderlyings, base)) return "NSE_INDEX";
  if (contains(kBseIndexOptions, base)) return "BSE_INDEX";
  if (contains(kCurrencies, base) || options_exchange == "CDS") return "CDS";
  if (contains(kCommodities, base) || options_exchange == "MCX") return "MCX";
  if (options_exchange == "CRYPTO") return "CRYPTO";
  return "NSE";
}

}  // namespace oa::options
