#include "store/settings.hpp"
#include "test_database.hpp"

#include <doctest/doctest.h>

using namespace oa::store;
using oa::store::test::on_each_store;

TEST_SUITE("store") {
  TEST_CASE("a setting never set reads as absent") {
    on_each_store([](Store& store) { CHECK_FALSE(Settings(store).get("analyze_mode").has_value()); });
  }

  TEST_CASE("setting a value again replaces it") {
    on_each_store([](Store& store) {
      Settings settings(store);
      settings.set("analyze_mode", "false");
      settings.set("analyze_mode", "true");
      settings.set("other", "");
      CHECK(settings.get("analyze_mode") == "true");
      CHECK(settings.get("other") == "");
    });
  }
}
