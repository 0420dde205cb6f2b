// GTT rules on their own (reference sandbox.md §8 and the trigger, leg and
// expiry expectations of OpenAlgo's test_gtt_manager.py, §11).
#include <regex>
#include <set>

#include <doctest/doctest.h>

#include "sandbox/gtt.hpp"
#include "sandbox_fixture.hpp"

using namespace oa::sandbox;
using namespace oa::sandbox::test;

namespace {

std::vector<GttLeg> legs_of(const GttRequest& request) {
  auto legs = gtt_legs(request);
  REQUIRE(std::holds_alternative<std::vector<GttLeg>>(legs));
  return std::get<std::vector<GttLeg>>(legs);
}

std::string refusal_of(const GttRequest& request) {
  auto legs = gtt_legs(request);
  REQUIRE(std::holds_alternative<std::string>(legs));
  return std::get<std::string>(legs);
}

GttLeg leg_at(double trigger, TriggerDirection direction) {
  GttLeg leg;
  leg.trigger_price = trigger;
  leg.direction = direction;
  return leg;
}

PriceRange at_price(double ltp) { return {ltp, ltp}; }

const Instrument kEquity{"ZEEL", "NSE", "EQ", "", 1, 0.05, 1};

}  // namespace

TEST_SUITE("sandbox") {
  TEST_CASE("a below leg fires at or under its trigger and an above leg at or over it") {
    CHECK(leg_touched(leg_at(100, TriggerDirection::Below), at_price(100)));
    CHECK(leg_touched(leg_at(100, TriggerDirection::Below), at_price(99.95)));
    CHECK_FALSE(leg_touched(leg_at(100, TriggerDirection::Below), at_price(100.05)));
    CHECK(leg_touched(leg_at(100, TriggerDirection::Above), at_price(100)));
    CHECK(leg_touched(leg_at(100, TriggerDirection::Above), at_price(100.05)));
    CHECK_FALSE(leg_touched(leg_at(100, TriggerDirection::Above), at_price(99.95)));
  }

  TEST_CASE("a GTT never fires without a price") {
    Gtt gtt;
    gtt.legs = {leg_at(100, TriggerDirection::Above)};
    CHECK_FALSE(leg_to_fire(gtt, Quote{0, 0, 0, 0}, at_price(0)).has_value());
  }

  TEST_CASE("a leg's direction comes from its trigger's role, not from BUY or SELL") {
    CHECK(legs_of(single_gtt("ZEEL", "BUY", 1, 100, 95, 0))[0].direction == TriggerDirection::Below);
    CHECK(legs_of(single_gtt("ZEEL", "SELL", 1, 100, 0, 105))[0].direction == TriggerDirection::Above);
    CHECK(legs_of(single_gtt("ZEEL", "SELL", 1, 100, 95, 0))[0].direction == TriggerDirection::Below);
    CHECK(legs_of(single_gtt("ZEEL", "BUY", 1, 100, 0, 105))[0].direction == TriggerDirection::Above);
    const auto oco = legs_of(oco_gtt("ZEEL", "SELL", 1, 95, 94, 105, 106));
    CHECK(oco[0].direction == TriggerDirection::Below);
    CHECK(oco[1].direction == TriggerDirection::Above);
  }

  TEST_CASE("a SINGLE GTT takes its stop-loss trigger when both are given and needs one") {
    const auto legs = legs_of(single_gtt("ZEEL", "BUY", 1, 100, 95, 105));
    REQUIRE(legs.size() == 1);
    CHECK(legs[0].trigger_price == 95);
    CHECK(refusal_of(single_gtt("ZEEL", "BUY", 1, 100, 0, 0)) ==
          "SINGLE GTT requires a positive triggerprice_sl or triggerprice_tg.");
  }

  TEST_CASE("an OCO GTT has two legs with their own limits, falling back to price") {
    const auto legs = legs_of(oco_gtt("ZEEL", "SELL", 10, 95, 94, 105, 106));
    REQUIRE(legs.size() == 2);
    CHECK(legs[0].price == 94);
    CHECK(legs[1].price == 106);
    GttRequest missing = oco_gtt("ZEEL", "SELL", 10, 95, 94, 105, 106);
    missing.target.reset();
    missing.price = 101;
    CHECK(legs_of(missing)[1].price == 101);
  }

  TEST_CASE("an OCO GTT needs both triggers, the stop-loss below the target") {
    CHECK(refusal_of(oco_gtt("ZEEL", "SELL", 1, 0, 94, 105, 106)) == "Required for OCO (stoploss trigger).");
    CHECK(refusal_of(oco_gtt("ZEEL", "SELL", 1, 95, 94, 0, 106)) == "Required for OCO (target trigger).");
    CHECK(refusal_of(oco_gtt("ZEEL", "SELL", 1, 105, 104, 95, 96)) ==
          "Stoploss trigger must be less than target trigger (triggerprice_tg).");
  }

  TEST_CASE("GTTs are CNC or NRML only") {
    CHECK(refusal_of(single_gtt("ZEEL", "BUY", 1, 100, 95, 0, "MIS")) ==
          "GTT supports only CNC (delivery) or NRML (overnight F&O); MIS is intraday-only.");
  }

  TEST_CASE("when merged ticks touched both OCO legs the leg the LTP is beyond fires, else the stop-loss") {
    Gtt gtt;
    gtt.legs = legs_of(oco_gtt("ZEEL", "SELL", 1, 95, 94, 105, 106));
    CHECK(leg_to_fire(gtt, Quote{106, 0, 0, 0}, PriceRange{94, 106}) == std::size_t{1});
    CHECK(leg_to_fire(gtt, Quote{100, 0, 0, 0}, PriceRange{94, 106}) == std::size_t{0});
  }

  TEST_CASE("a leg's margin is priced at its limit, or at its trigger for a MARKET leg") {
    auto request = single_gtt("ZEEL", "BUY", 10, 0, 0, 105);
    request.pricetype = "MARKET";
    CHECK(leg_margin_price(legs_of(request)[0]) == 105);
    CHECK(leg_margin_price(legs_of(single_gtt("ZEEL", "BUY", 10, 104, 0, 105))[0]) == 104);
  }

  TEST_CASE("an OCO GTT blocks its larger leg, or both legs when configured to") {
    const auto legs = legs_of(oco_gtt("ZEEL", "BUY", 10, 95, 96, 105, 106, "CNC"));
    CHECK(gtt_margin(legs, kEquity, Leverage{}, false) == to_paise(10 * 106));
    CHECK(gtt_margin(legs, kEquity, Leverage{}, true) == to_paise(10 * 96 + 10 * 106));
  }

  TEST_CASE("a supplied expiry is honoured, offsets converted, and an unreadable one falls back to a year") {
    const std::int64_t now = ist(2025, 8, 22, 10, 0);
    CHECK(gtt_expiry("2025-09-01 15:30:00", now) == ist(2025, 9, 1, 15, 30));
    CHECK(gtt_expiry("2025-09-01T10:00:00Z", now) == ist(2025, 9, 1, 15, 30));
    CHECK(gtt_expiry("2025-09-01T15:30:00+05:30", now) == ist(2025, 9, 1, 15, 30));
    CHECK(gtt_expiry("2025-09-01", now) == ist(2025, 9, 1, 23, 59) + 59'000);
    CHECK(gtt_expiry("next tuesday", now) == now + 365 * kDayMs);
    CHECK(gtt_expiry("", now) == now + 365 * kDayMs);
  }

  TEST_CASE("GTT ids read GTT-YYMMDD- and eight hex digits, unique") {
    Harness h;
    h.market().set_quote("ZEEL", "NSE", {100, 0, 0, 0});
    std::set<std::string> ids;
    const std::regex shape("GTT-[0-9]{6}-[0-9a-f]{8}");
    for (int i = 0; i < 200; ++i) {
      const std::string id = trigger_id_of(h.place_gtt(single_gtt("ZEEL", "SELL", 1, 120, 0, 120)));
      CHECK(std::regex_match(id, shape));
      ids.insert(id);
    }
    CHECK(ids.size() == 200);
    CHECK(ids.begin()->starts_with("GTT-250822-"));
  }
}
