#include "api/option_chain_service.hpp"

#include <memory>
#include <tuple>
#include <vector>

#include <boost/json.hpp>

#include "api/option_greeks_report.hpp"
#include "api/option_resolution.hpp"
#include "options/decimal_round.hpp"
#include "options/option_exchanges.hpp"

namespace oa::api {
namespace {

namespace json = boost::json;
using options::OptionType;

struct Leg {
  std::string symbol;
  std::string label;
  const instruments::Instrument* row = nullptr;  // null: not listed
};

struct Rung {
  double strike = 0;
  Leg call, put;
};

// Everything known once the underlying is quoted and the strikes are chosen.
struct Chain {
  ChainQuery query;
  std::string base, expiry, options_exchange;
  SymbolOnExchange underlying;
  double now = 0;  // the request's instant
  json::value underlying_ltp, underlying_prev_close;
  double atm_strike = 0;
  std::vector<Rung> rungs;
  std::shared_ptr<const options::OptionChainIndex> chains;  // keeps the rows above alive
};

ChainAnswer failure(int status, std::string message) {
  return {status, json::object{{"status", "error"}, {"message", std::move(message)}}};
}

double number_or_zero(const json::value* value) {
  return value && (value->is_double() || value->is_int64() || value->is_uint64()) ? value->to_number<double>() : 0;
}

// Missing quote fields read as 0, as OpenAlgo's dict.get(key, 0).
json::value leg_json(const Leg& leg, const json::object* quote) {
  if (!leg.row) return nullptr;
  json::object out{{"symbol", leg.symbol}, {"label", leg.label}};
  for (const char* key :
       {"ltp", "bid", "ask", "bid_qty", "ask_qty", "open", "high", "low", "prev_close", "volume", "oi"}) {
    const json::value* value = quote ? quote->if_contains(key) : nullptr;
    out[key] = value ? *value : json::value(0);
  }
  out["lotsize"] = leg.row->lotsize;
  out["tick_size"] = leg.row->tick_size;
  return out;
}

// F = K + C - P at the ATM strike, else the underlying's LTP.
json::value forward_price(const json::array& rows, double atm_strike, const json::value& underlying_ltp) {
  for (const auto& row : rows) {
    const auto& rung = row.get_object();
    if (rung.at("strike").to_number<double>() != atm_strike) continue;
    auto ltp = [&](const char* side) {
      const json::value& leg = rung.at(side);
      return leg.is_object() ? number_or_zero(leg.get_object().if_contains("ltp")) : 0.0;
    };
    if (ltp("ce") > 0 && ltp("pe") > 0) return options::python_round(atm_strike + ltp("ce") - ltp("pe"), 4);
    break;
  }
  return underlying_ltp;
}

void attach_greeks(json::array& rows, double forward, const std::optional<std::int64_t>& expiry_ts, double now,
                   const std::optional<double>& rate) {
  if (!expiry_ts) return;
  const auto left = options::time_to_expiry(*expiry_ts, now);
  if (left.expired()) return;
  for (auto& row : rows) {
    auto& rung = row.as_object();
    const double strike = rung.at("strike").to_number<double>();
    for (auto [side, type] : {std::pair{"ce", OptionType::Call}, std::pair{"pe", OptionType::Put}}) {
      json::value& leg = rung.at(side);
      if (!leg.is_object()) continue;
      auto greeks = chain_leg_greeks(type, strike, number_or_zero(leg.as_object().if_contains("ltp")), forward,
                                     left.years, rate.value_or(0));
      if (!greeks) continue;
      auto& out = leg.as_object();
      out["implied_volatility"] = greeks->implied_volatility;
      out["delta"] = greeks->delta;
      out["gamma"] = greeks->gamma;
      out["theta"] = greeks->theta;
      out["vega"] = greeks->vega;
    }
  }
}

ChainAnswer assemble(const Chain& chain, const MultiQuoteOutcome& quotes) {
  json::array rows;
  for (const auto& rung : chain.rungs) {
    rows.push_back(json::object{{"strike", rung.strike},
                                {"ce", leg_json(rung.call, quotes.data_for(rung.call.symbol))},
                                {"pe", leg_json(rung.put, quotes.data_for(rung.put.symbol))}});
  }
  std::optional<std::int64_t> expiry_ts;
  if (auto date = options::parse_expiry_code(chain.expiry))
    expiry_ts = options::ist_epoch_seconds(*date, options::expiry_cutoff(chain.options_exchange));
  json::value forward = nullptr;
  if (chain.query.with_greeks) {
    forward = forward_price(rows, chain.atm_strike, chain.underlying_ltp);
    attach_greeks(rows, number_or_zero(&forward), expiry_ts, chain.now, chain.query.interest_rate);
  }
  json::object body{{"status", "success"},
                    {"underlying", chain.base},
                    {"underlying_symbol", chain.underlying.symbol},
                    {"underlying_exchange", chain.underlying.exchange},
                    {"underlying_ltp", chain.underlying_ltp},
                    {"underlying_prev_close", chain.underlying_prev_close},
                    {"expiry_date", chain.expiry},
                    {"expiry_ts", expiry_ts ? json::value(*expiry_ts) : json::value(nullptr)},
                    {"server_ts", static_cast<std::int64_t>(chain.now)},
                    {"atm_strike", chain.atm_strike},
                    {"quotes_included", true},
                    {"greeks_included", chain.query.with_greeks},
                    {"forward_price", std::move(forward)},
                    {"chain", std::move(rows)}};
  return {200, std::move(body)};
}

// Strikes around ATM, each side looked up in the master. An answer when
// there is nothing to quote.
std::optional<ChainAnswer> choose_strikes(Chain& chain) {
  const auto& strikes = chain.chains->strikes(chain.base, chain.expiry, OptionType::Call, chain.options_exchange);
  auto atm = options::atm_index(strikes, chain.underlying_ltp.to_number<double>());
  if (!atm)
    return failure(404, "No strikes found for " + chain.base + " expiring " + chain.expiry +
                            ". Please check expiry date or update master contract.");
  chain.atm_strike = strikes[*atm];
  bool any_listed = false;
  for (const auto& labelled : options::chain_strikes(strikes, *atm, chain.query.strike_count)) {
    Rung rung{labelled.strike, {}, {}};
    for (auto [leg, type, label] : {std::tuple{&rung.call, OptionType::Call, &labelled.call_label},
                                    std::tuple{&rung.put, OptionType::Put, &labelled.put_label}}) {
      leg->symbol = options::option_symbol(chain.base, chain.expiry, labelled.strike, type);
      leg->label = *label;
      leg->row = chain.chains->find(leg->symbol, chain.options_exchange);
      any_listed = any_listed || leg->row;
    }
    chain.rungs.push_back(std::move(rung));
  }
  if (!any_listed) return failure(404, "No valid option symbols found for the given parameters");
  return std::nullopt;
}

void quote_legs(const MarketView& view, std::shared_ptr<Chain> chain, std::function<void(ChainAnswer)> done) {
  std::vector<SymbolOnExchange> legs;
  for (const auto& rung : chain->rungs)
    for (const Leg* leg : {&rung.call, &rung.put})
      if (leg->row) legs.push_back({leg->symbol, chain->options_exchange});
  // A failed multiquote leaves every price at 0, as in OpenAlgo.
  view.quotes.multiquote(std::move(legs),
                         [chain, done = std::move(done)](MultiQuoteOutcome quotes) { done(assemble(*chain, quotes)); });
}

}  // namespace

void option_chain(const MarketView& view, ChainQuery query, std::function<void(ChainAnswer)> done) {
  auto parsed = options::parse_underlying(query.underlying);
  // Upper-cased: a lower-case expiry would find strikes but no contracts (B.7).
  const std::string expiry = options::upper_case(parsed.expiry.value_or(query.expiry_date));
  if (expiry.empty()) return done(failure(400, "Expiry date is required."));
  if (!view.knows_user)  // surfaces from OpenAlgo's quote call (A.5)
    return done(failure(403, "Failed to fetch LTP for " + (parsed.expiry ? parsed.base : query.underlying) +
                                 ": Invalid openalgo apikey"));
  auto source = underlying_quote(*view.chains, query.underlying, query.exchange,
                                 static_cast<std::int64_t>(view.now_epoch_seconds));
  if (!source.ok()) return done(failure(source.status, source.message));

  auto chain = std::make_shared<Chain>();
  chain->query = std::move(query);
  chain->base = source.base;
  chain->expiry = expiry;
  chain->underlying = source.quoted;
  chain->now = view.now_epoch_seconds;
  chain->options_exchange = options::options_exchange(source.quoted.exchange);
  chain->chains = view.chains;
  view.quotes.quote(source.quoted, [view, chain, done = std::move(done)](QuoteOutcome quote) {
    const std::string& symbol = chain->underlying.symbol;
    if (!quote.ok()) return done(failure(quote.status, "Failed to fetch LTP for " + symbol + ": " + quote.message));
    const json::value* ltp = quote.data.if_contains("ltp");
    if (!ltp || !(ltp->is_double() || ltp->is_int64() || ltp->is_uint64()))
      return done(failure(500, "Could not determine LTP for " + symbol));
    chain->underlying_ltp = *ltp;
    const json::value* prev_close = quote.data.if_contains("prev_close");
    chain->underlying_prev_close = prev_close ? *prev_close : json::value(0);
    if (auto answer = choose_strikes(*chain)) return done(std::move(*answer));
    quote_legs(view, chain, done);
  });
}

}  // namespace oa::api
