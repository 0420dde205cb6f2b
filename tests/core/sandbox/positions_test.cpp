// Positions: netting, average price and P&L.
#include <doctest/doctest.h>

#include "sandbox/positions.hpp"

using namespace oa::sandbox;

namespace {

Position position_of(double quantity, double average, Paise margin) {
  Position p;
  p.key = {1, "SBIN", "NSE", Product::Mis};
  p.quantity = quantity;
  p.average_price = average;
  p.margin_blocked = margin;
  return p;
}

}  // namespace

TEST_SUITE("sandbox") {
  TEST_CASE("a first fill opens a position at the fill price with the order's margin") {
    const FillEffect effect = apply_fill(position_of(0, 0, 0), Action::Buy, 100, 112.5, 1, 5000, 7);
    CHECK(effect.after.quantity == 100);
    CHECK(effect.after.average_price == 112.5);
    CHECK(effect.after.margin_blocked == 5000);
    CHECK(effect.after.opened_ms == 7);
    CHECK(effect.realized == 0);
  }

  TEST_CASE("adding averages the price and adds the margin") {
    const FillEffect effect = apply_fill(position_of(100, 100, 2000), Action::Buy, 100, 110, 1, 2200, 7);
    CHECK(effect.after.quantity == 200);
    CHECK(effect.after.average_price == doctest::Approx(105));
    CHECK(effect.after.margin_blocked == 4200);
  }

  TEST_CASE("reducing realises P&L and releases margin in proportion") {
    const FillEffect effect = apply_fill(position_of(100, 100, 2000), Action::Sell, 40, 110, 1, 0, 7);
    CHECK(effect.after.quantity == 60);
    CHECK(effect.realized == to_paise(400));
    CHECK(effect.margin_released == 800);
    CHECK(effect.after.margin_blocked == 1200);
    CHECK(effect.after.today_realized_pnl == to_paise(400));
  }

  TEST_CASE("a short gains when the price falls") {
    const FillEffect effect = apply_fill(position_of(-50, 200, 2000), Action::Buy, 50, 190, 1, 0, 7);
    CHECK(effect.after.quantity == 0);
    CHECK(effect.realized == to_paise(500));
    CHECK(effect.margin_released == 2000);
    CHECK(effect.after.margin_blocked == 0);
  }

  TEST_CASE("one fill can flip a long into a short at the fill price") {
    const FillEffect effect = apply_fill(position_of(100, 100, 2000), Action::Sell, 150, 90, 1, 900, 7);
    CHECK(effect.after.quantity == -50);
    CHECK(effect.after.average_price == 90);
    CHECK(effect.realized == to_paise(-1000));
    CHECK(effect.margin_released == 2000);
    CHECK(effect.after.margin_blocked == 900);
    CHECK(effect.after.opened_ms == 7);
  }

  TEST_CASE("netting splits an order into its closing and opening parts") {
    CHECK(net_against(100, Action::Sell, 150).closing == 100);
    CHECK(net_against(100, Action::Sell, 150).opening == 50);
    CHECK(net_against(100, Action::Buy, 10).opening == 10);
    CHECK(net_against(-30, Action::Buy, 10).opening == 0);
  }

  TEST_CASE("contract value scales P&L") {
    Position p = position_of(10, 60000, 0);
    CHECK(unrealized_pnl(p, 61000, 0.001) == doctest::Approx(10));
    CHECK(apply_fill(p, Action::Sell, 10, 61000, 0.001, 0, 1).realized == to_paise(10));
  }

  TEST_CASE("a position settled outright books all-time P&L and today's only when asked") {
    const FillEffect effect = settle(position_of(-10, 100, 400), 90, 1, false, 7);
    CHECK(effect.after.quantity == 0);
    CHECK(effect.realized == to_paise(100));
    CHECK(effect.margin_released == 400);
    CHECK(effect.after.realized_pnl == to_paise(100));
    CHECK(effect.after.today_realized_pnl == 0);
  }

  TEST_CASE("unrealised P&L and its percent flip sign for shorts") {
    CHECK(unrealized_pnl(position_of(-10, 100, 0), 90, 1) == doctest::Approx(100));
    CHECK(pnl_percent(100, 90, -10) == doctest::Approx(10));
    CHECK(pnl_percent(100, 90, 10) == doctest::Approx(-10));
    CHECK(unrealized_pnl(position_of(10, 100, 0), 0, 1) == 0);
  }
}
