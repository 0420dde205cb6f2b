#include "api/option_resolution.hpp"

#include "options/decimal_round.hpp"
#include "options/option_exchanges.hpp"

namespace oa::api {
namespace {

namespace json = boost::json;
using options::OptionType;

UnderlyingQuote quote_failure(int status, std::string message) {
  UnderlyingQuote failed;
  failed.status = status;
  failed.message = std::move(message);
  return failed;
}

ResolvedOption resolve_failure(int status, std::string message) {
  ResolvedOption failed;
  failed.status = status;
  failed.message = std::move(message);
  return failed;
}

SyntheticFuture synthetic_failure(int status, std::string message) {
  SyntheticFuture failed;
  failed.status = status;
  failed.message = std::move(message);
  return failed;
}

// The quote's LTP when it is a number; OpenAlgo reads a missing one as None.
std::optional<json::value> ltp_of(const json::object& quote) {
  const json::value* ltp = quote.if_contains("ltp");
  if (!ltp || !(ltp->is_double() || ltp->is_int64() || ltp->is_uint64())) return std::nullopt;
  return *ltp;
}

// D.6 steps 4-7, once the underlying's LTP is known.
ResolvedOption pick_contract(const options::OptionChainIndex& chains, const OptionQuery& query, const std::string& base,
                             const std::string& expiry, const std::string& quote_exchange, json::value ltp) {
  const std::string exchange = options::options_exchange(quote_exchange);
  const double spot = ltp.to_number<double>();
  double strike = 0;
  if (!query.strike_interval) {
    const auto& strikes = chains.strikes(base, expiry, query.type, exchange);
    if (strikes.empty())
      return resolve_failure(404, "No strikes found for " + base + " expiring " + expiry +
                                      ". Please check expiry date or update master contract.");
    auto listed = options::listed_strike_at(strikes, spot, query.offset, query.type);
    if (!listed)
      return resolve_failure(
          400, "Offset " + query.offset_text + " is out of range for available strikes. Please use a smaller offset.");
    strike = *listed;
  } else {
    strike = options::interval_strike_at(spot, static_cast<double>(*query.strike_interval), query.offset, query.type);
  }
  const std::string symbol = options::option_symbol(base, expiry, strike, query.type);
  const instruments::Instrument* row = chains.find(symbol, exchange);
  if (!row)
    return resolve_failure(404, "Option symbol " + symbol + " not found in " + exchange +
                                    ". Symbol may not exist or master contract needs update.");
  ResolvedOption resolved;
  resolved.contract = *row;
  resolved.strike = strike;
  resolved.underlying_ltp = std::move(ltp);
  return resolved;
}

}  // namespace

UnderlyingQuote underlying_quote(const options::OptionChainIndex& chains, const std::string& underlying,
                                 const std::string& exchange, std::int64_t now_epoch_seconds) {
  auto parsed = options::parse_underlying(underlying);
  UnderlyingQuote result;
  result.base = parsed.base;
  if (exchange == "CRYPTO") {
    const std::string perpetual = parsed.base + "USDFUT";
    const auto* row = chains.find(perpetual, exchange);
    if (!row || row->instrumenttype != "PERPFUT")
      return quote_failure(404, "No perpetual futures found for " + parsed.base + " on " + exchange);
    result.quoted = {perpetual, exchange};
  } else if (options::has_no_spot(exchange)) {
    // No spot to quote: the future the client named, else the nearest one
    // (OpenAlgo's optionchain rule, applied to every option service).
    if (parsed.expiry && chains.find(options::upper_case(underlying), exchange)) {
      result.quoted = {options::upper_case(underlying), exchange};
      return result;
    }
    const auto* future = chains.nearest_future(parsed.base, exchange, options::ist_date(now_epoch_seconds));
    if (!future)
      return quote_failure(404, "No unexpired futures found for " + parsed.base + " on " + exchange + ". " + exchange +
                                    " options are priced against the near-month future, which this product does "
                                    "not currently have.");
    result.quoted = {future->symbol, exchange};
  } else {
    result.quoted = {parsed.expiry ? parsed.base : underlying, options::quote_exchange(parsed.base, exchange)};
  }
  return result;
}

void resolve_option(const MarketView& view, OptionQuery query, std::function<void(ResolvedOption)> done) {
  auto parsed = options::parse_underlying(query.underlying);
  // Upper-cased: OpenAlgo builds symbols from the text as sent, so a
  // lower-case expiry finds strikes but never the contract (B.7).
  std::string expiry = options::upper_case(
      query.expiry_date && !query.expiry_date->empty() ? *query.expiry_date : parsed.expiry.value_or(""));
  if (expiry.empty())
    return done(resolve_failure(400,
                                "Expiry date required. Provide via expiry_date parameter or embed in underlying "
                                "(e.g., NIFTY28OCT25FUT)."));
  if (!view.knows_user)  // surfaces from OpenAlgo's quote call, after the checks above (A.5)
    return done(resolve_failure(403, "Failed to fetch LTP for " + (parsed.expiry ? parsed.base : query.underlying) +
                                         ". Invalid openalgo apikey"));
  auto source = underlying_quote(*view.chains, query.underlying, query.exchange,
                                 static_cast<std::int64_t>(view.now_epoch_seconds));
  if (!source.ok()) return done(resolve_failure(source.status, source.message));
  if (query.underlying_ltp) {
    auto ltp = std::move(*query.underlying_ltp);
    return done(pick_contract(*view.chains, query, source.base, expiry, source.quoted.exchange, std::move(ltp)));
  }
  view.quotes.quote(source.quoted, [chains = view.chains, query = std::move(query), source, expiry,
                                    done = std::move(done)](QuoteOutcome quote) {
    if (!quote.ok())
      return done(
          resolve_failure(quote.status, "Failed to fetch LTP for " + source.quoted.symbol + ". " + quote.message));
    auto ltp = ltp_of(quote.data);
    if (!ltp) return done(resolve_failure(500, "Could not determine LTP for " + source.quoted.symbol + "."));
    done(pick_contract(*chains, query, source.base, expiry, source.quoted.exchange, std::move(*ltp)));
  });
}

void synthetic_future(const MarketView& view, std::string underlying, std::string exchange, std::string expiry_date,
                      std::function<void(SyntheticFuture)> done) {
  OptionQuery call{underlying, exchange, expiry_date, std::nullopt, "ATM", {}, OptionType::Call, std::nullopt};
  resolve_option(view, call, [view, call, done = std::move(done)](ResolvedOption ce) mutable {
    if (!ce.ok()) return done(synthetic_failure(ce.status, ce.message));
    OptionQuery put = call;
    put.type = OptionType::Put;
    put.underlying_ltp = ce.underlying_ltp;
    resolve_option(view, put, [view, ce, done = std::move(done)](ResolvedOption pe) {
      if (!pe.ok()) return done(synthetic_failure(pe.status, pe.message));
      std::vector<SymbolOnExchange> legs{{ce.contract.symbol, ce.contract.exchange},
                                         {pe.contract.symbol, pe.contract.exchange}};
      view.quotes.multiquote(std::move(legs), [ce, pe, done](MultiQuoteOutcome quotes) {
        if (!quotes.ok()) return done(synthetic_failure(quotes.status, quotes.message));
        const json::object* call_quote = quotes.data_for(ce.contract.symbol);
        const json::object* put_quote = quotes.data_for(pe.contract.symbol);
        auto call_ltp = call_quote ? ltp_of(*call_quote) : std::nullopt;
        auto put_ltp = put_quote ? ltp_of(*put_quote) : std::nullopt;
        if (!call_ltp)
          return done(synthetic_failure(500, "Could not fetch LTP for Call option: " + ce.contract.symbol));
        if (!put_ltp) return done(synthetic_failure(500, "Could not fetch LTP for Put option: " + pe.contract.symbol));
        SyntheticFuture synthetic;
        synthetic.atm_strike = ce.strike;
        synthetic.price =
            options::python_round(ce.strike + call_ltp->to_number<double>() - put_ltp->to_number<double>(), 2);
        synthetic.underlying_ltp = ce.underlying_ltp;
        done(std::move(synthetic));
      });
    });
  });
}

}  // namespace oa::api
