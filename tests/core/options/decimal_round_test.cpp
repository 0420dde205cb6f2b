#include <doctest/doctest.h>

#include "options/decimal_round.hpp"

using oa::options::python_round;

TEST_SUITE("options: decimal round") {
  TEST_CASE("rounds as Python's round(x, n) does, on the exact binary value") {
    CHECK(python_round(2.675, 2) == 2.67);  // 2.675 is 2.67499999... in binary
    CHECK(python_round(0.125, 2) == 0.12);  // an exact tie goes to even
    CHECK(python_round(0.375, 2) == 0.38);
    CHECK(python_round(-1.005, 2) == -1.0);
    CHECK(python_round(24580.123456, 4) == 24580.1235);
    CHECK(python_round(1e-7, 6) == 0.0);
    CHECK(python_round(15.0, 2) == 15.0);
  }
}
