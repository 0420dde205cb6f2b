#pragma once
// When an order fills and at what price. Fills are all-or-nothing, with no
// depth, slippage or charges. An order arriving at the market takes the
// price on the other side (ask for a BUY, bid for a SELL, the LTP when the
// quote has no depth); a resting LIMIT fills at its own limit once the LTP
// crosses it. OpenAlgo filled MARKET orders at the LTP when the price came
// from a tick and at the ask or bid when it came from a quote; here both
// paths follow the same rule.
#include "sandbox/sandbox_types.hpp"

namespace oa::sandbox {

struct FillDecision {
  enum class Kind {
    None,       // nothing happens on this quote
    Fill,       // fill completely at `price`
    Triggered,  // an SL's trigger was touched but its limit was not: it now rests as a LIMIT
  };
  Kind kind = Kind::None;
  double price = 0;
};

// The price a marketable order takes: ask (BUY) or bid (SELL) when quoted, else the LTP.
double taker_price(Action action, const Quote& quote);

// Evaluates an order arriving now: at placement, or an SL whose trigger was
// touched. MARKET fills at once; LIMIT fills at the taker price when that is
// within the limit; SL and SL-M wait until the LTP touches the trigger
// (BUY: LTP >= trigger; SELL: LTP <= trigger), then SL-M fills at the taker
// price and SL does when its limit allows, else rests as a LIMIT.
FillDecision on_arrival(const Order& order, const Quote& quote);

// Evaluates a resting order on a new quote, `seen` being the LTPs since the
// previous one. LIMIT and triggered SL (status open) fill at the limit once
// the LTP crossed it (BUY: lowest LTP <= limit; SELL: highest >= limit);
// MARKET fills at the taker price; SL and SL-M in trigger pending trigger
// when the LTP touched the trigger, then behave as on arrival, at no better
// than the trigger price.
FillDecision on_quote(const Order& order, const Quote& quote, const PriceRange& seen);
inline FillDecision on_quote(const Order& order, const Quote& quote) {
  return on_quote(order, quote, PriceRange::of(quote));
}

}  // namespace oa::sandbox
