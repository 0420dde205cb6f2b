#pragma once
// Which market segment an exchange code and a contract belong to: what
// decides the products allowed, lot-size rules, leverage and expiry.
#include <string_view>

#include "sandbox/sandbox_types.hpp"

namespace oa::sandbox {

// NSE and BSE: cash equity, CNC or MIS.
bool is_equity_exchange(std::string_view exchange);

// NFO, BFO, MCX, CDS, BCD, NCDEX, NCO and CRYPTO: NRML or MIS, traded in lots,
// contracts expire. (OpenAlgo leaves NCO out of its lot, product and expiry
// checks; here it is a derivative segment like the others.)
bool is_derivative_exchange(std::string_view exchange);

enum class ContractKind { Equity, Future, Option, Other };

// From the master contract's instrument type when it names one (FUT, CE, PE,
// PERPFUT, OPTIDX...), else from the symbol's suffix, as OpenAlgo does. On
// CRYPTO anything that is not an option counts as a future (perpetuals too).
ContractKind contract_kind(const Instrument& instrument);

}  // namespace oa::sandbox
