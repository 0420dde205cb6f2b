// The funds ledger: blocks, releases and their guards.
#include <doctest/doctest.h>

#include "sandbox/funds.hpp"

using namespace oa::sandbox;

TEST_SUITE("sandbox") {
  TEST_CASE("test_fund_manager 1: a new user starts with one crore available") {
    const Funds funds = opening_funds(1, to_paise(10000000), 0);
    CHECK(funds.available == to_paise(10000000));
    CHECK(funds.used_margin == 0);
  }

  TEST_CASE("test_fund_manager 2: block then release with profit credits the profit") {
    Funds funds = opening_funds(1, to_paise(10000000), 0);
    CHECK_FALSE(block(funds, to_paise(100000)).has_value());
    CHECK(funds.available == to_paise(9900000));
    CHECK(funds.used_margin == to_paise(100000));
    CHECK_FALSE(release(funds, to_paise(100000), to_paise(5000)).has_value());
    CHECK(funds.available == to_paise(10005000));
    CHECK(funds.today_realized_pnl == to_paise(5000));
  }

  TEST_CASE("test_fund_manager 3: blocking more than is available is refused") {
    Funds funds = opening_funds(1, to_paise(10000000), 0);
    CHECK(block(funds, to_paise(15000000)).value_or("").find("Insufficient funds") == 0);
    CHECK(funds.available == to_paise(10000000));
  }

  TEST_CASE("the ledger refuses zero blocks, negative releases and releasing more than is reserved") {
    Funds funds = opening_funds(1, to_paise(1000), 0);
    CHECK(block(funds, 0).has_value());
    CHECK(release(funds, -1, 0).has_value());
    CHECK(release(funds, 1, 0).has_value());
    CHECK(move_to_holdings(funds, 1, 0).has_value());
    CHECK(credit_sale(funds, 0, 0).has_value());
    CHECK(funds.used_margin == 0);
    CHECK(funds.available == to_paise(1000));
  }

  TEST_CASE("a loss on a position that held no margin still reaches the ledger") {
    Funds funds = opening_funds(1, to_paise(1000), 0);
    CHECK_FALSE(release(funds, 0, to_paise(-50)).has_value());
    CHECK(funds.available == to_paise(950));
    CHECK(funds.realized_pnl == to_paise(-50));
  }

  TEST_CASE("only OpenAlgo's capital choices are accepted") {
    CHECK(is_allowed_starting_capital(10000000));
    CHECK(is_allowed_starting_capital(100000));
    CHECK_FALSE(is_allowed_starting_capital(123456));
  }

  TEST_CASE("a fund reset restores capital and counts the reset") {
    Funds funds = opening_funds(1, to_paise(1000), 0);
    CHECK_FALSE(block(funds, 100).has_value());
    reset(funds, to_paise(500000), 9);
    CHECK(funds.available == to_paise(500000));
    CHECK(funds.used_margin == 0);
    CHECK(funds.reset_count == 1);
    CHECK(funds.last_reset_ms == 9);
  }
}
