#include <doctest/doctest.h>

#include "security/keyring.hpp"
#include "security/login_states.hpp"

using namespace oa::security;
using namespace std::chrono_literals;

namespace {

// Ten-minute states on a clock the test moves by hand.
struct Fixture {
  std::chrono::steady_clock::time_point now{};
  LoginStates states{600s, [this] { return now; }};
  Fixture() { init_crypto(); }
};

}  // namespace

TEST_SUITE("security") {
  TEST_CASE_FIXTURE(Fixture, "a login state brings back the user it was issued to, for its broker") {
    auto state = states.issue(7, "zerodha");
    CHECK(state.size() == 32);
    CHECK(states.redeem(state, "zerodha") == 7);
  }

  TEST_CASE_FIXTURE(Fixture, "a login state is spent by its first use") {
    auto state = states.issue(7, "zerodha");
    REQUIRE(states.redeem(state, "zerodha"));
    CHECK_FALSE(states.redeem(state, "zerodha"));
  }

  TEST_CASE_FIXTURE(Fixture, "a login state past its lifetime is refused") {
    auto state = states.issue(7, "zerodha");
    now += 600s;
    CHECK_FALSE(states.redeem(state, "zerodha"));
  }

  TEST_CASE_FIXTURE(Fixture, "a missing, unknown or other broker's state is refused, and the other broker's is spent") {
    auto state = states.issue(7, "angel");
    CHECK_FALSE(states.redeem("", "angel"));
    CHECK_FALSE(states.redeem("0123456789abcdef0123456789abcdef", "angel"));
    CHECK_FALSE(states.redeem(state, "zerodha"));
    CHECK_FALSE(states.redeem(state, "angel"));
  }

  TEST_CASE_FIXTURE(Fixture, "each issue is a different state, and past the open limit the oldest is forgotten") {
    auto first = states.issue(1, "zerodha");
    std::string last;
    for (std::size_t i = 0; i < LoginStates::kMaxOpen; ++i) {
      now += 1ms;
      last = states.issue(2, "zerodha");
      CHECK(last != first);
    }
    CHECK_FALSE(states.redeem(first, "zerodha"));
    CHECK(states.redeem(last, "zerodha") == 2);
  }
}
