#pragma once
// GTT (good-till-triggered) orders in the sandbox (reference sandbox.md §8):
// what a request becomes, when a leg fires, what it blocks, when it expires.
// Pure rules; the engine (engine_gtt.cpp) keeps GTTs in the store and fires
// them on prices.
//
// A SINGLE GTT has one leg; an OCO GTT has a stop-loss leg and a target leg,
// the same action on both, of which at most one ever fires. A leg's
// direction comes from its role, never from BUY/SELL: the stop-loss trigger
// fires when the LTP falls to it (below), the target when it rises to it
// (above). Touching the trigger counts.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sandbox/margin.hpp"
#include "sandbox/sandbox_types.hpp"

namespace oa::sandbox {

enum class GttType { Single, Oco };
enum class GttStatus { Active, Triggered, Cancelled, Expired, Rejected };
enum class TriggerDirection { Below, Above };

// OpenAlgo's spellings: single, two-leg; active, triggered, cancelled,
// expired, rejected; below, above.
std::string_view to_string(GttType type);
std::string_view to_string(GttStatus status);
std::string_view to_string(TriggerDirection direction);
std::optional<GttType> parse_gtt_type(std::string_view text);
std::optional<GttStatus> parse_gtt_status(std::string_view text);
std::optional<TriggerDirection> parse_trigger_direction(std::string_view text);

// placegttorder / modifygttorder as the API layer validated them (fields,
// SINGLE/OCO rules, whole quantity). Zero triggers are absent.
struct GttRequest {
  std::string trigger_id;  // modify only
  std::string strategy, trigger_type, symbol, exchange, action, product, pricetype = "LIMIT";
  double quantity = 0;
  double price = 0;  // SINGLE: the order's limit (0 for MARKET); OCO: fallback for a missing leg limit
  double triggerprice_sl = 0, triggerprice_tg = 0;
  std::optional<double> stoploss, target;  // OCO leg limits
  std::string expires_at;                  // place only; empty for the default
};

struct GttLeg {
  int leg_number = 1;
  double trigger_price = 0;
  TriggerDirection direction = TriggerDirection::Below;
  Action action = Action::Buy;
  double quantity = 0;
  double price = 0;  // the child order's limit; 0 for MARKET
  PriceType price_type = PriceType::Limit;
  Product product = Product::Cnc;
  std::string orderid;  // the child order, once the leg fired
};

struct Gtt {
  std::string gtt_id;
  std::int64_t user_id = 0;
  std::string strategy, symbol, exchange;
  GttType type = GttType::Single;
  GttStatus status = GttStatus::Active;
  double last_price = 0;     // the LTP when placed, 0 when none was known
  Paise margin_blocked = 0;  // exactly what this GTT holds on the ledger while active
  std::vector<GttLeg> legs;
  std::int64_t expires_ms = 0;
  std::int64_t created_ms = 0;
  std::int64_t updated_ms = 0;
};

// SINGLE or OCO, in any case, as a request names it.
std::optional<GttType> requested_gtt_type(std::string_view trigger_type);

// The legs of a request, or why there are none: SINGLE fires on its
// stop-loss trigger (below) or its target trigger (above); OCO has both,
// the stop-loss leg limited at `stoploss` and the target leg at `target`,
// each falling back to `price`.
std::variant<std::vector<GttLeg>, std::string> gtt_legs(const GttRequest& request);

// Whether the leg's trigger was touched by an LTP in `seen`.
bool leg_touched(const GttLeg& leg, const PriceRange& seen);

// The leg that fires on this price, or nullopt. When merged ticks touched
// both legs of an OCO, the leg the current LTP is beyond wins, else the
// stop-loss (the conservative reading of an unknown path).
std::optional<std::size_t> leg_to_fire(const Gtt& gtt, const Quote& quote, const PriceRange& seen);

// The price a leg's margin is computed on: its limit, else its trigger
// (MARKET legs are priced at the trigger they fire at).
double leg_margin_price(const GttLeg& leg);

// What the GTT blocks while active: per leg as an order opening exposure,
// an OCO its larger leg (only one can fire) or both, as configured.
Paise gtt_margin(const std::vector<GttLeg>& legs, const Instrument& instrument, const Leverage& leverage,
                 bool oco_sum);

// When a GTT expires: `expires_at` as given (YYYY-MM-DD[ HH:MM[:SS]] or with
// a T, read as IST, or with Z or ±HH:MM), else, when it is empty or does not
// parse, 365 days from `now_ms` (OpenAlgo falls back the same way).
std::int64_t gtt_expiry(std::string_view expires_at, std::int64_t now_ms);

// "GTT-YYMMDD-" for the IST day of `now_ms`; ids continue with 8 hex digits.
std::string gtt_id_prefix(std::int64_t now_ms);

}  // namespace oa::sandbox
