// The SANDBOX_* settings reach the sandbox engine's options.
#include <doctest/doctest.h>

#include "app/sandbox_settings.hpp"
#include "../config/config_test_support.hpp"

using oa::config::testing::EnvFixture;
using namespace oa::sandbox;

namespace {

EngineOptions options_from(std::string_view env) {
  const EnvFixture fixture(env);
  auto loaded = fixture.load();
  REQUIRE(loaded.problems.empty());
  return oa::app::sandbox_options(loaded.config);
}

}  // namespace

TEST_SUITE("app") {
  TEST_CASE("the default settings give the engine OpenAlgo's defaults") {
    const EngineOptions defaults;
    const EngineOptions options = options_from("");
    CHECK(options.starting_capital == 10000000.0);
    CHECK(options.leverage.equity_mis == defaults.leverage.equity_mis);
    CHECK(options.leverage.equity_cnc == defaults.leverage.equity_cnc);
    CHECK(options.leverage.futures == defaults.leverage.futures);
    CHECK(options.leverage.option_buy == defaults.leverage.option_buy);
    CHECK(options.leverage.option_sell == defaults.leverage.option_sell);
    CHECK(options.schedule.square_off == defaults.schedule.square_off);
    CHECK_FALSE(options.schedule.reset_weekday.has_value());
    CHECK(options.schedule.reset_time == at(0, 0));
    CHECK(options.schedule.session_boundary == at(3, 0));
    CHECK_FALSE(options.schedule.expire_next_day);
    CHECK_FALSE(options.schedule.options_expire_worthless);
    CHECK(options.poll_interval_ms == 5000);
    CHECK(options.book_quote_max_age_ms == 5000);
    CHECK(options.gtt_oco_margin == OcoMargin::Max);
    CHECK_FALSE(check_options(options).has_value());
  }

  TEST_CASE("capital, leverage, square-off times, resets and intervals come from the settings") {
    const EngineOptions options = options_from(
        "SANDBOX_STARTING_CAPITAL=500000\n"
        "SANDBOX_EQUITY_MIS_LEVERAGE=4\nSANDBOX_EQUITY_CNC_LEVERAGE=2\nSANDBOX_FUTURES_LEVERAGE=12.5\n"
        "SANDBOX_OPTION_BUY_LEVERAGE=3\nSANDBOX_OPTION_SELL_LEVERAGE=6\n"
        "SANDBOX_NSE_BSE_SQUARE_OFF_TIME=15:00\nSANDBOX_CDS_BCD_SQUARE_OFF_TIME=16:30\n"
        "SANDBOX_MCX_SQUARE_OFF_TIME=23:00\nSANDBOX_NCDEX_SQUARE_OFF_TIME=16:50\n"
        "SANDBOX_RESET_DAY=sunday\nSANDBOX_RESET_TIME=06:30\nSESSION_EXPIRY_TIME=04:00\n"
        "SANDBOX_ORDER_CHECK_INTERVAL=2\nSANDBOX_MTM_UPDATE_INTERVAL=0\n"
        "SANDBOX_EXPIRY_SETTLEMENT_TIMING=next_day\nSANDBOX_OPTION_EXPIRY_SETTLEMENT=zero\n"
        "SANDBOX_GTT_OCO_MARGIN_MODE=sum\n");
    CHECK(options.starting_capital == 500000.0);
    CHECK(options.leverage.equity_mis == 4);
    CHECK(options.leverage.equity_cnc == 2);
    CHECK(options.leverage.futures == 12.5);
    CHECK(options.leverage.option_buy == 3);
    CHECK(options.leverage.option_sell == 6);
    for (const char* exchange : {"NSE", "BSE", "NFO", "BFO"}) CHECK(options.schedule.square_off.at(exchange) == at(15, 0));
    for (const char* exchange : {"CDS", "BCD"}) CHECK(options.schedule.square_off.at(exchange) == at(16, 30));
    for (const char* exchange : {"MCX", "NCO"}) CHECK(options.schedule.square_off.at(exchange) == at(23, 0));
    CHECK(options.schedule.square_off.at("NCDEX") == at(16, 50));
    CHECK(options.schedule.reset_weekday == 6);
    CHECK(options.schedule.reset_time == at(6, 30));
    CHECK(options.schedule.session_boundary == at(4, 0));
    CHECK(options.poll_interval_ms == 2000);
    CHECK(options.book_quote_max_age_ms == 0);
    CHECK(options.schedule.expire_next_day);
    CHECK(options.schedule.options_expire_worthless);
    CHECK(options.gtt_oco_margin == OcoMargin::Sum);
    CHECK_FALSE(check_options(options).has_value());
  }
}
