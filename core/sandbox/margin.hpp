#pragma once
// Margin as OpenAlgo's sandbox computes it: |quantity| x price / leverage,
// with the leverage chosen by segment, product and side. No SPAN or exposure
// model; lot size and contract value do not enter (quantity is in units).
#include <optional>
#include <string>

#include "sandbox/sandbox_types.hpp"
#include "sandbox/segments.hpp"

namespace oa::sandbox {

// Each value lies in [1, 50], OpenAlgo's bounds.
struct Leverage {
  double equity_mis = 5;   // NSE/BSE MIS
  double equity_cnc = 1;   // NSE/BSE CNC (and NRML, which is refused there anyway)
  double futures = 10;     // futures on any derivative exchange, crypto perpetuals included
  double option_buy = 1;   // full premium
  double option_sell = 1;  // premium only: there is no short-option margin model
};

// A message naming the first value out of bounds, or nullopt.
std::optional<std::string> check_leverage(const Leverage& leverage);

double leverage_for(const Leverage& leverage, ContractKind kind, Product product, Action action);

// Every BUY blocks margin; a SELL does for futures and options and for MIS or
// NRML, but a CNC SELL of equity sells shares already owned and blocks none.
bool requires_margin(ContractKind kind, Product product, Action action);

// quantity x price / leverage, rounded to the paisa.
Paise margin_for(double quantity, double price, double leverage);

// What an order must hold against a position of signed `position_quantity`:
// margin on the part that opens or adds exposure only, at `price`. An order
// that only reduces or closes the position holds none.
Paise margin_to_hold(const Leverage& leverage, const Instrument& instrument, Product product,
                     Action action, double position_quantity, double quantity, double price);

// The price the order's margin is computed on, or nullopt when there is none
// (a MARKET order without a usable quote).
//  * MARKET: the side it fills on, ask for a BUY and bid for a SELL, else the
//    LTP. (OpenAlgo priced it at the LTP even when the fill was at the ask.)
//  * LIMIT: the limit price.
//  * SL: the worse of limit and trigger for the order's notional. (OpenAlgo
//    used the trigger, below the limit a BUY may fill at.)
//  * SL-M: the trigger price.
// Fills true the margin up to the fill price in any case (see engine.cpp).
std::optional<double> margin_price(PriceType type, Action action, double price,
                                   double trigger_price, const std::optional<Quote>& quote);

// "Insufficient funds. Required: ₹R, Available: ₹A, Shortage: ₹S"
std::string insufficient_funds_message(Paise required, Paise available);

}  // namespace oa::sandbox
