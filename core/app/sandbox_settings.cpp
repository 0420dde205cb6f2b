#include "app/sandbox_settings.hpp"

#include <array>
#include <stdexcept>
#include <string>

#include "config/value_syntax.hpp"
#include "sandbox/ist_time.hpp"

namespace oa::app {
namespace {

sandbox::MinuteOfDay clock_time(const config::Config& config, std::string_view key) {
  auto minute = sandbox::parse_clock_time(config.get(key));
  if (!minute) throw std::logic_error("config key " + std::string(key) + " is not a time of day");
  return *minute;
}

// Monday is 0, as in the engine's schedules; Never is no weekly reset.
std::optional<int> reset_weekday(const std::string& day) {
  static constexpr std::array<std::string_view, 7> kDays{"monday", "tuesday", "wednesday", "thursday",
                                                         "friday", "saturday", "sunday"};
  const std::string lower = config::to_lower(day);
  for (std::size_t i = 0; i < kDays.size(); ++i)
    if (kDays[i] == lower) return static_cast<int>(i);
  return std::nullopt;
}

void set_square_off(sandbox::ScheduleOptions& schedule, const config::Config& config) {
  const auto set = [&schedule](std::initializer_list<const char*> exchanges, sandbox::MinuteOfDay minute) {
    for (const char* exchange : exchanges) schedule.square_off[exchange] = minute;
  };
  set({"NSE", "BSE", "NFO", "BFO"}, clock_time(config, "SANDBOX_NSE_BSE_SQUARE_OFF_TIME"));
  set({"CDS", "BCD"}, clock_time(config, "SANDBOX_CDS_BCD_SQUARE_OFF_TIME"));
  set({"MCX", "NCO"}, clock_time(config, "SANDBOX_MCX_SQUARE_OFF_TIME"));
  set({"NCDEX"}, clock_time(config, "SANDBOX_NCDEX_SQUARE_OFF_TIME"));
}

}  // namespace

sandbox::EngineOptions sandbox_options(const config::Config& config) {
  sandbox::EngineOptions options;
  options.starting_capital = config.get_decimal("SANDBOX_STARTING_CAPITAL");
  options.leverage.equity_mis = config.get_decimal("SANDBOX_EQUITY_MIS_LEVERAGE");
  options.leverage.equity_cnc = config.get_decimal("SANDBOX_EQUITY_CNC_LEVERAGE");
  options.leverage.futures = config.get_decimal("SANDBOX_FUTURES_LEVERAGE");
  options.leverage.option_buy = config.get_decimal("SANDBOX_OPTION_BUY_LEVERAGE");
  options.leverage.option_sell = config.get_decimal("SANDBOX_OPTION_SELL_LEVERAGE");
  set_square_off(options.schedule, config);
  options.schedule.reset_weekday = reset_weekday(config.get("SANDBOX_RESET_DAY"));
  options.schedule.reset_time = clock_time(config, "SANDBOX_RESET_TIME");
  options.schedule.session_boundary = clock_time(config, "SESSION_EXPIRY_TIME");
  options.schedule.expire_next_day = config::to_lower(config.get("SANDBOX_EXPIRY_SETTLEMENT_TIMING")) == "next_day";
  options.schedule.options_expire_worthless = config::to_lower(config.get("SANDBOX_OPTION_EXPIRY_SETTLEMENT")) == "zero";
  options.poll_interval_ms = config.get_int("SANDBOX_ORDER_CHECK_INTERVAL") * 1000;
  options.book_quote_max_age_ms = config.get_int("SANDBOX_MTM_UPDATE_INTERVAL") * 1000;
  options.gtt_oco_margin = config::to_lower(config.get("SANDBOX_GTT_OCO_MARGIN_MODE")) == "sum"
                               ? sandbox::OcoMargin::Sum
                               : sandbox::OcoMargin::Max;
  return options;
}

}  // namespace oa::app
