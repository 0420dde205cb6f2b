#include "sandbox/gtt.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

#include <fmt/format.h>

#include "sandbox/enum_names.hpp"
#include "sandbox/ist_time.hpp"

namespace oa::sandbox {
namespace {

constexpr std::array<std::pair<GttType, std::string_view>, 2> kTypes{{
    {GttType::Single, "single"},
    {GttType::Oco, "two-leg"},
}};
constexpr std::array<std::pair<GttStatus, std::string_view>, 5> kStatuses{{
    {GttStatus::Active, "active"},
    {GttStatus::Triggered, "triggered"},
    {GttStatus::Cancelled, "cancelled"},
    {GttStatus::Expired, "expired"},
    {GttStatus::Rejected, "rejected"},
}};
constexpr std::array<std::pair<TriggerDirection, std::string_view>, 2> kDirections{{
    {TriggerDirection::Below, "below"},
    {TriggerDirection::Above, "above"},
}};

constexpr std::int64_t kDefaultLifetimeMs = 365 * kDayMs;

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

GttLeg leg(int number, double trigger, TriggerDirection direction, Action action, double quantity,
           double price, PriceType type, Product product) {
  // A MARKET child order carries no limit.
  return {number, trigger, direction, action, quantity, type == PriceType::Market ? 0 : price, type, product, {}};
}

bool touched(TriggerDirection direction, double trigger, double low, double high) {
  return direction == TriggerDirection::Below ? low <= trigger : high >= trigger;
}

// Reads `digits` decimal digits at `at`, or nullopt.
std::optional<int> number_at(std::string_view text, std::size_t at, std::size_t digits) {
  if (at + digits > text.size()) return std::nullopt;
  int value = 0;
  const auto [end, error] = std::from_chars(text.data() + at, text.data() + at + digits, value);
  if (error != std::errc{} || end != text.data() + at + digits) return std::nullopt;
  return value;
}

// Minutes east of UTC in a trailing Z or ±HH:MM, 330 (IST) when none; sets
// `length` to the text before it. nullopt when the suffix is malformed.
std::optional<int> utc_offset(std::string_view text, std::size_t& length) {
  length = text.size();
  if (text.ends_with('Z')) {
    length -= 1;
    return 0;
  }
  if (text.size() > 16 && (text[text.size() - 6] == '+' || text[text.size() - 6] == '-') &&
      text[text.size() - 3] == ':') {
    const auto hours = number_at(text, text.size() - 5, 2), minutes = number_at(text, text.size() - 2, 2);
    if (!hours || !minutes) return std::nullopt;
    length -= 6;
    const int offset = *hours * 60 + *minutes;
    return text[text.size() - 6] == '-' ? -offset : offset;
  }
  return 330;
}

std::optional<std::int64_t> parse_instant(std::string_view text) {
  std::size_t length = 0;
  const auto offset = utc_offset(text, length);
  if (!offset) return std::nullopt;
  text = text.substr(0, length);
  const auto year = number_at(text, 0, 4), month = number_at(text, 5, 2), day = number_at(text, 8, 2);
  if (!year || !month || !day || text[4] != '-' || text[7] != '-') return std::nullopt;
  if (*month < 1 || *month > 12 || *day < 1 || *day > 31) return std::nullopt;
  int hour = 23, minute = 59, second = 59;  // a bare date lasts to the end of that day
  if (text.size() > 10) {
    if (text[10] != ' ' && text[10] != 'T') return std::nullopt;
    const auto h = number_at(text, 11, 2), m = number_at(text, 14, 2);
    if (!h || !m || text[13] != ':' || *h > 23 || *m > 59) return std::nullopt;
    hour = *h, minute = *m, second = 0;
    if (text.size() > 16) {
      const auto s = text[16] == ':' ? number_at(text, 17, 2) : std::nullopt;
      if (!s || *s > 59) return std::nullopt;
      second = *s;  // fractions of a second, if any, are dropped
    }
  }
  // ist_instant works in IST; move the wall time by the difference to its zone.
  return ist_instant(*year, *month, *day, at(hour, minute)) + second * 1000 + (330 - *offset) * kMinuteMs;
}

}  // namespace

std::string_view to_string(GttType type) { return name_of(kTypes, type); }
std::string_view to_string(GttStatus status) { return name_of(kStatuses, status); }
std::string_view to_string(TriggerDirection direction) { return name_of(kDirections, direction); }
std::optional<GttType> parse_gtt_type(std::string_view text) { return parse_name(kTypes, text); }
std::optional<GttStatus> parse_gtt_status(std::string_view text) { return parse_name(kStatuses, text); }
std::optional<TriggerDirection> parse_trigger_direction(std::string_view text) {
  return parse_name(kDirections, text);
}

std::optional<GttType> requested_gtt_type(std::string_view trigger_type) {
  const std::string type = upper(trigger_type);
  if (type == "SINGLE") return GttType::Single;
  if (type == "OCO") return GttType::Oco;
  return std::nullopt;
}

std::variant<std::vector<GttLeg>, std::string> gtt_legs(const GttRequest& request) {
  const auto action = parse_action(upper(request.action));
  const auto product = parse_product(upper(request.product));
  const auto type = parse_price_type(upper(request.pricetype));
  if (!action) return "Invalid action '" + request.action + "'. Must be BUY or SELL";
  if (!product || *product == Product::Mis) {
    return std::string("GTT supports only CNC (delivery) or NRML (overnight F&O); MIS is intraday-only.");
  }
  if (!type || (*type != PriceType::Limit && *type != PriceType::Market)) {
    return "Invalid pricetype '" + request.pricetype + "'. Must be LIMIT or MARKET";
  }
  const auto trigger_type = requested_gtt_type(request.trigger_type);
  if (!trigger_type) return std::string("Must be 'SINGLE' or 'OCO'.");
  if (*trigger_type == GttType::Single) {
    if (request.triggerprice_sl > 0) {
      return std::vector{leg(1, request.triggerprice_sl, TriggerDirection::Below, *action, request.quantity,
                             request.price, *type, *product)};
    }
    if (request.triggerprice_tg > 0) {
      return std::vector{leg(1, request.triggerprice_tg, TriggerDirection::Above, *action, request.quantity,
                             request.price, *type, *product)};
    }
    return std::string("SINGLE GTT requires a positive triggerprice_sl or triggerprice_tg.");
  }
  if (!(request.triggerprice_sl > 0)) return std::string("Required for OCO (stoploss trigger).");
  if (!(request.triggerprice_tg > 0)) return std::string("Required for OCO (target trigger).");
  if (request.triggerprice_sl >= request.triggerprice_tg) {
    return std::string("Stoploss trigger must be less than target trigger (triggerprice_tg).");
  }
  return std::vector{
      leg(1, request.triggerprice_sl, TriggerDirection::Below, *action, request.quantity,
          request.stoploss.value_or(request.price), *type, *product),
      leg(2, request.triggerprice_tg, TriggerDirection::Above, *action, request.quantity,
          request.target.value_or(request.price), *type, *product)};
}

bool leg_touched(const GttLeg& leg, const PriceRange& seen) {
  return touched(leg.direction, leg.trigger_price, seen.low, seen.high);
}

std::optional<std::size_t> leg_to_fire(const Gtt& gtt, const Quote& quote, const PriceRange& seen) {
  if (gtt.status != GttStatus::Active || !(quote.ltp > 0)) return std::nullopt;
  std::optional<std::size_t> first;
  for (std::size_t i = 0; i < gtt.legs.size(); ++i) {
    const GttLeg& leg = gtt.legs[i];
    if (!leg_touched(leg, seen)) continue;
    if (touched(leg.direction, leg.trigger_price, quote.ltp, quote.ltp)) return i;
    if (!first) first = i;
  }
  return first;
}

double leg_margin_price(const GttLeg& leg) { return leg.price > 0 ? leg.price : leg.trigger_price; }

Paise gtt_margin(const std::vector<GttLeg>& legs, const Instrument& instrument, const Leverage& leverage,
                 bool oco_sum) {
  Paise total = 0, largest = 0;
  for (const GttLeg& leg : legs) {
    // Priced as an order opening exposure: the position may be anything by
    // the time the leg fires, and the child order trues its margin up then.
    const Paise margin =
        margin_to_hold(leverage, instrument, leg.product, leg.action, 0, leg.quantity, leg_margin_price(leg));
    total += margin;
    largest = std::max(largest, margin);
  }
  return oco_sum ? total : largest;
}

std::int64_t gtt_expiry(std::string_view expires_at, std::int64_t now_ms) {
  if (const auto at = parse_instant(expires_at)) return *at;
  return now_ms + kDefaultLifetimeMs;
}

std::string gtt_id_prefix(std::int64_t now_ms) {
  const IstCalendarDay day = ist_day(now_ms);
  return fmt::format("GTT-{:02d}{:02d}{:02d}-", day.year % 100, day.month, day.day);
}

}  // namespace oa::sandbox
