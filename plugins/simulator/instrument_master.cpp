#include "instrument_master.hpp"

#include <charconv>
#include <cmath>
#include <stdexcept>

namespace oa::simulator {

// data/instruments.csv, compiled in by CMake (bundled_instruments.cpp).
extern const std::string_view kBundledInstruments;

namespace {

// Expiry rules. No holiday calendar: an expiry never moves for a holiday.
//   NFO (NIFTY, BANKNIFTY, FINNIFTY): monthly on the last Tuesday of the
//     month, NIFTY weeklies every Tuesday.
//   BFO (SENSEX, BANKEX): monthly on the last Thursday, SENSEX weeklies every
//     Thursday.
//   MCX: a fixed day of every month (CRUDEOIL 19th, NATURALGAS 25th, GOLD and
//     SILVER 5th), moved back to the Friday when it falls on a weekend.
//   CDS: two trading days before the month's last trading day.
struct ExpiryRule {
  enum Kind { kLastWeekday, kDayOfMonth, kBeforeMonthEnd };
  Kind kind;
  int value;  // the weekday, the day of the month, or the trading days before month end
};

struct OptionPlan {
  enum Kind { kNone, kWeekly, kMonthly };
  Kind kind = kNone;
  int expiries = 0;
  double strike_step = 0;
  int strikes_each_side = 0;
  double volatility = 0;
};

struct DerivativeSpec {
  const char* name;
  const char* exchange;
  const char* spot_exchange;  // the bundled index it follows, or nullptr for its own spot series
  double spot_reference;      // own spot series only
  double spot_volatility;
  double spot_daily_volume;
  std::int64_t lot;
  double tick;
  double carry;  // per year
  ExpiryRule rule;
  int futures;
  OptionPlan options;
  int token_prefix;  // two digits, see derivative_token
};

// clang-format off
constexpr DerivativeSpec kDerivatives[] = {
  // name         exch   spot from    own spot: ref, vol/day, units/day  lot   tick    carry  expiry rule                            futures  options: kind, expiries, strike step, strikes each side, vol  token
  {"NIFTY",      "NFO", "NSE_INDEX", 0,      0,     0,                   75,   0.05,   0.07,  {ExpiryRule::kLastWeekday, kTuesday},  3,       {OptionPlan::kWeekly,  4, 50,   40, 0.12},        11},
  {"BANKNIFTY",  "NFO", "NSE_INDEX", 0,      0,     0,                   35,   0.05,   0.07,  {ExpiryRule::kLastWeekday, kTuesday},  3,       {OptionPlan::kMonthly, 3, 100,  40, 0.14},        12},
  {"FINNIFTY",   "NFO", "NSE_INDEX", 0,      0,     0,                   65,   0.05,   0.07,  {ExpiryRule::kLastWeekday, kTuesday},  3,       {},                                       13},
  {"SENSEX",     "BFO", "BSE_INDEX", 0,      0,     0,                   20,   0.05,   0.07,  {ExpiryRule::kLastWeekday, kThursday}, 3,       {OptionPlan::kWeekly,  4, 100,  40, 0.12},        21},
  {"BANKEX",     "BFO", "BSE_INDEX", 0,      0,     0,                   30,   0.05,   0.07,  {ExpiryRule::kLastWeekday, kThursday}, 3,       {},                                       22},
  {"CRUDEOIL",   "MCX", nullptr,     5300,   0.020, 4e6,                 100,  1,      0.05,  {ExpiryRule::kDayOfMonth, 19},         3,       {},                                       31},
  {"GOLD",       "MCX", nullptr,     123000, 0.010, 2e5,                 100,  1,      0.05,  {ExpiryRule::kDayOfMonth, 5},          3,       {},                                       32},
  {"SILVER",     "MCX", nullptr,     152000, 0.018, 3e5,                 30,   1,      0.05,  {ExpiryRule::kDayOfMonth, 5},          3,       {},                                       33},
  {"NATURALGAS", "MCX", nullptr,     390,    0.030, 3e7,                 1250, 0.1,    0.05,  {ExpiryRule::kDayOfMonth, 25},         3,       {},                                       34},
  {"USDINR",     "CDS", nullptr,     88.6,   0.003, 4e9,                 1000, 0.0025, 0.03,  {ExpiryRule::kBeforeMonthEnd, 2},      3,       {OptionPlan::kMonthly, 2, 0.25, 20, 0.04},        41},
  {"EURINR",     "CDS", nullptr,     102.5,  0.004, 3e8,                 1000, 0.0025, 0.03,  {ExpiryRule::kBeforeMonthEnd, 2},      3,       {},                                       42},
};
// clang-format on

constexpr double kOptionRate = 0.065;
constexpr double kEquityVolatility = 0.015;
constexpr double kIndexVolatility = 0.010;
constexpr double kIndexDailyVolume = 2e7;  // drives the volumes of index derivatives

Day previous_weekday_if_weekend(Day day) { return is_trading_day(day) ? day : previous_trading_day(day); }

Day monthly_expiry(const ExpiryRule& rule, int year, unsigned month) {
  Day last = last_day_of_month(year, month);
  switch (rule.kind) {
    case ExpiryRule::kLastWeekday:
      return last - ((weekday(last) - rule.value + 7) % 7);
    case ExpiryRule::kDayOfMonth:
      return previous_weekday_if_weekend(day_from_civil(year, month, static_cast<unsigned>(rule.value)));
    case ExpiryRule::kBeforeMonthEnd: {
      Day expiry = previous_weekday_if_weekend(last);
      for (int i = 0; i < rule.value; ++i) expiry = previous_trading_day(expiry);
      return expiry;
    }
  }
  return last;
}

// The next `count` monthly expiries on or after `today`.
std::vector<Day> monthly_expiries(const ExpiryRule& rule, Day today, int count) {
  std::vector<Day> expiries;
  CivilDate date = civil_from_day(today);
  int year = date.year;
  unsigned month = date.month;
  while (static_cast<int>(expiries.size()) < count) {
    Day expiry = monthly_expiry(rule, year, month);
    if (expiry >= today) expiries.push_back(expiry);
    if (++month > 12) month = 1, ++year;
  }
  return expiries;
}

// The next `count` days falling on `day_of_week`, today included.
std::vector<Day> weekly_expiries(int day_of_week, Day today, int count) {
  std::vector<Day> expiries;
  Day day = today + (day_of_week - weekday(today) + 7) % 7;
  for (int i = 0; i < count; ++i, day += 7) expiries.push_back(day);
  return expiries;
}

// Python's float text: "24000" for whole strikes, shortest digits otherwise ("83.25").
std::string strike_text(double strike) {
  if (strike == std::floor(strike)) return std::to_string(std::llround(strike));
  char text[32];
  auto end = std::to_chars(text, text + sizeof text, strike).ptr;
  return std::string(text, end);
}

enum class ContractKind { kFuture = 0, kCall = 1, kPut = 2 };

// Stable and unique: <prefix 2><expiry day 5><kind 1><strike x 100, 8 digits>.
std::string derivative_token(int prefix, Day expiry, ContractKind kind, double strike) {
  std::int64_t token = prefix * 100'000'000'000'000LL + expiry * 1'000'000'000LL +
                       static_cast<std::int64_t>(kind) * 100'000'000LL + std::llround(strike * 100);
  return std::to_string(token);
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    std::size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

double number(std::string_view text) {
  double value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size())
    throw std::runtime_error("bundled instruments: bad number '" + std::string(text) + "'");
  return value;
}

std::string key_of(std::string_view exchange, std::string_view code) {
  std::string key;
  key.reserve(exchange.size() + code.size() + 1);
  key.append(exchange).append(":").append(code);
  return key;
}

// A plausible average daily volume for an equity: more shares for cheaper
// stocks, with a per-symbol factor.
double equity_daily_volume(std::string_view symbol, double price) {
  double factor = 0.3 + 2.7 * static_cast<double>(hash_text(symbol) % 1000) / 1000.0;
  return std::max(1000.0, 2e9 / price * factor);
}

// One futures or options contract of `spec` following `series`. It trades
// `volume_share` of the series' volume, give or take a per-contract factor.
Listing contract(const DerivativeSpec& spec, std::size_t series, const Series& spot, Day expiry, ContractKind kind,
                 double strike, double volume_share) {
  const bool future = kind == ContractKind::kFuture;
  const char* type = future ? "FUT" : kind == ContractKind::kCall ? "CE" : "PE";
  std::string symbol = spec.name + symbol_date(expiry) + (future ? "" : strike_text(strike)) + type;
  Listing listing;
  listing.series = series;
  listing.row = {symbol,
                 symbol,
                 spec.name,
                 spec.exchange,
                 spec.exchange,
                 derivative_token(spec.token_prefix, expiry, kind, strike),
                 expiry_text(expiry),
                 type,
                 strike,
                 spec.lot,
                 spec.tick,
                 0};
  Pricing& pricing = listing.pricing;
  pricing.kind = future                        ? Pricing::Kind::kFuture
                 : kind == ContractKind::kCall ? Pricing::Kind::kCall
                                               : Pricing::Kind::kPut;
  pricing.strike = strike;
  pricing.rate = future ? spec.carry : kOptionRate;
  pricing.volatility = spec.options.volatility;
  pricing.expiry = expiry;
  pricing.tick = spec.tick;
  pricing.volume_share = volume_share * (0.6 + 0.8 * static_cast<double>(hash_text(symbol) % 1000) / 1000.0);
  pricing.lot = spec.lot;
  pricing.open_interest = std::max<std::int64_t>(spec.lot, std::llround(3 * pricing.volume_share * spot.daily_volume));
  return listing;
}

// The near month trades most; each later month a fifth as much.
std::vector<Listing> futures(const DerivativeSpec& spec, std::size_t series, const Series& spot, Day today) {
  std::vector<Listing> listings;
  double share = 0.05;
  for (Day expiry : monthly_expiries(spec.rule, today, spec.futures)) {
    listings.push_back(contract(spec, series, spot, expiry, ContractKind::kFuture, 0, share));
    share /= 5;
  }
  return listings;
}

// Strikes around the reference spot. Weeklies expire on the weekday of the
// monthly rule. Trading concentrates at the money (within about a quarter
// of a year's volatility) and in the nearest expiry.
std::vector<Listing> option_chain(const DerivativeSpec& spec, std::size_t series, const Series& spot, Day today) {
  const OptionPlan& plan = spec.options;
  std::vector<Listing> listings;
  if (plan.kind == OptionPlan::kNone) return listings;
  auto expiries = plan.kind == OptionPlan::kWeekly ? weekly_expiries(spec.rule.value, today, plan.expiries)
                                                   : monthly_expiries(spec.rule, today, plan.expiries);
  const double atm = std::round(spot.reference_price / plan.strike_step) * plan.strike_step;
  double share = 0.05;
  for (Day expiry : expiries) {
    for (int i = -plan.strikes_each_side; i <= plan.strikes_each_side; ++i) {
      double strike = atm + i * plan.strike_step;
      double moneyness = std::log(strike / spot.reference_price) / (0.25 * plan.volatility);
      double strike_share = share * std::exp(-moneyness * moneyness);
      listings.push_back(contract(spec, series, spot, expiry, ContractKind::kCall, strike, strike_share));
      listings.push_back(contract(spec, series, spot, expiry, ContractKind::kPut, strike, strike_share));
    }
    share /= 2;
  }
  return listings;
}
}  // namespace

InstrumentMaster::InstrumentMaster(std::int64_t now_ms) : listed_on_(ist_day(now_ms)) {
  add_bundled_rows();
  add_derivatives();
}

const Listing* InstrumentMaster::find(std::string_view exchange, std::string_view symbol) const {
  auto found = by_symbol_.find(key_of(exchange, symbol));
  return found == by_symbol_.end() ? nullptr : &listings_[found->second];
}

const Listing* InstrumentMaster::find_by_token(std::string_view exchange, std::string_view token) const {
  auto found = by_token_.find(key_of(exchange, token));
  return found == by_token_.end() ? nullptr : &listings_[found->second];
}

std::size_t InstrumentMaster::series_index(const std::string& key, double reference, double volatility,
                                           double daily_volume, const Session& session) {
  auto [found, inserted] = series_by_key_.try_emplace(key, series_.size());
  if (inserted) series_.push_back({key, hash_text(key), reference, volatility, daily_volume, session});
  return found->second;
}

void InstrumentMaster::add(Listing listing) {
  std::size_t index = listings_.size();
  by_symbol_.emplace(key_of(listing.row.exchange, listing.row.symbol), index);
  by_token_.emplace(key_of(listing.row.exchange, listing.row.token), index);
  listings_.push_back(std::move(listing));
}

// Columns: exchange,symbol,token,instrumenttype,reference_price,tick_size.
// An equity's NSE and BSE rows share one series: one company, one price.
void InstrumentMaster::add_bundled_rows() {
  auto lines = split(kBundledInstruments, '\n');
  for (std::size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    auto fields = split(lines[i], ',');
    if (fields.size() != 6) throw std::runtime_error("bundled instruments: bad line " + std::to_string(i + 1));
    std::string exchange(fields[0]), symbol(fields[1]), type(fields[3]);
    double reference = number(fields[4]), tick = number(fields[5]);
    bool index = type == "INDEX";

    Listing listing;
    listing.series = index ? series_index(key_of(exchange, symbol), reference, kIndexVolatility, kIndexDailyVolume,
                                          session_of(exchange))
                           : series_index(key_of("EQ", symbol), reference, kEquityVolatility,
                                          equity_daily_volume(symbol, reference), session_of(exchange));
    std::string brexchange = exchange == "NSE_INDEX" ? "NSE" : exchange == "BSE_INDEX" ? "BSE" : exchange;
    std::string brsymbol = exchange == "NSE" ? symbol + "-EQ" : symbol;
    listing.row = {symbol, brsymbol, symbol, exchange, brexchange, std::string(fields[2]), "", type, 0, 1, tick, 0};
    listing.pricing.tick = tick;
    listing.pricing.volume_share = index ? 0 : exchange == "BSE" ? 0.1 : 1;
    add(std::move(listing));
  }
}

void InstrumentMaster::add_derivatives() {
  for (const auto& spec : kDerivatives) {
    std::size_t series;
    if (spec.spot_exchange) {
      auto found = series_by_key_.find(key_of(spec.spot_exchange, spec.name));
      if (found == series_by_key_.end())
        throw std::runtime_error(std::string("bundled instruments: no index ") + spec.name);
      series = found->second;
    } else {
      series = series_index(key_of(spec.exchange, spec.name), spec.spot_reference, spec.spot_volatility,
                            spec.spot_daily_volume, session_of(spec.exchange));
    }
    for (auto& listing : futures(spec, series, series_[series], listed_on_)) add(std::move(listing));
    for (auto& listing : option_chain(spec, series, series_[series], listed_on_)) add(std::move(listing));
  }
}

}  // namespace oa::simulator
