#pragma once
// The checks a new order passes, in OpenAlgo's order and with its messages.
// check_request covers what the request alone decides (steps 1-10 of the
// reference); the later checks need the instrument, the clock or the user's
// holdings, and the engine runs them in turn.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "sandbox/sandbox_types.hpp"
#include "sandbox/schedules.hpp"

namespace oa::sandbox {

// A request refused before it becomes an order (no order row is written).
struct RequestError {
  int status = 400;
  std::string message;
};

// A request in the engine's types: action, price type and product known,
// fields that do not apply to the price type dropped (MARKET: no price or
// trigger; LIMIT: price only; SL: both; SL-M: trigger only).
struct ValidRequest {
  std::string strategy, symbol, exchange;
  Action action = Action::Buy;
  PriceType price_type = PriceType::Market;
  Product product = Product::Mis;
  double quantity = 0, price = 0, trigger_price = 0;
};

// Required fields, action, price type, product, product for the segment,
// quantity (whole except on CRYPTO), price and trigger for the price type,
// and a tradable exchange. Action, price type and product are taken in any case.
std::variant<ValidRequest, RequestError> check_request(const OrderRequest& request);

// On derivative exchanges: a whole number of lots.
std::optional<std::string> check_lot_size(double quantity, const Instrument& instrument);

// New MIS exposure after square-off time or before the open. An order that
// only reduces the open MIS position passes; one that would reverse it does
// not (OpenAlgo let any opposite order through, reversals included).
std::optional<std::string> check_mis_blackout(const ScheduleOptions& schedule,
                                              const ValidRequest& request,
                                              double position_quantity, std::int64_t now_ms);

// A CNC SELL needs shares: the signed CNC day position plus holdings, less
// what resting CNC SELL orders already promise (OpenAlgo did not count those,
// so the same shares could be sold twice).
std::optional<std::string> check_cnc_sell(const ValidRequest& request, double position_quantity,
                                          double holding_quantity, double reserved_quantity);

// A quantity as OpenAlgo prints it: 100, or 0.5 on CRYPTO.
std::string format_quantity(double quantity);

}  // namespace oa::sandbox
